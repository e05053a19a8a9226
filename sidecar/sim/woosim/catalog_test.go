package woosim

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func list(t *testing.T, env *simEnv, path string) (*http.Response, []map[string]any) {
	t.Helper()
	resp, body := env.do(t, http.MethodGet, path, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, body)
	}
	arr, ok := body.([]any)
	if !ok {
		t.Fatalf("GET %s: not a list: %T", path, body)
	}
	out := make([]map[string]any, len(arr))
	for i, e := range arr {
		out[i] = e.(map[string]any)
	}
	return resp, out
}

func TestProductListing(t *testing.T) {
	env := newSimEnv(t, Options{})
	tests := []struct {
		name       string
		path       string
		wantStatus int
		wantLen    int
		wantTotal  string
		wantPages  string
		wantLink   string // substring
		check      func(t *testing.T, items []map[string]any)
	}{
		{"default page", "/wp-json/wc/v3/products", 200, 10, "32", "4", `page=2>; rel="next"`, nil},
		{"middle page", "/wp-json/wc/v3/products?per_page=10&page=2", 200, 10, "32", "4", `page=1>; rel="prev", <`, nil},
		{"past the end", "/wp-json/wc/v3/products?per_page=100&page=2", 200, 0, "32", "1", `page=1>; rel="prev"`, nil},
		{"per_page above 100", "/wp-json/wc/v3/products?per_page=101", 400, -1, "", "", "", nil},
		{"page 0", "/wp-json/wc/v3/products?page=0", 400, -1, "", "", "", nil},
		{"drafts", "/wp-json/wc/v3/products?status=draft", 200, 1, "1", "1", "", nil},
		{"trash only on request", "/wp-json/wc/v3/products?status=trash&_fields=id,status", 200, 1, "1", "1", "", func(t *testing.T, items []map[string]any) {
			if items[0]["status"] != "trash" {
				t.Errorf("status %v", items[0]["status"])
			}
		}},
		{"variable type", "/wp-json/wc/v3/products?type=variable&per_page=100", 200, 10, "10", "1", "", nil},
		{"sku finds a variation", "/wp-json/wc/v3/products?sku=WINE-CABR-2020-1500", 200, 1, "1", "1", "", func(t *testing.T, items []map[string]any) {
			if _, isString := items[0]["total_sales"].(string); items[0]["type"] != "variation" || !isString {
				t.Errorf("type %v total_sales %#v", items[0]["type"], items[0]["total_sales"])
			}
		}},
		{"sku unknown", "/wp-json/wc/v3/products?sku=NOPE", 200, 0, "0", "0", "", nil},
		{"_fields", "/wp-json/wc/v3/products?per_page=3&_fields=id,sku,manage_stock", 200, 3, "32", "11", "", func(t *testing.T, items []map[string]any) {
			for _, it := range items {
				if len(it) != 3 {
					t.Errorf("keys %v", it)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.do(t, http.MethodGet, tt.path, "")
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tt.wantStatus, body)
			}
			if tt.wantLen < 0 {
				return
			}
			items := body.([]any)
			if len(items) != tt.wantLen {
				t.Errorf("len %d, want %d", len(items), tt.wantLen)
			}
			if got := resp.Header.Get("X-WP-Total"); got != tt.wantTotal {
				t.Errorf("X-WP-Total %q, want %q", got, tt.wantTotal)
			}
			if got := resp.Header.Get("X-WP-TotalPages"); got != tt.wantPages {
				t.Errorf("X-WP-TotalPages %q, want %q", got, tt.wantPages)
			}
			if !strings.Contains(resp.Header.Get("Link"), tt.wantLink) {
				t.Errorf("Link %q lacks %q", resp.Header.Get("Link"), tt.wantLink)
			}
			if tt.check != nil {
				ms := make([]map[string]any, len(items))
				for i, e := range items {
					ms[i] = e.(map[string]any)
				}
				tt.check(t, ms)
			}
		})
	}
}

func TestModifiedAfter(t *testing.T) {
	env := newSimEnv(t, Options{})
	mark := env.clock.Now().Add(time.Second).Format(wcTime)
	env.clock.Advance(2 * time.Second)
	syr, _ := env.sim.ProductBySKU("WINE-SYR-2019-750")
	if err := env.sim.SetStock(syr.ID, 11); err != nil {
		t.Fatal(err)
	}
	for _, gmt := range []string{"", "&dates_are_gmt=true"} {
		_, items := list(t, env, "/wp-json/wc/v3/products?modified_after="+mark+gmt+"&_fields=id,stock_quantity,date_modified_gmt")
		if len(items) != 1 || items[0]["id"].(float64) != float64(syr.ID) || items[0]["stock_quantity"].(float64) != 11 {
			t.Fatalf("modified_after%s: %v", gmt, items)
		}
	}
}

