package woo

import (
	"errors"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

func TestSimOrdersAndCustomers(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	c, _ := simClient(t, srv, nil)
	ctx := ctxT(t)
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok || p.StockQuantity == nil {
		t.Fatal("lab product with managed stock missing")
	}
	before := *p.StockQuantity

	cu, err := c.CustomerByEmail(ctx, "alice.lab@example.test")
	if err != nil || cu == nil || cu.Email != "alice.lab@example.test" {
		t.Fatalf("CustomerByEmail = %+v, %v", cu, err)
	}
	if _, err := c.CreateCustomer(ctx, CustomerInput{Email: "alice.lab@example.test", FirstName: "Alice"}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("duplicate customer = %v, want woo_bad_request", err)
	}
	newCu, err := c.CreateCustomer(ctx, CustomerInput{Email: "erin.lab@example.test", FirstName: "Erin", LastName: "Estate"})
	if err != nil || newCu.ID == 0 {
		t.Fatalf("CreateCustomer = %+v, %v", newCu, err)
	}
	if found, err := c.CustomerByEmail(ctx, "erin.lab@example.test"); err != nil || found == nil || found.ID != newCu.ID {
		t.Fatalf("new customer lookup = %+v, %v", found, err)
	}

	o, err := c.CreateOrder(ctx, OrderInput{
		Status: "processing", SetPaid: true, CustomerID: newCu.ID, Currency: "USD", CreatedVia: "oncloudwine",
		Billing:   &Address{FirstName: "Erin", Email: "erin.lab@example.test"},
		LineItems: []LineItemInput{{ProductID: p.ID, Quantity: 2, Subtotal: MustDecimal("70.00"), Total: MustDecimal("70.00")}},
		MetaData:  []MetaInput{{Key: "_oncloudwine_release_order_id", Value: "ro_777"}},
	})
	if err != nil || o.ID == 0 || o.Status != "processing" || o.DatePaidGMT.IsZero() {
		t.Fatalf("CreateOrder = %+v, %v", o, err)
	}
	if len(o.LineItems) != 1 || o.LineItems[0].Total.String() != "70.00" {
		t.Errorf("line items = %+v", o.LineItems)
	}
	if after, _ := sim.Product(p.ID); after.StockQuantity == nil || *after.StockQuantity != before-2 {
		t.Errorf("stock %d → %v, want %d", before, after.StockQuantity, before-2)
	}
	found, err := c.OrderByRelease(ctx, "ro_777")
	if err != nil || found == nil || found.ID != o.ID {
		t.Fatalf("OrderByRelease(ro_777) = %+v, %v; want order %d", found, err, o.ID)
	}
	if none, err := c.OrderByRelease(ctx, "ro_nothing"); err != nil || none != nil {
		t.Fatalf("OrderByRelease(ro_nothing) = %+v, %v; want nil, nil", none, err)
	}

	_, srvNoPlugin := startSim(t, woosim.Options{NoPlugin: true}, true)
	c2, _ := simClient(t, srvNoPlugin, nil)
	if o, err := c2.OrderByRelease(ctx, "ro_777"); o != nil || !errors.Is(err, ErrPluginMissing) {
		t.Fatalf("without the plugin = %+v, %v; want woo_plugin_missing", o, err)
	}
	if _, err := c.Product(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown product = %v, want woo_not_found", err)
	}
}
