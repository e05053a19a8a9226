package oncloudwine

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

func TestPing(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	got, err := f.client.Ping(context.Background())
	if err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if want := (Ping{Organization: ocwsim.DefaultOrganization, OK: true}); got != want {
		t.Fatalf("Ping = %+v, want %+v", got, want)
	}
}

func TestReportConnection(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	in := Connection{Status: ConnectionActive, StoreURL: "https://shop.example.com", WCVersion: "10.0.2"}
	if err := f.client.ReportConnection(context.Background(), in); err != nil {
		t.Fatalf("ReportConnection: %v", err)
	}
	got, ok := f.sim.Connection()
	if !ok || got != (ocwsim.Connection{Status: in.Status, StoreURL: in.StoreURL, WCVersion: in.WCVersion}) {
		t.Fatalf("sim connection = %+v, %v", got, ok)
	}
}

func TestUpsertVariantsCreatesOnceThenUpdates(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	ctx := context.Background()
	v := testVariant("WINE-CAB-2021-750")
	first, err := f.client.UpsertVariants(ctx, []Variant{v})
	if err != nil {
		t.Fatalf("first upsert: %v", err)
	}
	if len(first) != 1 || !first[0].Created || first[0].SKU != v.SKU || first[0].OCWVariantID == "" {
		t.Fatalf("first results = %+v", first)
	}
	v.Price, v.SalePrice = "39.00", "39.00"
	v.WooModifiedAt = v.WooModifiedAt.Add(time.Minute)
	second, err := f.client.UpsertVariants(ctx, []Variant{v})
	if err != nil {
		t.Fatalf("second upsert: %v", err)
	}
	if second[0].Created || second[0].OCWVariantID != first[0].OCWVariantID {
		t.Fatalf("second results = %+v, want same id, created=false", second)
	}
	got := f.sim.Variants()
	if len(got) != 1 || got[v.SKU].Price != "39.00" || got[v.SKU].Attributes["Size"] != "750ml" {
		t.Fatalf("sim variants = %+v", got)
	}
}

func TestBatchesSplitAt100(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	ctx := context.Background()
	res, err := f.client.UpsertVariants(ctx, variants(250))
	if err != nil {
		t.Fatalf("UpsertVariants: %v", err)
	}
	if len(res) != 250 || res[249].SKU != "WINE-0249" {
		t.Fatalf("got %d results, last %+v", len(res), res[len(res)-1])
	}
	if n := f.sim.Calls("/v1/woocommerce/variants:upsert"); n != 3 {
		t.Fatalf("variants:upsert calls = %d, want 3", n)
	}
	if r, a := f.sim.VariantsReceived(), f.sim.VariantsApplied(); r != 250 || a != 250 {
		t.Fatalf("variants received, applied = %d, %d; want 250, 250", r, a)
	}

	skus := make([]string, 201)
	levels := make([]StockLevel, 201)
	for i := range skus {
		skus[i] = res[i].SKU
		levels[i] = StockLevel{SKU: skus[i], ManageStock: true, OnHand: 5, Available: 5, StockStatus: "instock", ObservedAt: time.Now()}
	}
	if err := f.client.UpdateStock(ctx, levels); err != nil {
		t.Fatalf("UpdateStock: %v", err)
	}
	if err := f.client.ArchiveVariants(ctx, skus); err != nil {
		t.Fatalf("ArchiveVariants: %v", err)
	}
	for _, path := range []string{"/v1/woocommerce/stock:update", "/v1/woocommerce/variants:archive"} {
		if n := f.sim.Calls(path); n != 3 {
			t.Errorf("%s calls = %d, want 3 for 201 items", path, n)
		}
	}
	if n := len(f.sim.Archived()); n != 201 {
		t.Errorf("archived = %d, want 201", n)
	}
	if n := len(f.sim.Stock()); n != 201 {
		t.Errorf("stock levels = %d, want 201", n)
	}

	// Empty input sends nothing.
	if _, err := f.client.UpsertVariants(ctx, nil); err != nil {
		t.Fatalf("empty upsert: %v", err)
	}
	if n := f.sim.Calls("/v1/woocommerce/variants:upsert"); n != 3 {
		t.Fatalf("empty upsert made a call: %d", n)
	}
}

func TestUpdateStockAndReservations(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	ctx := context.Background()
	observed := time.Date(2026, 11, 27, 3, 0, 0, 0, time.FixedZone("CET", 3600))
	in := StockLevel{SKU: "WINE-PIN-2022-750", ManageStock: true, OnHand: 24, Reserved: 6, Available: 18, StockStatus: "instock", ObservedAt: observed}
	if err := f.client.UpdateStock(ctx, []StockLevel{in}); err != nil {
		t.Fatalf("UpdateStock: %v", err)
	}
	got := f.sim.Stock()[in.SKU]
	if got.Available != 18 || !got.ObservedAt.Equal(observed) {
		t.Fatalf("sim stock = %+v", got)
	}

	f.sim.SetReservation("WINE-PIN-2022-750", 6)
	f.sim.AddReleaseOrder(ocwsim.ReleaseOrder{LineItems: []ocwsim.ReleaseLineItem{{SKU: "WINE-PIN-2022-750", Quantity: 2, UnitPrice: "30.50"}}})
	res, err := f.client.Reservations(ctx)
	if err != nil {
		t.Fatalf("Reservations: %v", err)
	}
	if diff := cmp.Diff([]Reservation{{SKU: "WINE-PIN-2022-750", Quantity: 8}}, res); diff != "" {
		t.Fatalf("reservations (-want +got):\n%s", diff)
	}
}

