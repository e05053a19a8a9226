package demo

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/ocwsim"
)

// mirrorRelease switches mirroring on, has a club member pay a release
// order in OnCloudWine and shows the processing WooCommerce order the
// sidecar made of it.
func (s *story) mirrorRelease(ctx context.Context) error {
	const sku = "WINE-CHA-2022-750"
	s.title("A paid OnCloudWine release order becomes a \"processing\" WooCommerce order (mirroring on)")
	on := true
	if err := s.env.admin.Do(ctx, http.MethodPut, "/v1/settings", map[string]*bool{"mirror_release_orders": &on}, nil); err != nil {
		return fmt.Errorf("demo: switch mirroring on: %w", err)
	}
	if err := waitFor(ctx, 30*time.Second, "the release-order cursor to start", func() bool {
		var st store.Status
		return s.env.admin.Do(ctx, http.MethodGet, "/v1/status", nil, &st) == nil && st.Cursors[store.MirrorCursorName] != ""
	}); err != nil {
		return err
	}
	p, ok := s.env.woo.ProductBySKU(sku)
	if !ok || p.StockQuantity == nil {
		return fmt.Errorf("demo: the seeded store has no managed stock for %s", sku)
	}
	stockBefore := *p.StockQuantity
	start := time.Now()
	ro := s.env.ocw.AddReleaseOrder(ocwsim.ReleaseOrder{
		ReleaseID: "rel_autumn_2026",
		Customer:  ocwsim.ReleaseCustomer{Email: "rui.sousa@example.com", FirstName: "Rui", LastName: "Sousa"},
		Billing:   ocwsim.Address{FirstName: "Rui", LastName: "Sousa", Address1: "Av. 2", City: "Lisboa", Postcode: "1000-001", Country: "PT", Email: "rui.sousa@example.com"},
		Shipping:  ocwsim.Address{FirstName: "Rui", LastName: "Sousa", Address1: "Av. 2", City: "Lisboa", Postcode: "1000-001", Country: "PT"},
		LineItems: []ocwsim.ReleaseLineItem{{SKU: sku, Quantity: 6, UnitPrice: "21.50"}}, ShippingTotal: "9.00",
	})
	if err := waitFor(ctx, 60*time.Second, "the release order mirrored", func() bool {
		return s.env.ocw.MirrorReports()[ro.ID].Status == "SYNCED"
	}); err != nil {
		return err
	}
	rep := s.env.ocw.MirrorReports()[ro.ID]
	o, ok := s.env.woo.Order(rep.WooOrderID)
	if !ok {
		return fmt.Errorf("demo: WooCommerce has no order %d", rep.WooOrderID)
	}
	if o.Status != "processing" || o.DatePaid == nil {
		return fmt.Errorf("demo: mirrored order %d is %q (paid %v), want processing and paid", o.ID, o.Status, o.DatePaid != nil)
	}
	after, _ := s.env.woo.ProductBySKU(sku)
	s.mirrorLine = fmt.Sprintf("%s → WooCommerce order #%d %s, %s %s, customer #%d, %s", ro.Number, o.ID, o.Status, o.Currency, ro.Total, o.CustomerID, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(s.out, "   release order %s (6 × %s at the release's 21.50 + 9.00 shipping) → WooCommerce order #%d: %s, paid, %q, customer #%d\n",
		ro.Number, sku, o.ID, o.Status, o.PaymentMethodTitle, o.CustomerID)
	fmt.Fprintf(s.out, "   WooCommerce stock of %s: %d → %d (a sale like any other); OnCloudWine was told SYNCED and dropped its reservation\n",
		sku, stockBefore, *after.StockQuantity)
	return nil
}
