package woo

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestCatalogUsesPluginRoute(t *testing.T) {
	t.Parallel()
	f := newFakeStore(1200, 4) // 400 variable: three plugin pages of 500
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	var ids []int64
	nv := 0
	err := c.Catalog(ctxT(t), func(p Product, vars []Variation) error {
		ids = append(ids, p.ID)
		nv += len(vars)
		if p.Type == "variable" && (len(vars) != 4 || len(p.Variations) != 4 || vars[0].ParentID != p.ID) {
			t.Errorf("product %d: vars %d ids %v", p.ID, len(vars), p.Variations)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1200 || nv != 1600 || !slices.IsSorted(ids) {
		t.Fatalf("%d products, %d variations, sorted=%v", len(ids), nv, slices.IsSorted(ids))
	}
	reqs := f.Requests()
	if n := countRoute(reqs, func(r fakeRequest) bool { return r.Route == "/wc/v3/oncloudwine/catalog" }); n != 3 {
		t.Errorf("%d catalog pages, want 3", n)
	}
	if n := countRoute(reqs, func(r fakeRequest) bool { return strings.HasPrefix(r.Route, "/wc/v3/products") }); n != 0 {
		t.Errorf("%d REST product requests despite the plugin", n)
	}
}

func TestStockLevels(t *testing.T) {
	t.Parallel()
	for _, plugin := range []bool{true, false} {
		t.Run(map[bool]string{true: "plugin", false: "rest"}[plugin], func(t *testing.T) {
			t.Parallel()
			f := newFakeStore(6, 2)
			f.plugin = plugin
			srv := startFake(t, f, true)
			c, _ := newTestClient(t, srv, f, nil)
			var levels []StockLevel
			if err := c.StockLevels(ctxT(t), func(l StockLevel) error { levels = append(levels, l); return nil }); err != nil {
				t.Fatal(err)
			}
			if plugin {
				if len(levels) != 1 || levels[0].SKU != "WINE-0000" || *levels[0].StockQuantity != 3 {
					t.Errorf("levels = %+v", levels)
				}
				return
			}
			// 6 products + 2 variable × 2 variations.
			if len(levels) != 10 {
				t.Fatalf("%d levels, want 10: %+v", len(levels), levels)
			}
			parent := 0
			for _, l := range levels {
				if l.ManageStock == ManageStockParent && l.ParentID != 0 && l.StockQuantity != nil {
					parent++
				}
			}
			if parent != 4 {
				t.Errorf("%d variation levels with manage_stock parent, want 4", parent)
			}
			for _, r := range f.Requests() {
				if strings.HasPrefix(r.Route, "/wc/v3/products") && !strings.Contains(r.RawQuery, "_fields=") {
					t.Errorf("stock listing without _fields: %s", r.URI)
				}
			}
		})
	}
}

func TestOrderByRelease(t *testing.T) {
	t.Parallel()
	f := newFakeStore(1, 1)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	ctx := ctxT(t)
	o, err := c.OrderByRelease(ctx, "ro_123")
	if err != nil || o == nil || o.ID != 812 || o.Status != "processing" {
		t.Fatalf("found = %+v, %v", o, err)
	}
	o, err = c.OrderByRelease(ctx, "ro_none")
	if err != nil || o != nil {
		t.Fatalf("not found = %+v, %v; want nil, nil", o, err)
	}

	f2 := newFakeStore(1, 1)
	f2.plugin = false
	srv2 := startFake(t, f2, true)
	c2, _ := newTestClient(t, srv2, f2, nil)
	o, err = c2.OrderByRelease(ctx, "ro_123")
	if o != nil || !errors.Is(err, ErrPluginMissing) {
		t.Fatalf("without plugin = %+v, %v; want woo_plugin_missing", o, err)
	}
}

func TestCustomers(t *testing.T) {
	t.Parallel()
	f := newFakeStore(1, 1)
	srv := startFake(t, f, true)
	c, _ := newTestClient(t, srv, f, nil)
	ctx := ctxT(t)
	cu, err := c.CustomerByEmail(ctx, "alice.lab@example.test")
	if err != nil || cu == nil || cu.ID != 2 {
		t.Fatalf("CustomerByEmail = %+v, %v", cu, err)
	}
	cu, err = c.CustomerByEmail(ctx, "nobody@example.test")
	if err != nil || cu != nil {
		t.Fatalf("unknown email = %+v, %v", cu, err)
	}
	_, err = c.CreateCustomer(ctx, CustomerInput{Email: "alice.lab@example.test"})
	var we *Error
	if !errors.As(err, &we) || we.Code != CodeBadRequest || we.WooCode != "registration-error-email-exists" {
		t.Fatalf("duplicate customer error = %v", err)
	}
	if n := countRoute(f.Requests(), func(r fakeRequest) bool { return r.Method == "POST" }); n != 1 {
		t.Errorf("customer POSTed %d times", n)
	}
}
