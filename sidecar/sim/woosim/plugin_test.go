package woosim

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestPluginCatalogPaging(t *testing.T) {
	env := newSimEnv(t, Options{Products: 120, Variations: 4, Seed: 3})
	var after any = float64(0)
	seen, variations, pages := 0, 0, 0
	for after != nil {
		resp, body := env.do(t, http.MethodGet, fmt.Sprintf("/wp-json/wc/v3/oncloudwine/catalog?after_id=%d&limit=50", int64(after.(float64))), "")
		if resp.StatusCode != 200 {
			t.Fatalf("catalog: %d %v", resp.StatusCode, body)
		}
		if resp.Header.Get("X-WP-Total") != "152" { // 120 generated + 32 lab products (trash excluded)
			t.Errorf("X-WP-Total %q", resp.Header.Get("X-WP-Total"))
		}
		page := body.(map[string]any)
		for _, p := range page["products"].([]any) {
			pm := p.(map[string]any)
			if pm["status"] == "trash" {
				t.Errorf("trashed product listed: %v", pm["id"])
			}
			variations += len(pm["variations"].([]any))
			seen++
		}
		after = page["next_after_id"]
		pages++
		if pages > 10 {
			t.Fatal("catalog paging does not end")
		}
	}
	if seen != 152 || variations != 480+60 || pages != 4 {
		t.Errorf("saw %d products, %d variations in %d pages", seen, variations, pages)
	}
	if resp, _ := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/catalog?limit=501", ""); resp.StatusCode != 400 {
		t.Errorf("limit 501: %d, want 400", resp.StatusCode)
	}
}

func TestPluginStock(t *testing.T) {
	env := newSimEnv(t, Options{})
	resp, body := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/stock", "")
	if resp.StatusCode != 200 {
		t.Fatalf("stock: %d %v", resp.StatusCode, body)
	}
	page := body.(map[string]any)
	levels := page["levels"].([]any)
	if len(levels) != 32+60 || page["next_after_id"] != nil {
		t.Fatalf("%d levels, next %v", len(levels), page["next_after_id"])
	}
	riog, _ := env.sim.ProductBySKU("WINE-RIOG")
	parent := 0
	for _, l := range levels {
		lm := l.(map[string]any)
		if int64(lm["parent_id"].(float64)) == riog.ID {
			if lm["manage_stock"] != "parent" || lm["stock_quantity"].(float64) != 60 {
				t.Errorf("Rioja variation level %v", lm)
			}
			parent++
		}
	}
	if parent != 6 {
		t.Errorf("%d Rioja variations", parent)
	}
	resp, body = env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/stock?limit=10", "")
	if resp.StatusCode != 200 || body.(map[string]any)["next_after_id"] == nil {
		t.Errorf("limit 10: %d next %v", resp.StatusCode, body)
	}
}

func TestNoPlugin(t *testing.T) {
	env := newSimEnv(t, Options{NoPlugin: true})
	for _, path := range []string{"/wp-json/wc/v3/oncloudwine/catalog", "/wp-json/wc/v3/oncloudwine/stock", "/wp-json/wc/v3/oncloudwine/orders/by-release/x"} {
		resp, body := env.do(t, http.MethodGet, path, "")
		if resp.StatusCode != 404 || body.(map[string]any)["code"] != "rest_no_route" {
			t.Errorf("%s: %d %v", path, resp.StatusCode, body)
		}
	}
	_, idx := env.do(t, http.MethodGet, "/wp-json/wc/v3", "")
	if _, ok := idx.(map[string]any)["routes"].(map[string]any)["/wc/v3/oncloudwine/catalog"]; ok {
		t.Error("namespace index lists the plugin's routes")
	}
	with := newSimEnv(t, Options{})
	_, idx = with.do(t, http.MethodGet, "/wp-json/wc/v3", "")
	if _, ok := idx.(map[string]any)["routes"].(map[string]any)["/wc/v3/oncloudwine/catalog"]; !ok {
		t.Error("namespace index lacks the plugin's routes")
	}
}

func TestSettingsWeightUnit(t *testing.T) {
	env := newSimEnv(t, Options{WeightUnit: "lbs"})
	resp, body := env.do(t, http.MethodGet, "/wp-json/wc/v3/settings/products/woocommerce_weight_unit", "")
	if resp.StatusCode != 200 || body.(map[string]any)["value"] != "lbs" {
		t.Fatalf("weight unit: %d %v", resp.StatusCode, body)
	}
	resp, body = env.do(t, http.MethodGet, "/wp-json/wc/v3/settings/products/nope", "")
	if resp.StatusCode != 404 || body.(map[string]any)["code"] != "rest_setting_setting_invalid" {
		t.Fatalf("unknown setting: %d %v", resp.StatusCode, body)
	}
}

