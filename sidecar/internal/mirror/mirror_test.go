package mirror

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

func metaOf(o woosim.Order, key string) string {
	for _, m := range o.MetaData {
		if m.Key == key {
			s, _ := m.Value.(string)
			return s
		}
	}
	return ""
}

// A paid release order becomes one processing, paid WooCommerce order with
// everything the issue lists, on both versions, with and without the plugin.
func TestMirrorCreatesProcessingOrder(t *testing.T) {
	for _, tc := range []struct {
		version    string
		noPlugin   bool
		createdVia string
	}{
		{"10.0.2", false, "oncloudwine"},
		{"6.9.0", false, "rest-api"}, // 6.9 replaces created_via
		{"10.0.2", true, "oncloudwine"},
	} {
		name := tc.version
		if tc.noPlugin {
			name += "/no-plugin"
		}
		t.Run(name, func(t *testing.T) {
			x := newEnv(t, envOptions{sim: woosim.Options{WCVersion: tc.version, NoPlugin: tc.noPlugin}})
			before := stockOf(t, x.woo, "WINE-CHA-2022-750")
			x.start()
			x.addRelease("ro_000042", "club@example.com", line("WINE-CHA-2022-750", 6, "20.50"), line("WINE-PIN-2022-750", 1, "29.99"))
			rep := x.waitReported("ro_000042", "SYNCED")
			orders := x.ordersFor("ro_000042")
			if len(orders) != 1 {
				t.Fatalf("%d WooCommerce orders for the release order, want 1", len(orders))
			}
			o := orders[0]
			if rep.WooOrderID != o.ID {
				t.Errorf("reported woo_order_id %d, order is %d", rep.WooOrderID, o.ID)
			}
			if o.Status != "processing" || o.DatePaid == nil {
				t.Errorf("status %q paid %v, want processing and paid", o.Status, o.DatePaid)
			}
			if o.PaymentMethodTitle != "OnCloudWine release" || o.Currency != "EUR" || o.CreatedVia != tc.createdVia {
				t.Errorf("payment title %q currency %q created_via %q", o.PaymentMethodTitle, o.Currency, o.CreatedVia)
			}
			if !strings.Contains(o.CustomerNote, "rel_autumn_2026") || !strings.Contains(o.CustomerNote, "R-ro_000042") {
				t.Errorf("customer note %q does not name the release", o.CustomerNote)
			}
			if metaOf(o, woo.ReleaseOrderMeta) != "ro_000042" || metaOf(o, woo.ReleaseMeta) != "rel_autumn_2026" {
				t.Errorf("metas %+v", o.MetaData)
			}
			if len(o.LineItems) != 2 || o.LineItems[0].Total != "123.00" || o.LineItems[0].Quantity != 6 || o.LineItems[1].Total != "29.99" {
				t.Errorf("lines %+v", o.LineItems)
			}
			if len(o.ShippingLines) != 1 || o.ShippingLines[0].Total != "9.00" {
				t.Errorf("shipping %+v", o.ShippingLines)
			}
			if o.Billing.City != "Lisboa" || o.Shipping.Address1 != "Av. 2" || o.Billing.Email != "club@example.com" {
				t.Errorf("addresses %+v / %+v", o.Billing, o.Shipping)
			}
			if got := stockOf(t, x.woo, "WINE-CHA-2022-750"); got != before-6 {
				t.Errorf("stock %d, want %d (lowered like any sale)", got, before-6)
			}
			var cust []woosim.Customer
			for _, c := range x.woo.Customers() {
				if c.Email == "club@example.com" {
					cust = append(cust, c)
				}
			}
			if len(cust) != 1 || o.CustomerID != cust[0].ID {
				t.Errorf("customers %+v, order customer %d", cust, o.CustomerID)
			}
			it, ok, err := x.store.GetItem(store.ItemKindReleaseOrder, "ro_000042")
			if err != nil || !ok || it.Status != store.StatusSynced || it.WooID != o.ID {
				t.Errorf("item %+v %v %v", it, ok, err)
			}
			if len(x.ocw.Reservations()) != 0 {
				t.Errorf("reservations %+v remain after SYNCED", x.ocw.Reservations())
			}
		})
	}
}

