package syncer

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

var guest = woosim.Address{FirstName: "Gina", LastName: "Guest", Address1: "Rua das Flores 12", City: "Porto",
	Postcode: "4050-262", Country: "PT", Email: "gina.guest@example.test", Phone: "+351 912 345 678"}

// A paid guest order reaches OnCloudWine as it happens, with its totals as
// decimal strings, the billing e-mail as the customer's, its lines by SKU
// and a SKU-less line named with a warning; an unpaid order is not sent
// until it is paid; the logs name no address, e-mail or phone.
func TestE2EOrdersPaidForwardedUnpaidWaits(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	logs := x.useLoggedEngine()
	x.hookOrders()
	x.start()
	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	house := productNamed(t, x.woo, "House Red (no SKU)")

	unpaid, err := x.woo.PlaceOrder(woosim.NewOrder{Status: "pending", Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	paid, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 2}, {ProductID: house.ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	want := x.snapshot(paid)
	got := x.ocwOrder(paid, "the paid order in OnCloudWine", func(o ocwsim.Order) bool { return o.Status == "processing" })
	if got.Number != want.Number || got.Currency != want.Currency || got.Total != want.Total.String() || got.TotalRefunded != "0.00" {
		t.Errorf("order %+v; want number %s, %s %s, nothing refunded", got, want.Number, want.Total, want.Currency)
	}
	if got.DatePaid == nil || !got.DatePaid.Equal(want.DatePaidGMT.Time) {
		t.Errorf("date_paid %v, want %v", got.DatePaid, want.DatePaidGMT)
	}
	if got.Customer.Email != guest.Email || got.Customer.FirstName != "Gina" || got.Billing.Address1 != guest.Address1 || got.Billing.Phone != guest.Phone {
		t.Errorf("guest customer %+v billing %+v", got.Customer, got.Billing)
	}
	if len(got.LineItems) != 2 {
		t.Fatalf("lines %+v", got.LineItems)
	}
	if l := got.LineItems[0]; l.SKU != "WINE-CABR-2021-750" || l.Quantity != 2 || l.Total != want.LineItems[0].Total.String() || l.WooVariationID != cab.ID {
		t.Errorf("SKU line %+v, want 2 × WINE-CABR-2021-750 for %s", l, want.LineItems[0].Total)
	}
	if l := got.LineItems[1]; l.SKU != "" || l.Name != "House Red (no SKU)" || l.WooProductID != house.ID || l.Quantity != 1 {
		t.Errorf("SKU-less line %+v", l)
	}
	if !strings.Contains(got.Warning, fmt.Sprintf("product %d", house.ID)) || !strings.Contains(got.Warning, "House Red (no SKU)") {
		t.Errorf("warning %q does not name the product to fix", got.Warning)
	}
	x.settled()
	if it, ok := x.orderItem(paid); !ok || it.Status != store.StatusSynced || it.Name != "Order #"+want.Number {
		t.Errorf("item %+v", it)
	}
	if _, ok := x.ocw.Orders()[unpaid]; ok {
		t.Fatal("an unpaid order was sent")
	}
	if it, ok := x.orderItem(unpaid); ok {
		t.Errorf("an unpaid order has an item: %+v", it)
	}

	// Paid later: sent then.
	if err := x.woo.SetOrderStatus(unpaid, "processing"); err != nil {
		t.Fatal(err)
	}
	late := x.ocwOrder(unpaid, "the order paid later", func(o ocwsim.Order) bool { return o.Status == "processing" })
	if late.DatePaid == nil || late.Total != x.snapshot(unpaid).Total.String() {
		t.Errorf("order paid later %+v", late)
	}
	x.settled()
	counts, err := x.store.ItemCountsByKind()
	if err != nil || counts[store.ItemKindOrder][store.StatusSynced] != 2 {
		t.Errorf("order item counts %v, %v", counts, err)
	}
	acts, _ := x.store.ListActivity(100, 0)
	var named bool
	for _, a := range acts {
		named = named || strings.Contains(a.Message, "Order #"+want.Number+" sent to OnCloudWine")
	}
	if !named {
		t.Errorf("no activity line names Order #%s: %+v", want.Number, acts)
	}
	for _, secret := range []string{guest.Email, guest.Address1, guest.Phone, guest.Postcode} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log carries customer data %q:\n%s", secret, logs.String())
		}
	}
}

