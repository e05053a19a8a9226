package woo

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/sim/woosim"
)

// startSim runs the WooCommerce simulator over TLS (or plain HTTP).

// simTotal asks the simulator directly for X-WP-Total of a products query.

func TestSimPagingToTheLastPageAndFields(t *testing.T) {
	t.Parallel()
	sim, srv := startSim(t, woosim.Options{Products: 230, Variations: 2, Seed: 7}, true)
	c, _ := simClient(t, srv, nil)
	want := simTotal(t, srv, "")
	var ids []int64
	named := 0
	err := c.Products(ctxT(t), ProductQuery{Fields: []string{"id", "sku", "type"}}, func(p Product) error {
		ids = append(ids, p.ID)
		if p.Name != "" || p.Type == "" {
			named++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != want || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != want {
		t.Fatalf("%d products (sorted %v), want %d unique in id order", len(ids), slices.IsSorted(ids), want)
	}
	if named != 0 {
		t.Errorf("%d products carry fields outside _fields=id,sku,type", named)
	}
	var pages []int
	for _, r := range sim.Requests() {
		if r.Route == "/wc/v3/products" && strings.Contains(r.Query, "_fields=") {
			q, _ := url.ParseQuery(r.Query)
			p, _ := strconv.Atoi(q.Get("page"))
			pages = append(pages, p)
		}
	}
	wantPages := (want + 99) / 100
	if len(pages) != wantPages || pages[len(pages)-1] != wantPages {
		t.Errorf("pages requested %v, want 1..%d", pages, wantPages)
	}
}

// fakeClock is a settable clock for the simulator.

func TestSimModifiedAfter(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 27, 2, 4, 58, 0, time.UTC)
	clock := &fakeClock{now: t0}
	sim, srv := startSim(t, woosim.Options{Now: clock.Now}, true)
	c, _ := simClient(t, srv, func(cfg *Config) { cfg.Now = clock.Now })
	p, ok := sim.ProductBySKU("WINE-CAB-2021-750")
	if !ok {
		t.Fatal("lab product WINE-CAB-2021-750 missing from the simulator")
	}
	clock.Set(t0.Add(2 * time.Second))
	if err := sim.UpdateProduct(p.ID, func(p *woosim.Product) { p.RegularPrice = "41.00" }); err != nil {
		t.Fatal(err)
	}
	var got []Product
	err := c.Products(ctxT(t), ProductQuery{ModifiedAfter: t0}, func(p Product) error { got = append(got, p); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != p.ID || got[0].RegularPrice.String() != "41.00" || !got[0].DateModifiedGMT.After(t0) {
		t.Fatalf("modified_after %v = %+v, want only product %d at 41.00", t0, got, p.ID)
	}
}

// catalogDigest renders what the sync reads of a catalog, to compare paths.

func catalogDigest(t *testing.T, c *Client) []string {
	t.Helper()
	var out []string
	err := c.Catalog(ctxT(t), func(p Product, vars []Variation) error {
		out = append(out, fmt.Sprintf("P %d %s %s %s %s %s %v %s", p.ID, p.Type, p.Status, p.SKU, p.Price, p.Weight, p.ManageStock, p.StockStatus))
		for _, v := range vars {
			q := "null"
			if v.StockQuantity != nil {
				q = strconv.FormatInt(*v.StockQuantity, 10)
			}
			out = append(out, fmt.Sprintf("  V %d/%d %s %s %s %s %v %s %s", v.ParentID, v.ID, v.Status, v.SKU, v.RegularPrice, v.Weight, v.ManageStock, q, v.StockStatus))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSimCatalogPluginAndRESTAgree(t *testing.T) {
	t.Parallel()
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain=%v", plain), func(t *testing.T) {
			t.Parallel()
			opts := woosim.Options{Products: 40, Variations: 3, Seed: 3, PlainPermalinks: plain}
			_, srvPlugin := startSim(t, opts, true)
			opts.NoPlugin = true
			simREST, srvREST := startSim(t, opts, true)
			cPlugin, _ := simClient(t, srvPlugin, nil)
			cREST, _ := simClient(t, srvREST, func(c *Config) { c.MaxConcurrency = 3 })
			viaPlugin := catalogDigest(t, cPlugin)
			viaREST := catalogDigest(t, cREST)
			total, err := cREST.CatalogTotal(ctxT(t))
			products := 0
			for _, l := range viaREST {
				if strings.HasPrefix(l, "P ") {
					products++
				}
			}
			if err != nil || total != products {
				t.Errorf("CatalogTotal = %d, %v; Catalog delivered %d products", total, err, products)
			}
			if len(viaREST) < 40*4 {
				t.Fatalf("REST catalog has %d lines", len(viaREST))
			}
			if !slices.Equal(viaPlugin, viaREST) {
				for i := range min(len(viaPlugin), len(viaREST)) {
					if viaPlugin[i] != viaREST[i] {
						t.Fatalf("plugin and REST differ at line %d:\nplugin %s\nREST   %s", i, viaPlugin[i], viaREST[i])
					}
				}
				t.Fatalf("plugin %d lines, REST %d lines", len(viaPlugin), len(viaREST))
			}
			var parentManaged, privateVar bool
			for _, l := range viaREST {
				parentManaged = parentManaged || strings.Contains(l, " parent ")
				privateVar = privateVar || strings.HasPrefix(l, "  V") && strings.Contains(l, " private ")
			}
			if !parentManaged || !privateVar {
				t.Errorf("edge cases missing from the catalog: parent-managed %v, private variation %v", parentManaged, privateVar)
			}
			for _, r := range simREST.Requests() {
				if strings.HasPrefix(r.Route, "/wc/v3/oncloudwine/catalog") && r.Status == 200 {
					t.Errorf("REST store served the plugin route")
				}
			}
		})
	}
}

func TestSimStockLevelsPluginAndRESTAgree(t *testing.T) {
	t.Parallel()
	opts := woosim.Options{Products: 20, Variations: 2, Seed: 5}
	_, srvPlugin := startSim(t, opts, true)
	opts.NoPlugin = true
	_, srvREST := startSim(t, opts, true)
	digest := func(c *Client) []string {
		var out []string
		err := c.StockLevels(ctxT(t), func(l StockLevel) error {
			q := "null"
			if l.StockQuantity != nil {
				q = strconv.FormatInt(*l.StockQuantity, 10)
			}
			out = append(out, fmt.Sprintf("%d %d %s %v %s %s", l.ID, l.ParentID, l.SKU, l.ManageStock, q, l.StockStatus))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	cPlugin, _ := simClient(t, srvPlugin, nil)
	cREST, _ := simClient(t, srvREST, nil)
	a, b := digest(cPlugin), digest(cREST)
	if len(a) < 20*3 || !slices.Equal(a, b) {
		t.Fatalf("stock levels differ or are missing: plugin %d, REST %d\nplugin %v\nREST   %v", len(a), len(b), a, b)
	}
}
