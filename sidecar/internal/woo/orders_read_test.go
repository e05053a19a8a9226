package woo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// Orders lists every order once, sequentially or several pages at once;
// modified_after and after filter; refunds sum without floats.
func TestSimOrdersListing(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{}, true)
	c, _ := simClient(t, srv, nil)
	ctx := ctxT(t)
	p, _ := sim.ProductBySKU("WINE-PIN-2022-750")
	var placed []int64
	for i := range 250 {
		id, err := sim.PlaceOrder(woosim.NewOrder{Billing: woosim.Address{Email: fmt.Sprintf("s%d@example.test", i)}, Lines: []woosim.OrderLine{{ProductID: p.ID, Quantity: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		placed = append(placed, id)
	}
	ids := func(q OrderQuery) []int64 {
		t.Helper()
		var out []int64
		if err := c.Orders(ctx, q, func(o Order) error { out = append(out, o.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	seq := ids(OrderQuery{})
	par := ids(OrderQuery{Parallel: true})
	if len(seq) != 254 || !slices.IsSorted(seq) { // the lab's 4 and ours
		t.Fatalf("sequential listing: %d orders, sorted %v", len(seq), slices.IsSorted(seq))
	}
	slices.Sort(par)
	if !slices.Equal(seq, par) {
		t.Fatalf("parallel listing differs: %d vs %d orders", len(par), len(seq))
	}
	if n, err := c.OrdersTotal(ctx, OrderQuery{}); err != nil || n != 254 {
		t.Errorf("OrdersTotal = %d, %v", n, err)
	}
	recent := ids(OrderQuery{CreatedAfter: time.Now().Add(-time.Hour)})
	if len(recent) != 250 || recent[0] != placed[0] {
		t.Errorf("after= an hour ago: %d orders", len(recent))
	}
	if _, err := sim.RefundOrder(placed[0], "1.05", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.RefundOrder(placed[0], "2.00", ""); err != nil {
		t.Fatal(err)
	}
	o, err := c.Order(ctx, placed[0])
	if err != nil {
		t.Fatal(err)
	}
	if r, err := o.RefundedTotal(); err != nil || r.String() != "3.05" {
		t.Errorf("RefundedTotal = %s, %v; want 3.05", r, err)
	}
	for _, r := range sim.Requests() {
		if strings.HasPrefix(r.Route, "/wc/v3/orders") && strings.Contains(r.Query, "after=") && !strings.Contains(r.Query, "dates_are_gmt=true") {
			t.Errorf("a date filter without dates_are_gmt: %s", r.Query)
		}
	}
	if _, err := c.Order(ctx, 999999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
}
