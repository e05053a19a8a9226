package woo

import (
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// CatalogChangedSince reads only the products changed since a time, each
// with all its variations, through the plugin's catalog route; without the
// plugin it says so and reads nothing.
func TestSimCatalogChangedSince(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 27, 2, 4, 58, 0, time.UTC)
	clock := &fakeClock{now: t0}
	sim, srv := startSim(t, woosim.Options{Now: clock.Now}, true)
	c, _ := simClient(t, srv, func(cfg *Config) { cfg.Now = clock.Now })
	rio, _ := sim.ProductBySKU("WINE-RIOG")
	clock.Set(t0.Add(2 * time.Second))
	if err := sim.UpdateProduct(rio.Variations[1], func(p *woosim.Product) { p.RegularPrice = "27.00" }); err != nil {
		t.Fatal(err)
	}
	var got []Product
	vars := 0
	used, err := c.CatalogChangedSince(ctxT(t), t0.Add(time.Second), func(p Product, vs []Variation) error {
		got = append(got, p)
		vars += len(vs)
		return nil
	})
	if err != nil || !used {
		t.Fatalf("CatalogChangedSince = %v, %v", used, err)
	}
	if len(got) != 1 || got[0].ID != rio.ID || vars != len(rio.Variations) {
		t.Fatalf("changed since: %d products (%v), %d variations; want product %d with its %d variations", len(got), got, vars, rio.ID, len(rio.Variations))
	}
	for _, r := range sim.Requests() {
		if strings.HasPrefix(r.Route, "/wc/v3/products") {
			t.Errorf("read REST v3 products although the catalog route is there: %s", r.Route)
		}
	}

	_, noPlugin := startSim(t, woosim.Options{NoPlugin: true}, true)
	c2, _ := simClient(t, noPlugin, nil)
	used, err = c2.CatalogChangedSince(ctxT(t), t0, func(Product, []Variation) error {
		t.Error("called without the plugin")
		return nil
	})
	if used || err != nil {
		t.Fatalf("without the plugin: %v, %v; want false, nil", used, err)
	}
}