// Mirroring off: nothing is listed, nothing created; backfill refuses.
func TestMirrorOffCreatesNothing(t *testing.T) {
	x := newEnv(t, envOptions{off: true})
	polls := make(chan time.Duration, 16)
	m, err := New(Config{Store: x.store, Woo: func() Woo { return x.wc }, OCW: x.oc, Enabled: x.enabled.Load,
		PollInterval: time.Hour, After: func(d time.Duration) <-chan time.Time {
			if d == settingsCheck { // the poll loop's wait
				polls <- d
			}
			return make(chan time.Time)
		}})
	if err != nil {
		t.Fatal(err)
	}
	x.addRelease("ro_1", "club@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	if err := m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	<-polls // one turn of the poll loop done
	m.PollNow()
	<-polls // and a second one, asked for
	if n := x.ocw.Calls("/v1/woocommerce/release-orders"); n != 0 {
		t.Errorf("%d release-order listings while mirroring is off", n)
	}
	if n := len(x.ordersFor("ro_1")); n != 0 {
		t.Errorf("WooCommerce has %d orders for the release order", n)
	}
	if _, err := m.Backfill(t.Context(), time.Now().Add(-time.Hour)); err != ErrMirrorOff {
		t.Errorf("Backfill = %v, want ErrMirrorOff", err)
	}
}

// The cursor starts when mirroring is switched on: earlier release orders
// wait for a backfill, which brings them in.
func TestMirrorCursorStartsWhenSwitchedOnAndBackfill(t *testing.T) {
	x := newEnv(t, envOptions{})
	x.addRelease("ro_old", "old@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	x.start()
	x.addRelease("ro_new", "new@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	x.waitReported("ro_new", "SYNCED")
	if len(x.ordersFor("ro_old")) != 0 {
		t.Fatal("a release order paid before mirroring was switched on was mirrored without a backfill")
	}
	n, err := x.m.Backfill(t.Context(), time.Now().Add(-time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("Backfill = %d, %v; want 1 new", n, err)
	}
	x.waitReported("ro_old", "SYNCED")
	if len(x.ordersFor("ro_old")) != 1 || len(x.ordersFor("ro_new")) != 1 {
		t.Errorf("orders: old %d new %d, want 1 each", len(x.ordersFor("ro_old")), len(x.ordersFor("ro_new")))
	}
}

// Two release orders of one new e-mail at the same moment make one customer.
func TestMirrorCustomerRace(t *testing.T) {
	x := newEnv(t, envOptions{})
	x.start()
	for i := range 6 {
		x.addRelease("ro_race_"+string(rune('a'+i)), "new.member@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	}
	for i := range 6 {
		x.waitReported("ro_race_"+string(rune('a'+i)), "SYNCED")
	}
	var ids []int64
	for _, c := range x.woo.Customers() {
		if c.Email == "new.member@example.com" {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%d customers for one e-mail", len(ids))
	}
	for i := range 6 {
		if o := x.ordersFor("ro_race_" + string(rune('a'+i))); len(o) != 1 || o[0].CustomerID != ids[0] {
			t.Errorf("order %d: %+v", i, o)
		}
	}
	creates := 0
	for _, r := range x.woo.Requests() {
		if r.Method == http.MethodPost && r.Route == "/wc/v3/customers" {
			creates++
		}
	}
	if creates != 1 {
		t.Errorf("%d POST /customers, want 1", creates)
	}
}

// A club member who is a shop manager is found (role=all), not duplicated.
func TestMirrorFindsShopManagerByEmail(t *testing.T) {
	x := newEnv(t, envOptions{})
	id, err := x.woo.AddCustomer(woosim.Customer{Email: "manager@example.com", Role: "shop_manager"})
	if err != nil {
		t.Fatal(err)
	}
	before := len(x.woo.Customers())
	x.start()
	x.addRelease("ro_mgr", "Manager@Example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	x.waitReported("ro_mgr", "SYNCED")
	if o := x.ordersFor("ro_mgr"); len(o) != 1 || o[0].CustomerID != id {
		t.Fatalf("order %+v, want customer %d", o, id)
	}
	if len(x.woo.Customers()) != before {
		t.Errorf("a customer was created for a shop manager's e-mail")
	}
}

// single: every order goes to one "OnCloudWine" customer, created once,
// re-created when someone deletes it.
func TestMirrorSingleCustomer(t *testing.T) {
	x := newEnv(t, envOptions{mapping: MappingSingle})
	x.start()
	x.addRelease("ro_s1", "a@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	x.addRelease("ro_s2", "b@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	x.waitReported("ro_s1", "SYNCED")
	x.waitReported("ro_s2", "SYNCED")
	o1, o2 := x.ordersFor("ro_s1")[0], x.ordersFor("ro_s2")[0]
	if o1.CustomerID == 0 || o1.CustomerID != o2.CustomerID {
		t.Fatalf("customers %d and %d, want one", o1.CustomerID, o2.CustomerID)
	}
	found := false
	for _, cu := range x.woo.Customers() {
		if cu.ID == o1.CustomerID && cu.FirstName == "OnCloudWine" {
			found = true
		}
		if cu.Email == "a@example.com" || cu.Email == "b@example.com" {
			t.Errorf("single mapping created a customer for %s", cu.Email)
		}
	}
	if !found {
		t.Errorf("customer %d is not the OnCloudWine customer", o1.CustomerID)
	}
	if err := x.woo.DeleteCustomer(o1.CustomerID); err != nil {
		t.Fatal(err)
	}
	x.addRelease("ro_s3", "c@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	x.waitReported("ro_s3", "SYNCED")
	o3 := x.ordersFor("ro_s3")[0]
	if o3.CustomerID == 0 || o3.CustomerID == o1.CustomerID {
		t.Errorf("after deletion the order went to customer %d (deleted %d)", o3.CustomerID, o1.CustomerID)
	}
}

// An unknown SKU: FAILED with the message, reported, listed; SYNCED by
// itself once the product exists.
func TestMirrorUnknownSKUThenSynced(t *testing.T) {
	x := newEnv(t, envOptions{})
	x.start()
	x.addRelease("ro_sku", "club@example.com", line("WINE-NEW-2026-750", 2, "31.00"))
	want := "SKU WINE-NEW-2026-750 is not in WooCommerce — sync products first"
	rep := x.waitReported("ro_sku", "FAILED")
	if rep.Error != want {
		t.Errorf("reported error %q, want %q", rep.Error, want)
	}
	x.waitState("ro_sku", store.MirrorFailed)
	items, _, err := x.store.ListItems(store.ItemFilter{Kind: store.ItemKindReleaseOrder, Status: store.StatusFailed}, 10, "")
	if err != nil || len(items) != 1 || items[0].Error != want {
		t.Errorf("FAILED items %+v, %v", items, err)
	}
	counts, err := x.store.ItemCounts()
	if err != nil || counts[store.StatusFailed] != 1 {
		t.Errorf("status counts %v, %v: the FAILED release order is not counted", counts, err)
	}
	acts, err := x.store.ListActivity(20, 0)
	if err != nil || len(acts) == 0 || !strings.Contains(acts[0].Message, want) {
		t.Errorf("activity log %+v, %v: does not say why", acts, err)
	}
	if len(x.ordersFor("ro_sku")) != 0 {
		t.Errorf("an order was created for an unknown SKU")
	}
	if _, err := x.woo.CreateProduct(woosim.Product{Type: "simple", Name: "New 2026", SKU: "WINE-NEW-2026-750", RegularPrice: "31.00", Status: "publish"}); err != nil {
		t.Fatal(err)
	}
	x.waitReported("ro_sku", "SYNCED")
	if len(x.ordersFor("ro_sku")) != 1 {
		t.Errorf("%d orders after the product appeared", len(x.ordersFor("ro_sku")))
	}
}

// Cancelled / refunded in OnCloudWine after mirroring: the WooCommerce order
// follows, once; a cancelled order gets its stock back.
func TestMirrorCancelAndRefundAfterMirroring(t *testing.T) {
	x := newEnv(t, envOptions{})
	before := stockOf(t, x.woo, "WINE-CHA-2022-750")
	x.start()
	x.addRelease("ro_c", "c@example.com", line("WINE-CHA-2022-750", 3, "20.00"))
	x.addRelease("ro_r", "r@example.com", line("WINE-PIN-2022-750", 1, "30.00"))
	x.waitReported("ro_c", "SYNCED")
	x.waitReported("ro_r", "SYNCED")
	if got := stockOf(t, x.woo, "WINE-CHA-2022-750"); got != before-3 {
		t.Fatalf("stock %d after mirroring, want %d", got, before-3)
	}
	if _, err := x.ocw.SetReleaseOrderStatus("ro_c", "cancelled"); err != nil {
		t.Fatal(err)
	}
	if _, err := x.ocw.SetReleaseOrderStatus("ro_r", "refunded"); err != nil {
		t.Fatal(err)
	}
	x.waitFor("cancel and refund applied", func() bool {
		return x.record("ro_c").Done() && x.record("ro_r").Done() && x.record("ro_c").WooStatus == "cancelled"
	})
	if o := x.ordersFor("ro_c")[0]; o.Status != "cancelled" {
		t.Errorf("cancelled release order: Woo status %q", o.Status)
	}
	if o := x.ordersFor("ro_r")[0]; o.Status != "refunded" {
		t.Errorf("refunded release order: Woo status %q", o.Status)
	}
	if got := stockOf(t, x.woo, "WINE-CHA-2022-750"); got != before {
		t.Errorf("stock %d after cancel, want %d (restocked)", got, before)
	}
	// More polls change nothing: applied once.
	puts := func() int {
		n := 0
		for _, r := range x.woo.Requests() {
			if r.Method == http.MethodPut && strings.HasPrefix(r.Route, "/wc/v3/orders/") {
				n++
			}
		}
		return n
	}
	calls := x.ocw.Calls("/v1/woocommerce/release-orders")
	x.waitFor("two more polls", func() bool { return x.ocw.Calls("/v1/woocommerce/release-orders") >= calls+2 })
	if n := puts(); n != 2 {
		t.Errorf("%d status updates, want 2 (one each)", n)
	}
}

// A release order cancelled before it was ever mirrored is not created.
func TestMirrorCancelledBeforeMirroringIsSkipped(t *testing.T) {
	x := newEnv(t, envOptions{off: true})
	x.addRelease("ro_x", "x@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	if _, err := x.ocw.SetReleaseOrderStatus("ro_x", "cancelled"); err != nil {
		t.Fatal(err)
	}
	x.enabled.Store(true)
	x.start()
	if _, err := x.m.Backfill(t.Context(), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	x.waitState("ro_x", store.MirrorSkipped)
	if len(x.ordersFor("ro_x")) != 0 {
		t.Error("a cancelled release order was created in WooCommerce")
	}
}

// Ambiguous failures after the order was created (500, timeout, cut
// connection): the retry finds the order and creates no second one; with
// the plugin and without it (REST meta search).
func TestMirrorAmbiguousFailuresCreateOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fault    woosim.Fault
		noPlugin bool
		version  string
	}{
		{"500-after-effect", woosim.Fault{Status: 500}, false, "10.0.2"},
		{"timeout", woosim.Fault{Delay: 2 * time.Second}, false, "10.0.2"},
		{"connection-cut", woosim.Fault{Drop: true}, false, "10.0.2"},
		{"500-after-effect/no-plugin/6.9", woosim.Fault{Status: 500}, true, "6.9.0"},
		{"timeout/no-plugin", woosim.Fault{Delay: 2 * time.Second}, true, "10.0.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := newEnv(t, envOptions{sim: woosim.Options{NoPlugin: tc.noPlugin, WCVersion: tc.version}, wooTimeout: 300 * time.Millisecond})
			f := tc.fault
			f.PathPrefix, f.Method, f.AfterEffect, f.Times = "/wp-json/wc/v3/orders", http.MethodPost, true, 1
			x.woo.InjectFault(f)
			x.start()
			x.addRelease("ro_amb", "amb@example.com", line("WINE-CHA-2022-750", 2, "20.00"))
			x.waitReported("ro_amb", "SYNCED")
			if n := len(x.ordersFor("ro_amb")); n != 1 {
				t.Fatalf("%d WooCommerce orders, want exactly 1", n)
			}
			if r := x.record("ro_amb"); r.WooID != x.ordersFor("ro_amb")[0].ID {
				t.Errorf("record %+v", r)
			}
			posts := 0
			for _, r := range x.woo.Requests() {
				if r.Method == http.MethodPost && r.Route == "/wc/v3/orders" {
					posts++
				}
			}
			if posts != 1 {
				t.Errorf("%d POST /orders, want 1 (the retry looks the order up and finds it)", posts)
			}
		})
	}
}

// Switching mirroring off stops new mirrors and leaves the existing ones
// alone; switched on again, the cursor starts anew (what was paid
// meanwhile waits for a backfill).
func TestMirrorSwitchedOffAndOnAgain(t *testing.T) {
	x := newEnv(t, envOptions{})
	x.start()
	x.addRelease("ro_on", "on@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	x.waitReported("ro_on", "SYNCED")
	x.enabled.Store(false)
	x.waitFor("the cursor dropped", func() bool {
		v, err := x.store.Cursor(store.MirrorCursorName)
		return err == nil && v == ""
	})
	x.addRelease("ro_while_off", "off@example.com", line("WINE-CHA-2022-750", 1, "20.00"))
	if _, err := x.ocw.SetReleaseOrderStatus("ro_on", "cancelled"); err != nil {
		t.Fatal(err)
	}
	x.enabled.Store(true)
	x.waitFor("the cursor started again", func() bool {
		v, err := x.store.Cursor(store.MirrorCursorName)
		return err == nil && v != ""
	})
	calls := x.ocw.Calls("/v1/woocommerce/release-orders")
	x.waitFor("two more polls", func() bool { return x.ocw.Calls("/v1/woocommerce/release-orders") >= calls+2 })
	if n := len(x.ordersFor("ro_while_off")); n != 0 {
		t.Errorf("a release order paid while mirroring was off was mirrored without a backfill (%d)", n)
	}
	if o := x.ordersFor("ro_on"); len(o) != 1 || o[0].Status != "processing" {
		t.Errorf("the existing mirror was touched: %+v", o)
	}
}
