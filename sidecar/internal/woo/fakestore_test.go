package woo

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fakeStore is a small in-test WooCommerce: enough REST v3 behaviour
// (auth rules, permalinks, paging headers, _fields, plugin routes) to unit
// test the client without the simulator.
type fakeStore struct {
	ck, cs     string
	home       string // home URL; "" = derived from the request
	version    string
	plain      bool // plain permalinks
	dropBasic  bool // Authorization header lost on the way (FastCGI)
	tlsHidden  bool // TLS-terminating proxy: PHP sees plain HTTP (is_ssl() false)
	readOnly   bool
	plugin     bool
	products   []map[string]any // ascending id; type, id, sku, …
	variations map[int64][]map[string]any
	// before runs first; returning true means it answered.
	before func(w http.ResponseWriter, r *http.Request, route string) bool

	mu          sync.Mutex
	requests    []fakeRequest
	inflight    int
	maxInflight int
	nonces      map[string]bool
}

type fakeRequest struct {
	Method, Route, RawQuery, URI string
	At                           time.Time
	Auth                         string // basic, query, oauth1, none
}

// newFakeStore builds a store with n products: every third one is
// variable with vars variations; ids ascend from 10.
func newFakeStore(n, vars int) *fakeStore {
	f := &fakeStore{ck: "ck_test", cs: "cs_test", version: "10.0.2", plugin: true, variations: map[int64][]map[string]any{}, nonces: map[string]bool{}}
	id := int64(10)
	for i := range n {
		p := map[string]any{
			"id": id, "name": fmt.Sprintf("Wine %d", i), "type": "simple", "status": "publish",
			"sku": fmt.Sprintf("WINE-%04d", i), "price": "12.50", "regular_price": "12.50", "sale_price": "",
			"weight": "1.3", "manage_stock": true, "stock_quantity": i, "stock_status": "instock",
			"date_modified_gmt": "2026-11-27T02:01:14", "parent_id": 0, "variations": []int64{},
			"attributes": []any{},
		}
		pid := id
		id++
		if i%3 == 1 {
			p["type"] = "variable"
			p["manage_stock"] = false
			p["stock_quantity"] = nil
			var ids []int64
			for j := range vars {
				v := map[string]any{
					"id": id, "parent_id": pid, "sku": fmt.Sprintf("WINE-%04d-%d", i, j), "status": "publish",
					"price": "20.00", "regular_price": "20.00", "sale_price": "", "weight": "1.5",
					"manage_stock": "parent", "stock_quantity": 7, "stock_status": "instock",
					"date_modified_gmt": "2026-11-27T02:01:14",
					"attributes":        []any{map[string]any{"id": 1, "name": "Size", "option": "750ml"}},
				}
				ids = append(ids, id)
				f.variations[pid] = append(f.variations[pid], v)
				id++
			}
			p["variations"] = ids
		}
		f.products = append(f.products, p)
	}
	return f
}

func (f *fakeStore) Requests() []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeRequest(nil), f.requests...)
}

func (f *fakeStore) MaxInflight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxInflight
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func wooErr(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg, "data": map[string]any{"status": status}})
}

