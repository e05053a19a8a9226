package woosim

import (
	"fmt"
	"net/http"
	"testing"
)

func TestPaidOrderReducesStockAndKeepsMeta(t *testing.T) {
	for _, tt := range []struct {
		version        string
		wantCreatedVia string
		wantEmailMeta  bool
	}{
		{"10.0.2", "oncloudwine", false},
		{"6.9.0", "rest-api", true},
	} {
		t.Run(tt.version, func(t *testing.T) {
			env := newSimEnv(t, Options{WCVersion: tt.version})
			sim := env.sim
			cabr, _ := sim.ProductBySKU("WINE-CABR")
			v, _ := sim.ProductBySKU("WINE-CABR-2021-750")
			riogV, _ := sim.ProductBySKU("WINE-RIOG-2020-750")
			riog, _ := sim.ProductBySKU("WINE-RIOG")
			before, parentBefore := *v.StockQuantity, *riog.StockQuantity
			body := fmt.Sprintf(`{"status":"processing","set_paid":true,"created_via":"oncloudwine",
				"billing":{"first_name":"Ann","email":"ann@example.test"},
				"line_items":[{"product_id":%d,"variation_id":%d,"quantity":2,"subtotal":"70.00","total":"70.00"},{"product_id":%d,"variation_id":%d,"quantity":1}],
				"meta_data":[{"key":"_oncloudwine_release_order_id","value":"ro_123"}]}`, cabr.ID, v.ID, riog.ID, riogV.ID)
			resp, o := env.do(t, http.MethodPost, "/wp-json/wc/v3/orders", body)
			if resp.StatusCode != http.StatusCreated {
				t.Fatalf("create order: %d %v", resp.StatusCode, o)
			}
			order := o.(map[string]any)
			if order["date_paid"] == nil || order["status"] != "processing" || order["created_via"] != tt.wantCreatedVia {
				t.Errorf("date_paid %v status %v created_via %v", order["date_paid"], order["status"], order["created_via"])
			}
			if order["total"] != "111.00" { // 70.00 + the Rioja 750ml 2020 at 41.00
				t.Errorf("total %v", order["total"])
			}
			meta := map[string]bool{}
			for _, m := range order["meta_data"].([]any) {
				meta[m.(map[string]any)["key"].(string)] = true
			}
			if !meta["_oncloudwine_release_order_id"] || meta["_new_order_email_sent"] != tt.wantEmailMeta {
				t.Errorf("meta keys %v", meta)
			}
			after, _ := sim.Product(v.ID)
			parentAfter, _ := sim.Product(riog.ID)
			if *after.StockQuantity != before-2 || *parentAfter.StockQuantity != parentBefore-1 {
				t.Errorf("stock %d→%d (want -2), parent-managed %d→%d (want -1)", before, *after.StockQuantity, parentBefore, *parentAfter.StockQuantity)
			}
			id := int64(order["id"].(float64))
			resp, found := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/orders/by-release/ro_123", "")
			if resp.StatusCode != 200 || int64(found.(map[string]any)["id"].(float64)) != id {
				t.Errorf("by-release: %d %v", resp.StatusCode, found)
			}
			resp, missing := env.do(t, http.MethodGet, "/wp-json/wc/v3/oncloudwine/orders/by-release/ro_999", "")
			if resp.StatusCode != 404 || missing.(map[string]any)["code"] != "oncloudwine_order_not_found" {
				t.Errorf("by-release unknown: %d %v", resp.StatusCode, missing)
			}
		})
	}
}

func TestOrderErrors(t *testing.T) {
	env := newSimEnv(t, Options{})
	tests := []struct {
		name, body, wantCode string
	}{
		{"unknown customer", `{"customer_id":9999,"line_items":[{"product_id":12,"quantity":1}]}`, "woocommerce_rest_invalid_customer_id"},
		{"unknown product", `{"line_items":[{"product_id":999999,"quantity":1}]}`, "woocommerce_rest_invalid_product_id"},
		{"variable parent without variation", `{"line_items":[{"product_id":33,"quantity":1}]}`, "woocommerce_rest_invalid_product_id"},
		{"bad status", `{"status":"shipped"}`, "rest_invalid_param"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := env.do(t, http.MethodPost, "/wp-json/wc/v3/orders", tt.body)
			if resp.StatusCode != 400 || body.(map[string]any)["code"] != tt.wantCode {
				t.Fatalf("%d %v, want 400 %s", resp.StatusCode, body, tt.wantCode)
			}
		})
	}
}