func TestUpsertOrders(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	ctx := context.Background()
	o := testOrder(501)
	if err := f.client.UpsertOrders(ctx, []Order{o}); err != nil {
		t.Fatalf("UpsertOrders: %v", err)
	}
	o.Status = "refunded"
	if err := f.client.UpsertOrders(ctx, []Order{o}); err != nil {
		t.Fatalf("UpsertOrders update: %v", err)
	}
	got := f.sim.Orders()
	if len(got) != 1 || got[501].Status != "refunded" || got[501].LineItems[0].Quantity != 2 {
		t.Fatalf("sim orders = %+v", got)
	}
}

func TestReleaseOrdersPagingAndMirror(t *testing.T) {
	t.Parallel()
	f := setup(t, nil, nil)
	ctx := context.Background()
	base := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	// Five paid orders, two of them sharing an updated_at (the id breaks the tie), one draft.
	for i, at := range []time.Duration{0, time.Minute, time.Minute, 2 * time.Minute, 3 * time.Minute} {
		f.sim.AddReleaseOrder(ocwsim.ReleaseOrder{
			ID: fmt.Sprintf("ro_%03d", 5-i), ReleaseID: "rel_1", UpdatedAt: base.Add(at),
			Customer:  ocwsim.ReleaseCustomer{Email: "club@example.com", FirstName: "Club", LastName: "Member"},
			LineItems: []ocwsim.ReleaseLineItem{{SKU: "WINE-CAB-2021-750", Quantity: 1, UnitPrice: "45.00"}},
		})
	}
	f.sim.AddReleaseOrder(ocwsim.ReleaseOrder{ID: "ro_draft", Status: "draft", UpdatedAt: base})

	var ids []string
	q := ReleaseOrderQuery{Limit: 2}
	pages := 0
	for {
		page, err := f.client.ReleaseOrders(ctx, q)
		if err != nil {
			t.Fatalf("ReleaseOrders(%+v): %v", q, err)
		}
		pages++
		for _, ro := range page.ReleaseOrders {
			ids = append(ids, ro.ID)
			if ro.Total != "45.00" || ro.Currency != "EUR" || ro.PaidAt.IsZero() || ro.Customer.Email != "club@example.com" {
				t.Errorf("release order %s = %+v", ro.ID, ro)
			}
		}
		if page.Next == nil {
			break
		}
		q = page.Next.Query(2)
	}
	if diff := cmp.Diff([]string{"ro_005", "ro_003", "ro_004", "ro_002", "ro_001"}, ids); diff != "" {
		t.Fatalf("ids in (updated_at, id) order (-want +got):\n%s", diff)
	}
	if pages != 3 {
		t.Fatalf("pages = %d, want 3", pages)
	}

	// Polling again from the last order seen finds nothing new.
	last := ReleaseOrderCursor{UpdatedAfter: base.Add(3 * time.Minute), AfterID: "ro_001"}
	page, err := f.client.ReleaseOrders(ctx, last.Query(10))
	if err != nil || len(page.ReleaseOrders) != 0 || page.Next != nil {
		t.Fatalf("poll after last = %+v, %v", page, err)
	}

	before, err := f.client.Reservations(ctx)
	if err != nil || len(before) != 1 || before[0].Quantity != 5 {
		t.Fatalf("reservations before mirror = %+v, %v", before, err)
	}
	if err := f.client.ReportMirror(ctx, "ro_005", MirrorReport{Status: MirrorSynced, WooOrderID: 901}); err != nil {
		t.Fatalf("ReportMirror: %v", err)
	}
	if err := f.client.ReportMirror(ctx, "ro_004", MirrorReport{Status: MirrorFailed, Error: "WooCommerce said: Invalid product"}); err != nil {
		t.Fatalf("ReportMirror FAILED: %v", err)
	}
	after, err := f.client.Reservations(ctx)
	if err != nil || len(after) != 1 || after[0].Quantity != 4 {
		t.Fatalf("reservations after mirror = %+v, %v (the mirrored order's bottle must be released)", after, err)
	}
	reports := f.sim.MirrorReports()
	if reports["ro_005"].WooOrderID != 901 || reports["ro_004"].Status != "FAILED" {
		t.Fatalf("mirror reports = %+v", reports)
	}

	err = f.client.ReportMirror(ctx, "ro_unknown", MirrorReport{Status: MirrorSynced, WooOrderID: 1})
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Status != 404 || apiErr.Code != "release_order_not_found" {
		t.Fatalf("unknown release order: %v", err)
	}
}