func TestPluginRouteErrors(t *testing.T) {
	env := newSimEnv(t, Options{})
	anon := func(path string) (int, wcError) {
		code, e, _ := send(t, env.tlsC, mustReq(t, http.MethodGet, env.tls.URL+path))
		return code, e
	}
	tests := []struct {
		name, path string
		anonymous  bool
		wantStatus int
		wantCode   string
	}{
		{"no key", "/wp-json/wc/v3/oncloudwine/catalog", true, 401, "woocommerce_rest_cannot_view"},
		{"negative after_id", "/wp-json/wc/v3/oncloudwine/stock?after_id=-1", false, 400, "rest_invalid_param"},
		{"limit 0", "/wp-json/wc/v3/oncloudwine/stock?limit=0", false, 400, "rest_invalid_param"},
		{"limit above 5000", "/wp-json/wc/v3/oncloudwine/stock?limit=5001", false, 400, "rest_invalid_param"},
		{"release id outside the route pattern", "/wp-json/wc/v3/oncloudwine/orders/by-release/a%20b", false, 404, "rest_no_route"},
		{"write method", "/wp-json/wc/v3/oncloudwine/catalog", false, 404, "rest_no_route"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var code int
			var errCode string
			switch {
			case tt.anonymous:
				c, e := anon(tt.path)
				code, errCode = c, e.Code
			case tt.name == "write method":
				resp, body := env.do(t, http.MethodPost, tt.path, "{}")
				code, errCode = resp.StatusCode, body.(map[string]any)["code"].(string)
			default:
				resp, body := env.do(t, http.MethodGet, tt.path, "")
				code, errCode = resp.StatusCode, body.(map[string]any)["code"].(string)
			}
			if code != tt.wantStatus || errCode != tt.wantCode {
				t.Fatalf("%d %s, want %d %s", code, errCode, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

// The catalog route's modified_after lists the products whose own or any
// variation's post_modified_gmt is at or after it (GMT), each with all its
// variations, and counts them in X-WP-Total.
func TestPluginCatalogModifiedAfter(t *testing.T) {
	env := newSimEnv(t, Options{})
	env.clock.Advance(2 * time.Second)
	mark := env.clock.Now().UTC().Truncate(time.Second)
	syr, _ := env.sim.ProductBySKU("WINE-SYR-2019-750")
	if err := env.sim.UpdateProduct(syr.ID, func(p *Product) { p.RegularPrice = "21.00" }); err != nil {
		t.Fatal(err)
	}
	riog, _ := env.sim.ProductBySKU("WINE-RIOG")
	if err := env.sim.UpdateProduct(riog.Variations[0], func(p *Product) { p.RegularPrice = "33.00" }); err != nil {
		t.Fatal(err)
	}
	for _, since := range []string{mark.Format("2006-01-02T15:04:05"), mark.Format(time.RFC3339), mark.In(time.FixedZone("", 3600)).Format(time.RFC3339)} {
		resp, body := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/catalog?modified_after="+url.QueryEscape(since), "")
		if resp.StatusCode != 200 {
			t.Fatalf("modified_after=%s: %d %v", since, resp.StatusCode, body)
		}
		var ids []int64
		for _, p := range body.(map[string]any)["products"].([]any) {
			pm := p.(map[string]any)
			ids = append(ids, int64(pm["id"].(float64)))
			if int64(pm["id"].(float64)) == riog.ID && len(pm["variations"].([]any)) != len(riog.Variations) {
				t.Errorf("the changed variation's parent came with %d of its %d variations", len(pm["variations"].([]any)), len(riog.Variations))
			}
		}
		want := []int64{syr.ID, riog.ID}
		if riog.ID < syr.ID {
			want = []int64{riog.ID, syr.ID}
		}
		if fmt.Sprint(ids) != fmt.Sprint(want) || resp.Header.Get("X-WP-Total") != "2" {
			t.Errorf("modified_after=%s listed %v (X-WP-Total %s), want %v", since, ids, resp.Header.Get("X-WP-Total"), want)
		}
	}
	resp, body := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/catalog?modified_after="+url.QueryEscape(mark.Add(time.Second).Format(time.RFC3339)), "")
	if n := len(body.(map[string]any)["products"].([]any)); resp.StatusCode != 200 || n != 0 {
		t.Errorf("a second later: %d, %d products", resp.StatusCode, n)
	}
	if resp, _ := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/catalog?modified_after=yesterday", ""); resp.StatusCode != 400 {
		t.Errorf("modified_after=yesterday: %d, want 400", resp.StatusCode)
	}
}