func TestVariationQuirks(t *testing.T) {
	env := newSimEnv(t, Options{})
	find := func(sku string) Product {
		p, ok := env.sim.ProductBySKU(sku)
		if !ok {
			t.Fatalf("no %s", sku)
		}
		return p
	}
	sabc, riog, char := find("WINE-SABC"), find("WINE-RIOG"), find("WINE-CHAR")
	_, vs := list(t, env, fmt.Sprintf("/wp-json/wc/v3/products/%d/variations?per_page=100", sabc.ID))
	skus := map[string]int{}
	for _, v := range vs {
		skus[v["sku"].(string)]++
	}
	if skus["WINE-SABC"] != 1 || len(vs) != 6 {
		t.Errorf("variation without SKU should report the parent's: %v", skus)
	}
	_, vs = list(t, env, fmt.Sprintf("/wp-json/wc/v3/products/%d/variations?per_page=100", riog.ID))
	for _, v := range vs {
		if v["manage_stock"] != "parent" || v["stock_quantity"].(float64) != 60 {
			t.Errorf("parent-managed variation: manage_stock %#v qty %v", v["manage_stock"], v["stock_quantity"])
		}
	}
	_, vs = list(t, env, fmt.Sprintf("/wp-json/wc/v3/products/%d/variations?per_page=100", char.ID))
	private := 0
	for _, v := range vs {
		if v["status"] == "private" {
			private++
		}
	}
	if private != 1 || len(vs) != 6 {
		t.Errorf("private variation listed: %d of %d", private, len(vs))
	}
	// A simple product with stock off, and the one without a SKU.
	_, items := list(t, env, "/wp-json/wc/v3/products?per_page=100&_fields=sku,manage_stock,stock_quantity")
	var noSKU, unmanaged int
	for _, it := range items {
		if it["sku"] == "" {
			noSKU++
		}
		if it["manage_stock"] == false && it["stock_quantity"] == nil {
			unmanaged++
		}
	}
	if noSKU != 1 || unmanaged != 10 { // Cellar Door Blend + the variable parents but Rioja
		t.Errorf("no SKU %d (want 1), unmanaged %d (want 10)", noSKU, unmanaged)
	}
}

func TestGeneratedCatalog(t *testing.T) {
	a, err := New(Options{Products: 5000, Variations: 4, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := New(Options{Products: 5000, Variations: 4, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	products, variations := a.Counts()
	if products != 5000+33 || variations != 20000+60 {
		t.Fatalf("counts %d products, %d variations", products, variations)
	}
	// Generation speed is measured by BenchmarkGenerate, not timed here.
	for _, sku := range []string{"GEN-00001", "GEN-02500", "GEN-05000"} {
		pa, ok1 := a.ProductBySKU(sku)
		pb, ok2 := b.ProductBySKU(sku)
		if !ok1 || !ok2 || pa.Name != pb.Name || len(pa.Variations) != 4 {
			t.Fatalf("%s: not deterministic or not 4 variations: %+v / %+v", sku, pa.Name, pb.Name)
		}
		for i, vid := range pa.Variations {
			va, _ := a.Product(vid)
			vb, _ := b.Product(pb.Variations[i])
			if va.SKU != vb.SKU || va.RegularPrice != vb.RegularPrice || va.Weight == "" || !strings.Contains(va.RegularPrice, ".") {
				t.Errorf("variation %d: %q %q / %q %q", vid, va.SKU, va.RegularPrice, vb.SKU, vb.RegularPrice)
			}
		}
	}
	c, err := New(Options{Products: 50, Variations: 4, Seed: 43})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pa, _ := a.ProductBySKU("GEN-00001")
	pc, _ := c.ProductBySKU("GEN-00001")
	if pa.Name == pc.Name && pa.Variations != nil {
		va, _ := a.Product(pa.Variations[0])
		vc, _ := c.Product(pc.Variations[0])
		if va.RegularPrice == vc.RegularPrice {
			t.Error("another seed gave the same first product")
		}
	}
}

func BenchmarkGenerate5000x4(b *testing.B) {
	for b.Loop() {
		s, err := New(Options{Products: 5000, Variations: 4, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