// Later changes follow as updates of the same order: a partial refund (the
// refunded amount), completion, the refund of the rest, the trash.
func TestE2EOrderLaterChanges(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	x.hookOrders()
	x.start()
	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	id, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	first := x.ocwOrder(id, "the order", func(o ocwsim.Order) bool { return o.Status == "processing" })
	if _, err := x.woo.RefundOrder(id, "5.00", "broken cork"); err != nil {
		t.Fatal(err)
	}
	x.ocwOrder(id, "the partial refund", func(o ocwsim.Order) bool { return o.TotalRefunded == "5.00" && o.Status == "processing" })
	if err := x.woo.SetOrderStatus(id, "completed"); err != nil {
		t.Fatal(err)
	}
	x.ocwOrder(id, "completion", func(o ocwsim.Order) bool { return o.Status == "completed" && o.TotalRefunded == "5.00" })
	if err := x.woo.SetOrderStatus(id, "on-hold"); err != nil {
		t.Fatal(err)
	}
	x.ocwOrder(id, "on hold", func(o ocwsim.Order) bool { return o.Status == "on-hold" })
	rest := x.snapshot(id).Total
	restCents, _ := rest.MinorUnits(2)
	if _, err := x.woo.RefundOrder(id, fmt.Sprintf("%d.%02d", (restCents-500)/100, (restCents-500)%100), ""); err != nil {
		t.Fatal(err)
	}
	x.ocwOrder(id, "the full refund", func(o ocwsim.Order) bool { return o.Status == "refunded" && o.TotalRefunded == first.Total })
	if err := x.woo.TrashOrder(id); err != nil {
		t.Fatal(err)
	}
	x.ocwOrder(id, "the trash", func(o ocwsim.Order) bool { return o.Status == "trash" })
	x.settled()
	if n := len(x.ocw.Orders()); n != 1 {
		t.Errorf("OnCloudWine has %d orders, want the one order updated in place", n)
	}
}

// Deliveries repeated, reordered, or re-saved with nothing new: an older
// state never overwrites a newer one, the same content is sent once.
func TestE2EOrderStaleAndDuplicateDeliveries(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{sim: woosim.Options{Now: steppingClock()}})
	x.start()
	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	id, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	older := x.snapshot(id)
	if err := x.woo.SetOrderStatus(id, "completed"); err != nil {
		t.Fatal(err)
	}
	newer := x.snapshot(id)
	if !newer.DateModifiedGMT.After(older.DateModifiedGMT.Time) {
		t.Fatalf("modified %v → %v: the clock did not move", older.DateModifiedGMT, newer.DateModifiedGMT)
	}

	x.postOrder("order.updated", newer)
	x.ocwOrder(id, "the newer state", func(o ocwsim.Order) bool { return o.Status == "completed" })
	x.settled()
	calls := x.ocw.Calls(ordersUpsert)
	if calls != 1 {
		t.Fatalf("%d orders:upsert calls for one delivery", calls)
	}
	x.postOrder("order.created", older) // WooCommerce reordered: the older state comes last
	x.postOrder("order.updated", newer) // and repeats itself
	x.postOrder("order.updated", newer)
	resaved := newer // saved again with nothing OnCloudWine keeps changed
	resaved.DateModifiedGMT.Time = resaved.DateModifiedGMT.Add(time.Minute)
	x.postOrder("order.updated", resaved)
	x.settled()
	if got := x.ocw.Orders()[id]; got.Status != "completed" {
		t.Errorf("an older delivery overwrote the newer state: %s", got.Status)
	}
	if n := x.ocw.Calls(ordersUpsert); n != calls {
		t.Errorf("repeated and older deliveries made %d more orders:upsert calls, want 0", n-calls)
	}
	var st store.OrderState
	_ = x.store.View(func(t *store.Tx) error { st, _, _ = t.OrderState(id); return nil })
	if !st.Modified.Equal(resaved.DateModifiedGMT.Time) {
		t.Errorf("last applied date_modified_gmt %v, want %v", st.Modified, resaved.DateModifiedGMT)
	}
	// A → B → A: the third state differs from the last sent and goes out.
	back := resaved
	back.Status = "processing"
	back.DateModifiedGMT.Time = back.DateModifiedGMT.Add(time.Minute)
	x.postOrder("order.updated", back)
	x.ocwOrder(id, "back to processing", func(o ocwsim.Order) bool { return o.Status == "processing" })
}