func (f *fakeStore) homeURL(r *http.Request) string {
	if f.home != "" {
		return f.home
	}
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// authenticate applies WooCommerce's key rules; "" means anonymous.
func (f *fakeStore) authenticate(r *http.Request) (method string, errCode, errMsg string) {
	if !strings.Contains(r.RequestURI, "wp-json/wc/") {
		return "", "", "" // WooCommerce does not run key auth at all
	}
	q := r.URL.Query()
	if r.TLS != nil && !f.tlsHidden {
		if u, p, ok := r.BasicAuth(); ok && !f.dropBasic {
			return f.checkKey("basic", u, p)
		}
		if q.Get("consumer_key") != "" {
			return f.checkKey("query", q.Get("consumer_key"), q.Get("consumer_secret"))
		}
		return "", "", ""
	}
	if q.Get("oauth_signature") == "" {
		return "", "", ""
	}
	if q.Get("oauth_consumer_key") != f.ck {
		return "", "woocommerce_rest_authentication_error", "Consumer key is invalid."
	}
	home, _ := url.Parse(f.homeURL(r))
	params := url.Values{}
	for k, v := range q {
		params[k] = v
	}
	want, err := oauth1Signature(r.Method, oauthBaseURL(home, r.URL.EscapedPath()), params, f.cs, q.Get("oauth_signature_method"))
	if err != nil || want != q.Get("oauth_signature") {
		return "", "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match."
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.nonces[q.Get("oauth_nonce")] {
		return "", "woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used."
	}
	f.nonces[q.Get("oauth_nonce")] = true
	return "oauth1", "", ""
}

func (f *fakeStore) checkKey(method, ck, cs string) (string, string, string) {
	if ck != f.ck {
		return "", "woocommerce_rest_authentication_error", "Consumer key is invalid."
	}
	if cs != f.cs {
		return "", "woocommerce_rest_authentication_error", "Consumer secret is invalid."
	}
	return method, "", ""
}

func (f *fakeStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	plain := f.plain
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()

	var route string
	switch {
	case strings.HasPrefix(r.URL.Path, "/wp-json"):
		if plain {
			w.Header().Set("X-Redirect-By", "WordPress")
			w.Header().Set("Location", f.homeURL(r)+r.URL.RequestURI())
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		route = strings.TrimPrefix(r.URL.Path, "/wp-json")
	case r.URL.Query().Get("rest_route") != "":
		route = r.URL.Query().Get("rest_route")
	default:
		http.NotFound(w, r)
		return
	}
	if route == "" {
		route = "/"
	}
	authMethod, code, msg := f.authenticate(r)
	f.mu.Lock()
	rec := fakeRequest{Method: r.Method, Route: route, RawQuery: r.URL.RawQuery, URI: r.RequestURI, At: time.Now(), Auth: authMethod}
	if rec.Auth == "" {
		rec.Auth = "none"
	}
	f.requests = append(f.requests, rec)
	f.mu.Unlock()
	if f.before != nil && f.before(w, r, route) {
		return
	}
	if route == "/" {
		writeJSON(w, 200, map[string]any{"name": "Fake", "home": f.homeURL(r), "url": f.homeURL(r), "namespaces": []string{"wc/v3"}})
		return
	}
	if code != "" {
		wooErr(w, 401, code, msg)
		return
	}
	if authMethod == "" {
		wooErr(w, 401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
		return
	}
	if r.Method != http.MethodGet && f.readOnly {
		wooErr(w, 401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions.")
		return
	}
	f.serveRoute(w, r, route)
}

func (f *fakeStore) serveRoute(w http.ResponseWriter, r *http.Request, route string) {
	q := r.URL.Query()
	parts := strings.Split(strings.Trim(route, "/"), "/")
	switch {
	case route == "/wc/v3/system_status":
		writeJSON(w, 200, map[string]any{
			"environment": map[string]any{"home_url": f.homeURL(r), "version": f.version, "wp_version": "6.8.8"},
			"settings":    map[string]any{"currency": "USD"},
		})
	case route == "/wc/v3/settings/products/woocommerce_weight_unit":
		writeJSON(w, 200, map[string]any{"id": "woocommerce_weight_unit", "value": "kg"})
	case route == "/wc/v3/products/batch" && r.Method == http.MethodPost:
		body, _ := io.ReadAll(r.Body)
		if strings.TrimSpace(string(body)) != "{}" {
			wooErr(w, 400, "fake_batch_not_empty", "the probe must be an empty batch, got "+string(body))
			return
		}
		writeJSON(w, 200, []any{})
	case route == "/wc/v3/products" && r.Method == http.MethodGet:
		items := make([]map[string]any, 0, len(f.products))
		for _, p := range f.products {
			if s := q.Get("status"); (s == "" && p["status"] != "trash") || s == "any" || s == p["status"] {
				items = append(items, p)
			}
		}
		f.page(w, r, items)
	case len(parts) == 4 && parts[2] == "products" && r.Method == http.MethodGet:
		id, _ := strconv.ParseInt(parts[3], 10, 64)
		for _, p := range f.products {
			if p["id"] == id {
				writeJSON(w, 200, p)
				return
			}
		}
		wooErr(w, 404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
	case len(parts) == 5 && parts[2] == "products" && parts[4] == "variations":
		id, _ := strconv.ParseInt(parts[3], 10, 64)
		f.page(w, r, f.variations[id])
	case route == "/wc/v3/oncloudwine/catalog" && f.plugin:
		f.pluginCatalog(w, r)
	case route == "/wc/v3/oncloudwine/stock" && f.plugin:
		writeJSON(w, 200, map[string]any{"levels": []any{map[string]any{"id": 10, "parent_id": 0, "sku": "WINE-0000", "manage_stock": true, "stock_quantity": 3, "stock_status": "instock"}}, "next_after_id": nil})
	case strings.HasPrefix(route, "/wc/v3/oncloudwine/orders/by-release/") && f.plugin:
		id := strings.TrimPrefix(route, "/wc/v3/oncloudwine/orders/by-release/")
		if id == "ro_123" {
			writeJSON(w, 200, map[string]any{"id": 812, "number": "812", "status": "processing", "release_order_id": id, "date_created_gmt": "2026-11-27T02:01:14"})
			return
		}
		wooErr(w, 404, "oncloudwine_order_not_found", "No order mirrors release order "+id+".")
	case route == "/wc/v3/orders" && r.Method == http.MethodPost:
		writeJSON(w, 201, map[string]any{"id": 119, "number": "119", "status": "processing", "total": "108.99", "date_paid_gmt": "2026-11-27T02:05:00"})
	case route == "/wc/v3/customers" && r.Method == http.MethodGet:
		if q.Get("email") == "alice.lab@example.test" && q.Get("role") == "all" {
			writeJSON(w, 200, []any{map[string]any{"id": 2, "email": "alice.lab@example.test", "role": "customer"}})
			return
		}
		writeJSON(w, 200, []any{})
	case route == "/wc/v3/customers" && r.Method == http.MethodPost:
		wooErr(w, 400, "registration-error-email-exists", "An account is already registered with alice.lab@example.test. Please log in or use a different email address.")
	default:
		wooErr(w, 404, "rest_no_route", "No route was found matching the URL and request method.")
	}
}

// page answers one REST page with WooCommerce's headers and _fields.
func (f *fakeStore) page(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	q := r.URL.Query()
	per := 10
	if s := q.Get("per_page"); s != "" {
		per, _ = strconv.Atoi(s)
	}
	if per < 1 || per > 100 {
		wooErr(w, 400, "rest_invalid_param", "Invalid parameter(s): per_page")
		return
	}
	page := 1
	if s := q.Get("page"); s != "" {
		page, _ = strconv.Atoi(s)
	}
	total := len(items)
	pages := (total + per - 1) / per
	w.Header().Set("X-WP-Total", strconv.Itoa(total))
	w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
	lo, hi := min((page-1)*per, total), min(page*per, total)
	out := make([]map[string]any, 0, hi-lo)
	var fields []string
	if s := q.Get("_fields"); s != "" {
		fields = strings.Split(s, ",")
	}
	for _, it := range items[lo:hi] {
		if fields == nil {
			out = append(out, it)
			continue
		}
		m := map[string]any{}
		for _, k := range fields {
			if v, ok := it[k]; ok {
				m[k] = v
			}
		}
		out = append(out, m)
	}
	writeJSON(w, 200, out)
}

func (f *fakeStore) pluginCatalog(w http.ResponseWriter, r *http.Request) {
	after, _ := strconv.ParseInt(r.URL.Query().Get("after_id"), 10, 64)
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	var out []map[string]any
	for _, p := range f.products {
		if p["id"].(int64) <= after || p["status"] == "trash" {
			continue
		}
		if len(out) == limit {
			break
		}
		m := map[string]any{}
		for k, v := range p {
			m[k] = v
		}
		vars := f.variations[p["id"].(int64)]
		if vars == nil {
			vars = []map[string]any{}
		}
		m["variations"] = vars
		out = append(out, m)
	}
	var next any
	if len(out) == limit {
		next = out[len(out)-1]["id"]
	}
	writeJSON(w, 200, map[string]any{"products": out, "next_after_id": next})
}

func countRoute(reqs []fakeRequest, pred func(fakeRequest) bool) int {
	n := 0
	for _, r := range reqs {
		if pred(r) {
			n++
		}
	}
	return n
}