func TestCustomers(t *testing.T) {
	for _, version := range []string{"10.0.2", "6.9.0"} {
		env := newSimEnv(t, Options{WCVersion: version})
		tests := []struct {
			name, path string
			want       int
		}{
			{"customer by email", "/wp-json/wc/v3/customers?email=alice.lab@example.test", 1},
			{"email is case-insensitive", "/wp-json/wc/v3/customers?email=ALICE.lab@example.test", 1},
			{"shop manager hidden by default", "/wp-json/wc/v3/customers?email=carol.lab@example.test", 0},
			{"role=all finds her", "/wp-json/wc/v3/customers?email=carol.lab@example.test&role=all", 1},
			{"unknown", "/wp-json/wc/v3/customers?email=nobody@example.test", 0},
		}
		for _, tt := range tests {
			t.Run(version+"/"+tt.name, func(t *testing.T) {
				resp, items := list(t, env, tt.path)
				if len(items) != tt.want || resp.Header.Get("X-WP-Total") != fmt.Sprint(tt.want) {
					t.Fatalf("%d customers (X-WP-Total %s), want %d", len(items), resp.Header.Get("X-WP-Total"), tt.want)
				}
			})
		}
		t.Run(version+"/create and duplicate", func(t *testing.T) {
			resp, c := env.do(t, http.MethodPost, "/wp-json/wc/v3/customers", `{"email":"new@example.test","first_name":"New"}`)
			if resp.StatusCode != 201 || resp.Header.Get("Location") == "" || c.(map[string]any)["role"] != "customer" {
				t.Fatalf("create: %d %v", resp.StatusCode, c)
			}
			resp, e := env.do(t, http.MethodPost, "/wp-json/wc/v3/customers", `{"email":"new@example.test"}`)
			if resp.StatusCode != 400 || e.(map[string]any)["code"] != "registration-error-email-exists" {
				t.Fatalf("duplicate: %d %v", resp.StatusCode, e)
			}
		})
	}
}

func TestProductWrites(t *testing.T) {
	env := newSimEnv(t, Options{})
	resp, body := env.do(t, http.MethodPost, "/wp-json/wc/v3/products", `{"name":"Dup","sku":"WINE-CAB-2021-750","regular_price":"1.00"}`)
	e := body.(map[string]any)
	if resp.StatusCode != 400 || e["code"] != "product_invalid_sku" || e["data"].(map[string]any)["unique_sku"] != "WINE-CAB-2021-750-1" {
		t.Fatalf("duplicate SKU: %d %v", resp.StatusCode, body)
	}
	resp, body = env.do(t, http.MethodPost, "/wp-json/wc/v3/products/batch",
		`{"create":[{"name":"B","sku":"B-1","regular_price":"3.00"}],"update":[{"id":12,"sale_price":"18.99"},{"id":999999,"regular_price":"1"}],"delete":[13]}`)
	b := body.(map[string]any)
	if resp.StatusCode != 200 || len(b["create"].([]any)) != 1 || len(b["delete"].([]any)) != 1 {
		t.Fatalf("batch: %d %v", resp.StatusCode, body)
	}
	bad := b["update"].([]any)[1].(map[string]any)
	if bad["error"].(map[string]any)["code"] != "woocommerce_rest_product_invalid_id" {
		t.Errorf("per-item error %v", bad)
	}
	if resp, _ := env.do(t, http.MethodGet, "/wp-json/wc/v3/products/13", ""); resp.StatusCode != 404 {
		t.Errorf("batch delete is a force delete: GET answered %d", resp.StatusCode)
	}
	resp, body = env.do(t, http.MethodDelete, "/wp-json/wc/v3/products/14", "")
	if resp.StatusCode != 200 || body.(map[string]any)["status"] != "trash" {
		t.Errorf("DELETE without force trashes: %d %v", resp.StatusCode, body)
	}
	if resp, _ := env.do(t, http.MethodDelete, "/wp-json/wc/v3/products/14", ""); resp.StatusCode != 410 {
		t.Errorf("second trash: %d, want 410", resp.StatusCode)
	}
	if resp, body := env.do(t, http.MethodGet, "/wp-json/wc/v3/no-such-route", ""); resp.StatusCode != 404 || body.(map[string]any)["code"] != "rest_no_route" {
		t.Errorf("unknown route: %d %v", resp.StatusCode, body)
	}
}

func TestOrderListing(t *testing.T) {
	env := newSimEnv(t, Options{})
	tests := []struct {
		name, path string
		wantLen    int
		ascending  bool
	}{
		{"all, newest first", "/wp-json/wc/v3/orders?per_page=100", 4, false},
		{"paid statuses", "/wp-json/wc/v3/orders?status=processing,completed", 3, false},
		{"pending", "/wp-json/wc/v3/orders?status=pending", 1, false},
		{"by id ascending", "/wp-json/wc/v3/orders?orderby=id&order=asc", 4, true},
		{"customer", "/wp-json/wc/v3/orders?customer=2", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, items := list(t, env, tt.path)
			if len(items) != tt.wantLen {
				t.Fatalf("%d orders, want %d", len(items), tt.wantLen)
			}
			for i := 1; i < len(items); i++ {
				a, b := items[i-1]["id"].(float64), items[i]["id"].(float64)
				if (a < b) != tt.ascending {
					t.Errorf("order of ids %v, %v (ascending %v)", a, b, tt.ascending)
				}
			}
		})
	}
}