// Orders the sidecar created as release-order mirrors are never sent,
// whatever the order of events: their deliveries carry the meta; a later
// snapshot without it, or a delivery after the mirror recorded the order,
// changes nothing.
func TestE2EMirroredOrdersNeverSent(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	x.hookOrders()
	x.start()
	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	mirror, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, CreatedVia: "rest-api",
		Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 6}}, Meta: map[string]string{metaReleaseOrderID: "ro_000042"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.woo.SetOrderStatus(mirror, "completed"); err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the mirror recognised by its meta", func() bool {
		var st store.OrderState
		_ = x.store.View(func(tx *store.Tx) error { st, _, _ = tx.OrderState(mirror); return nil })
		return st.Mirrored
	})
	// A snapshot that lost the meta (a plugin stripped it) arrives later.
	stripped := x.snapshot(mirror)
	stripped.MetaData = nil
	stripped.DateModifiedGMT.Time = stripped.DateModifiedGMT.Add(time.Hour)
	x.postOrder("order.updated", stripped)

	// Recorded by the mirror first, delivered (without meta) after: the
	// store's webhooks are paused meanwhile, so no delivery comes first.
	setHooks := func(status string) {
		for _, w := range x.woo.Webhooks() {
			if err := x.woo.SetWebhookStatus(w.ID, status); err != nil {
				t.Fatal(err)
			}
		}
	}
	setHooks("paused")
	recorded, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.store.Update(func(t *store.Tx) error { return t.MarkOrderMirrored(recorded) }); err != nil {
		t.Fatal(err)
	}
	x.postOrder("order.updated", x.snapshot(recorded))
	setHooks("active")

	barrier, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	x.ocwOrder(barrier, "an ordinary order placed after them", func(o ocwsim.Order) bool { return true })
	x.settled()
	for _, id := range []int64{mirror, recorded} {
		if _, ok := x.ocw.Orders()[id]; ok {
			t.Errorf("mirrored order %d was sent to OnCloudWine", id)
		}
		if it, ok := x.orderItem(id); ok {
			t.Errorf("mirrored order %d has an item %+v", id, it)
		}
	}
}

// An order changed while the sidecar was stopped (its deliveries lost)
// arrives through the reconcile poller when it starts again.
func TestE2EOrderReconcileAfterDowntime(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	x.start()
	testutil.Eventually(t, "orders cursor started", func() bool { c, _ := x.store.Cursor(store.CursorOrders); return c != "" })
	x.eng.Stop()

	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	id, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	cursor, _ := x.store.Cursor(store.CursorOrders)
	x.eng = x.newEngine()
	x.start()
	got := x.ocwOrder(id, "the order placed while stopped", func(o ocwsim.Order) bool { return o.Status == "processing" })
	if got.LineItems[0].Quantity != 4 {
		t.Errorf("lines %+v", got.LineItems)
	}
	testutil.Eventually(t, "orders cursor moved", func() bool { c, _ := x.store.Cursor(store.CursorOrders); return c >= cursor && c != "" })
	if n := len(x.ocw.Orders()); n != 1 {
		t.Errorf("reconcile sent %d orders, want the 1 changed (older lab orders are the backfill's)", n)
	}
	if !strings.Contains(reconcileOrderReads(x.woo), "modified_after") {
		t.Error("reconcile did not read orders?modified_after=")
	}
}

func reconcileOrderReads(sim *woosim.Sim) string {
	var b strings.Builder
	for _, r := range sim.Requests() {
		if strings.HasPrefix(r.Route, "/wc/v3/orders") {
			b.WriteString(r.Query + "\n")
		}
	}
	return b.String()
}

// OnCloudWine down while an order waits, the sidecar stopped, then started
// again with OnCloudWine applying the order but failing its answer: the
// order reaches OnCloudWine once, nothing is lost or duplicated.
func TestE2EOrderSurvivesOutageAndRestart(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	x.hookOrders()
	if err := x.ocw.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultDown, Path: ordersUpsert, Requests: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	x.start()
	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	id, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: guest, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	testutil.Eventually(t, "the order queued and tried", func() bool {
		n, _ := x.eng.OrderOutboxDepth()
		return n == 1 && x.store.InboxDepth() == 0 && x.ocw.Calls(ordersUpsert) > 0
	})
	if it, _ := x.orderItem(id); it.Status != store.StatusPending {
		t.Errorf("item while OnCloudWine is down: %+v", it)
	}
	x.eng.Stop()

	x.ocw.ClearFaults()
	if err := x.ocw.InjectFault(ocwsim.Fault{Kind: ocwsim.FaultErrorAfterEffect, Path: ordersUpsert}); err != nil {
		t.Fatal(err)
	}
	x.eng = x.newEngine()
	x.start()
	x.ocwOrder(id, "the order after the restart", func(o ocwsim.Order) bool { return o.Status == "processing" })
	x.settled()
	if it, _ := x.orderItem(id); it.Status != store.StatusSynced {
		t.Errorf("item %+v, want SYNCED", it)
	}
	if n := len(x.ocw.Orders()); n != 1 {
		t.Errorf("OnCloudWine has %d orders, want 1", n)
	}
}

// An order OnCloudWine refuses is FAILED with OnCloudWine's own text (the
// activity line names the order by number, not the customer's data); the
// same content is not sent again; a corrected order goes through.
func TestE2EOrderRefusedByOnCloudWine(t *testing.T) {
	t.Parallel()
	x := newE2E(t, e2eOptions{})
	x.start()
	cab, _ := x.woo.ProductBySKU("WINE-CABR-2021-750")
	bad := guest
	bad.Email = "gina-at-example.test"
	id, err := x.woo.PlaceOrder(woosim.NewOrder{Billing: bad, Lines: []woosim.OrderLine{{ProductID: cab.ID, Quantity: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	o := x.snapshot(id)
	x.postOrder("order.updated", o)
	testutil.Eventually(t, "the refusal recorded", func() bool { it, _ := x.orderItem(id); return it.Status == store.StatusFailed })
	it, _ := x.orderItem(id)
	if !strings.Contains(it.Error, "OnCloudWine said:") || !strings.Contains(it.Error, "invalid_field") {
		t.Errorf("item error %q, want OnCloudWine's own text", it.Error)
	}
	calls := x.ocw.Calls(ordersUpsert)
	x.postOrder("order.updated", o)
	x.settled()
	if n := x.ocw.Calls(ordersUpsert); n != calls {
		t.Errorf("refused content sent again (%d more calls)", n-calls)
	}
	acts, _ := x.store.ListActivity(50, 0)
	var named bool
	for _, a := range acts {
		named = named || strings.Contains(a.Message, "Order #"+o.Number+": OnCloudWine refused it (invalid_field)")
		if strings.Contains(a.Message, bad.Email) {
			t.Errorf("activity carries the customer's e-mail: %q", a.Message)
		}
	}
	if !named {
		t.Errorf("no activity line names the refused order: %+v", acts)
	}
	fixed := o
	fixed.Billing.Email = "gina@example.test"
	fixed.DateModifiedGMT.Time = fixed.DateModifiedGMT.Add(time.Minute)
	x.postOrder("order.updated", fixed)
	x.ocwOrder(id, "the corrected order", func(got ocwsim.Order) bool { return got.Customer.Email == "gina@example.test" })
	x.settled()
	if it, _ := x.orderItem(id); it.Status != store.StatusSynced || it.Error != "" {
		t.Errorf("item after the fix %+v", it)
	}
}
