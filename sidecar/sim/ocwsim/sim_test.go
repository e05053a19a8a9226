package ocwsim

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const token = "ock_test_sim"

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newSim(t *testing.T) (*Sim, http.Handler, *fakeClock) {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)}
	s := New(Options{Token: token, Logger: slog.New(slog.DiscardHandler), Now: clock.Now})
	return s, s.Handler(), clock
}

type answer struct {
	status int
	header http.Header
	body   string
	code   string
}

// call sends one request through h. key "" sends no Idempotency-Key on a POST.
func call(t *testing.T, h http.Handler, method, path, key, body string) answer {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	data, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, header: res.Header, body: string(data)}
	var eb errorBody
	if json.Unmarshal(data, &eb) == nil {
		a.code = eb.Error.Code
	}
	return a
}

func variantJSON(sku string, edits ...string) string {
	fields := map[string]string{
		"sku": fmt.Sprintf("%q", sku), "woo_product_id": "40", "woo_variation_id": "41", "product_name": `"Cabernet"`,
		"variant_name": `"750ml"`, "attributes": `{"Size":"750ml"}`, "status": `"publish"`, "price": `"45.00"`,
		"regular_price": `"45.00"`, "sale_price": `""`, "currency": `"EUR"`, "weight": `"1.3"`, "weight_unit": `"kg"`,
		"woo_modified_at": `"2026-11-27T02:01:14Z"`,
	}
	for _, e := range edits {
		k, v, _ := strings.Cut(e, "=")
		if v == "" {
			delete(fields, k)
			continue
		}
		fields[k] = v
	}
	var parts []string
	for k, v := range fields {
		parts = append(parts, fmt.Sprintf("%q:%s", k, v))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestValidation(t *testing.T) {
	t.Parallel()
	many := make([]string, 101)
	for i := range many {
		many[i] = variantJSON(fmt.Sprintf("S%d", i))
	}
	stock := func(onHand, reserved, available int) string {
		return fmt.Sprintf(`{"levels":[{"sku":"A","manage_stock":true,"on_hand":%d,"reserved":%d,"available":%d,"stock_status":"instock","observed_at":"2026-11-27T03:00:00Z"}]}`, onHand, reserved, available)
	}
	tests := []struct {
		name       string
		method     string
		path       string
		key        string
		body       string
		wantStatus int
		wantCode   string
	}{
		{"valid variant", "POST", "/v1/woocommerce/variants:upsert", "k1", `{"variants":[` + variantJSON("A") + `]}`, 200, ""},
		{"missing sku", "POST", "/v1/woocommerce/variants:upsert", "k2", `{"variants":[` + variantJSON("A", "sku=") + `]}`, 400, "missing_field"},
		{"empty sku", "POST", "/v1/woocommerce/variants:upsert", "k3", `{"variants":[` + variantJSON("") + `]}`, 400, "missing_field"},
		{"unknown field", "POST", "/v1/woocommerce/variants:upsert", "k4", `{"variants":[` + variantJSON("A", `colour="red"`) + `]}`, 400, "unknown_field"},
		{"float price", "POST", "/v1/woocommerce/variants:upsert", "k5", `{"variants":[` + variantJSON("A", "price=30.5") + `]}`, 400, "invalid_field"},
		{"bad decimal", "POST", "/v1/woocommerce/variants:upsert", "k6", `{"variants":[` + variantJSON("A", `price="30,50"`) + `]}`, 400, "invalid_field"},
		{"weight without unit", "POST", "/v1/woocommerce/variants:upsert", "k7", `{"variants":[` + variantJSON("A", `weight_unit=""`) + `]}`, 400, "invalid_field"},
		{"duplicate sku", "POST", "/v1/woocommerce/variants:upsert", "k8", `{"variants":[` + variantJSON("A") + "," + variantJSON("A") + `]}`, 400, "duplicate_sku"},
		{"101 variants", "POST", "/v1/woocommerce/variants:upsert", "k9", `{"variants":[` + strings.Join(many, ",") + `]}`, 413, "too_many_items"},
		{"empty batch", "POST", "/v1/woocommerce/variants:upsert", "k10", `{"variants":[]}`, 400, "empty_batch"},
		{"not json", "POST", "/v1/woocommerce/variants:upsert", "k11", `{"variants":`, 400, "invalid_json"},
		{"no idempotency key", "POST", "/v1/woocommerce/variants:upsert", "", `{"variants":[` + variantJSON("A") + `]}`, 400, "idempotency_key_required"},
		{"consistent stock", "POST", "/v1/woocommerce/stock:update", "k12", stock(10, 3, 7), 200, ""},
		{"oversold stock floors at 0", "POST", "/v1/woocommerce/stock:update", "k13", stock(2, 3, 0), 200, ""},
		{"inconsistent stock", "POST", "/v1/woocommerce/stock:update", "k14", stock(10, 3, 10), 400, "inconsistent_stock"},
		{"archive", "POST", "/v1/woocommerce/variants:archive", "k15", `{"skus":["A","B"]}`, 200, ""},
		{"archive empty sku", "POST", "/v1/woocommerce/variants:archive", "k16", `{"skus":[""]}`, 400, "missing_field"},
		{"connection", "POST", "/v1/woocommerce/connection", "k17", `{"status":"ACTIVE","store_url":"https://shop.example.com","wc_version":"10.0.2"}`, 200, ""},
		{"connection bad status", "POST", "/v1/woocommerce/connection", "k18", `{"status":"OK","store_url":"https://shop.example.com","wc_version":"10.0.2"}`, 400, "invalid_field"},
		{"connection missing version", "POST", "/v1/woocommerce/connection", "k19", `{"status":"ACTIVE","store_url":"https://shop.example.com"}`, 400, "missing_field"},
		{"order without lines", "POST", "/v1/woocommerce/orders:upsert", "k20", `{"orders":[{"woo_order_id":1,"number":"1","status":"processing","currency":"EUR","total":"1.00","total_refunded":"0.00","date_paid":null,"customer":{},"billing":{},"shipping":{},"line_items":[]}]}`, 400, "missing_field"},
		{"order without total_refunded", "POST", "/v1/woocommerce/orders:upsert", "k24", `{"orders":[{"woo_order_id":1,"number":"1","status":"processing","currency":"EUR","total":"1.00","date_paid":null,"customer":{},"billing":{},"shipping":{},"line_items":[{"sku":"A","quantity":1,"total":"1.00"}]}]}`, 400, "missing_field"},
		{"order refunded as a float", "POST", "/v1/woocommerce/orders:upsert", "k25", `{"orders":[{"woo_order_id":1,"number":"1","status":"refunded","currency":"EUR","total":"1.00","total_refunded":1.5,"date_paid":null,"customer":{},"billing":{},"shipping":{},"line_items":[{"sku":"A","quantity":1,"total":"1.00"}]}]}`, 400, "invalid_field"},
		{"order bad status", "POST", "/v1/woocommerce/orders:upsert", "k21", `{"orders":[{"woo_order_id":1,"number":"1","status":"paid","currency":"EUR","total":"1.00","total_refunded":"0.00","date_paid":null,"customer":{},"billing":{},"shipping":{},"line_items":[{"sku":"A","quantity":1,"total":"1.00"}]}]}`, 400, "invalid_field"},
		{"mirror unknown release order", "POST", "/v1/woocommerce/release-orders/ro_x/mirror", "k22", `{"status":"SYNCED","woo_order_id":5}`, 404, "release_order_not_found"},
		{"mirror FAILED without error", "POST", "/v1/woocommerce/release-orders/ro_x/mirror", "k23", `{"status":"FAILED"}`, 400, "missing_field"},
		{"release orders bad limit", "GET", "/v1/woocommerce/release-orders?limit=101", "", "", 400, "invalid_parameter"},
		{"release orders after_id alone", "GET", "/v1/woocommerce/release-orders?after_id=ro_1", "", "", 400, "invalid_parameter"},
		{"release orders bad time", "GET", "/v1/woocommerce/release-orders?updated_after=yesterday", "", "", 400, "invalid_parameter"},
		{"release orders unknown param", "GET", "/v1/woocommerce/release-orders?page=2", "", "", 400, "unknown_parameter"},
		{"release orders other status", "GET", "/v1/woocommerce/release-orders?status=draft", "", "", 400, "invalid_parameter"},
		{"unknown route", "GET", "/v1/nothing", "", "", 404, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, h, _ := newSim(t)
			a := call(t, h, tt.method, tt.path, tt.key, tt.body)
			if a.status != tt.wantStatus || a.code != tt.wantCode {
				t.Fatalf("got %d %q (%s), want %d %q", a.status, a.code, a.body, tt.wantStatus, tt.wantCode)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	_, h, _ := newSim(t)
	for _, auth := range []string{"", "Bearer wrong", "Basic " + token, token} {
		req := httptest.NewRequest("GET", "/v1/ping", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 401 || !strings.Contains(rec.Body.String(), `"code":"unauthorized"`) {
			t.Errorf("Authorization %q: %d %s", auth, rec.Code, rec.Body)
		}
	}
	if a := call(t, h, "GET", "/_sim/state", "", ""); a.status != 200 {
		t.Fatalf("admin with token: %d", a.status)
	}
	req := httptest.NewRequest("GET", "/_sim/state", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 401 {
		t.Fatalf("admin without token: %d", rec.Code)
	}
}

func TestIdempotency(t *testing.T) {
	t.Parallel()
	s, h, clock := newSim(t)
	body := `{"variants":[` + variantJSON("A") + `]}`
	first := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "key-1", body)
	if first.status != 200 || !strings.Contains(first.body, `"created":true`) {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	// Same key, same content in another formatting: the stored answer, no second effect.
	reformatted := "{\n  \"variants\": [" + variantJSON("A") + "]\n}"
	replay := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "key-1", reformatted)
	if replay.status != 200 || replay.body != first.body || replay.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %q %v", replay.status, replay.body, replay.header)
	}
	if applied, received := s.VariantsApplied(), s.VariantsReceived(); applied != 1 || received != 2 {
		t.Fatalf("variants applied, received = %d, %d; want 1, 2", applied, received)
	}
	// Same key, other content: 422.
	other := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "key-1", `{"variants":[`+variantJSON("B")+`]}`)
	if other.status != 422 || other.code != "idempotency_key_reused" {
		t.Fatalf("reuse: %d %s", other.status, other.body)
	}
	// Same key and body on another route: 422 too.
	if a := call(t, h, "POST", "/v1/woocommerce/orders:upsert", "key-1", body); a.status != 422 {
		t.Fatalf("other route: %d %s", a.status, a.body)
	}
	// A refused request stores nothing: the corrected body may use the same key.
	if a := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "key-2", `{"variants":[`+variantJSON("C", `currency="eur"`)+`]}`); a.status != 400 {
		t.Fatalf("invalid: %d", a.status)
	}
	if a := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "key-2", `{"variants":[`+variantJSON("C")+`]}`); a.status != 200 {
		t.Fatalf("corrected: %d %s", a.status, a.body)
	}
	// After 24 h the key is forgotten: the same request applies again (an update now).
	clock.Advance(IdempotencyTTL)
	again := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "key-1", body)
	if again.status != 200 || again.header.Get("Idempotent-Replayed") != "" || !strings.Contains(again.body, `"created":false`) {
		t.Fatalf("after expiry: %d %s %v", again.status, again.body, again.header)
	}
	// Received: first, replay, reuse, invalid, corrected, again; applied: first, corrected, again.
	if applied, received := s.VariantsApplied(), s.VariantsReceived(); applied != 3 || received != 6 {
		t.Fatalf("variants applied, received = %d, %d; want 3, 6", applied, received)
	}
	// The log of applied upserts holds each applied one, in order, replays left out.
	var skus []string
	for _, v := range s.AppliedVariants() {
		skus = append(skus, v.SKU)
	}
	if got := strings.Join(skus, ","); got != "A,C,A" {
		t.Fatalf("applied log = %s; want A,C,A", got)
	}
}

func TestStaleStockIsIgnored(t *testing.T) {
	t.Parallel()
	s, h, _ := newSim(t)
	level := func(onHand int, at string) string {
		return fmt.Sprintf(`{"levels":[{"sku":"A","manage_stock":true,"on_hand":%d,"reserved":0,"available":%d,"stock_status":"instock","observed_at":%q}]}`, onHand, onHand, at)
	}
	call(t, h, "POST", "/v1/woocommerce/stock:update", "a", level(10, "2026-11-27T03:00:00Z"))
	a := call(t, h, "POST", "/v1/woocommerce/stock:update", "b", level(12, "2026-11-27T02:59:00Z"))
	if !strings.Contains(a.body, `"stale":1`) || s.Stock()["A"].OnHand != 10 {
		t.Fatalf("stale level applied: %s, stock %+v", a.body, s.Stock()["A"])
	}
}

func TestMirrorConflicts(t *testing.T) {
	t.Parallel()
	s, h, _ := newSim(t)
	s.AddReleaseOrder(ReleaseOrder{ID: "ro_1", LineItems: []ReleaseLineItem{{SKU: "A", Quantity: 3, UnitPrice: "10.00"}}})
	steps := []struct {
		body       string
		wantStatus int
		wantCode   string
	}{
		{`{"status":"FAILED","error":"WooCommerce said: no"}`, 200, ""},
		{`{"status":"SYNCED","woo_order_id":77}`, 200, ""},
		{`{"status":"SYNCED","woo_order_id":78}`, 409, "already_mirrored"},
		{`{"status":"FAILED","error":"late"}`, 409, "already_mirrored"},
	}
	for i, st := range steps {
		a := call(t, h, "POST", "/v1/woocommerce/release-orders/ro_1/mirror", fmt.Sprintf("m%d", i), st.body)
		if a.status != st.wantStatus || a.code != st.wantCode {
			t.Fatalf("step %d: %d %s", i, a.status, a.body)
		}
	}
	if len(s.Reservations()) != 0 {
		t.Fatalf("reservation kept after SYNCED: %+v", s.Reservations())
	}
	if got := s.MirrorReports()["ro_1"]; got.WooOrderID != 77 {
		t.Fatalf("mirror report = %+v", got)
	}
	if n := s.Calls("/v1/woocommerce/release-orders/{id}/mirror"); n != 4 {
		t.Fatalf("calls = %d", n)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	s, h, clock := newSim(t)
	// Down for 30 s on one route only.
	if err := s.InjectFault(Fault{Kind: FaultDown, Path: "/v1/ping", For: 30 * time.Second, RetryAfter: 1500 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	a := call(t, h, "GET", "/v1/ping", "", "")
	if a.status != 503 || a.code != "unavailable" || a.header.Get("Retry-After") != "2" {
		t.Fatalf("down: %d %s %v", a.status, a.body, a.header)
	}
	if a := call(t, h, "GET", "/v1/woocommerce/reservations", "", ""); a.status != 200 {
		t.Fatalf("other route hit by a path fault: %d", a.status)
	}
	clock.Advance(30 * time.Second)
	if a := call(t, h, "GET", "/v1/ping", "", ""); a.status != 200 {
		t.Fatalf("after the outage: %d", a.status)
	}
	// Rate limited twice, default Retry-After 1 s.
	if err := s.InjectFault(Fault{Kind: FaultRateLimit, Requests: 2}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if a := call(t, h, "GET", "/v1/ping", "", ""); a.status != 429 || a.header.Get("Retry-After") != "1" || a.code != "rate_limited" {
			t.Fatalf("rate limit %d: %d %v", i, a.status, a.header)
		}
	}
	if a := call(t, h, "GET", "/v1/ping", "", ""); a.status != 200 {
		t.Fatalf("after rate limit: %d", a.status)
	}
	if err := s.InjectFault(Fault{Kind: "explode"}); err == nil {
		t.Fatal("unknown fault kind accepted")
	}
}

func TestErrorAfterEffectStoresTheRealAnswer(t *testing.T) {
	t.Parallel()
	s, h, _ := newSim(t)
	if err := s.InjectFault(Fault{Kind: FaultErrorAfterEffect}); err != nil {
		t.Fatal(err)
	}
	body := `{"variants":[` + variantJSON("A") + `]}`
	if a := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "k", body); a.status != 500 || a.code != "internal_error" {
		t.Fatalf("first: %d %s", a.status, a.body)
	}
	if len(s.Variants()) != 1 {
		t.Fatal("the effect was not applied before the 500")
	}
	a := call(t, h, "POST", "/v1/woocommerce/variants:upsert", "k", body)
	if a.status != 200 || !strings.Contains(a.body, `"created":true`) || a.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s", a.status, a.body)
	}
	if s.VariantsApplied() != 1 || s.VariantsReceived() != 2 {
		t.Fatalf("applied %d times, received %d", s.VariantsApplied(), s.VariantsReceived())
	}
}

func TestAdminHTTP(t *testing.T) {
	t.Parallel()
	s, h, _ := newSim(t)
	a := call(t, h, "POST", "/_sim/release-orders", "", `{"release_id":"rel_9","customer":{"email":"m@example.com","first_name":"M","last_name":"N","phone":""},"line_items":[{"sku":"A","quantity":2,"unit_price":"12.25"}],"shipping_total":"5.00"}`)
	if a.status != 201 || !strings.Contains(a.body, `"total":"29.50"`) || !strings.Contains(a.body, `"status":"paid"`) {
		t.Fatalf("add release order: %d %s", a.status, a.body)
	}
	if a := call(t, h, "PUT", "/_sim/reservations/B", "", `{"quantity":4}`); a.status != 200 {
		t.Fatalf("set reservation: %d %s", a.status, a.body)
	}
	if a := call(t, h, "POST", "/_sim/faults", "", `{"kind":"down","requests":1,"retry_after":"2s"}`); a.status != 201 {
		t.Fatalf("add fault: %d %s", a.status, a.body)
	}
	if a := call(t, h, "POST", "/_sim/faults", "", `{"kind":"slow"}`); a.status != 400 || a.code != "invalid_fault" {
		t.Fatalf("bad fault: %d %s", a.status, a.body)
	}
	if a := call(t, h, "DELETE", "/_sim/faults", "", ""); a.status != 204 {
		t.Fatalf("clear faults: %d", a.status)
	}
	if a := call(t, h, "GET", "/v1/ping", "", ""); a.status != 200 {
		t.Fatalf("fault not cleared: %d", a.status)
	}
	a = call(t, h, "GET", "/_sim/state", "", "")
	var st State
	if err := json.Unmarshal([]byte(a.body), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.ReleaseOrders) != 1 || len(st.Reservations) != 2 || st.Calls["/v1/ping"] != 1 {
		t.Fatalf("state = %+v", st)
	}
	if got := s.Reservations(); got[0] != (Reservation{SKU: "A", Quantity: 2}) || got[1] != (Reservation{SKU: "B", Quantity: 4}) {
		t.Fatalf("reservations = %+v", got)
	}
}

// A release order cancelled or refunded after payment is listed again with
// a later updated_at under status=paid,cancelled,refunded; status=paid (the
// default) lists paid ones only; an unpaid status value is refused.
func TestReleaseOrderCancelledListedAgain(t *testing.T) {
	t.Parallel()
	s, h, clock := newSim(t)
	first := s.AddReleaseOrder(ReleaseOrder{ID: "ro_1", LineItems: []ReleaseLineItem{{SKU: "A", Quantity: 1, UnitPrice: "10.00"}}})
	s.AddReleaseOrder(ReleaseOrder{ID: "ro_2", LineItems: []ReleaseLineItem{{SKU: "A", Quantity: 1, UnitPrice: "10.00"}}})
	clock.Advance(time.Minute)
	after := first.UpdatedAt.Format(time.RFC3339Nano)
	if _, err := s.SetReleaseOrderStatus("ro_1", "cancelled"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetReleaseOrderStatus("ro_1", "lost"); err == nil {
		t.Error("an unknown status was accepted")
	}
	a := call(t, h, "GET", "/v1/woocommerce/release-orders?status=paid,cancelled,refunded&updated_after="+after+"&after_id=ro_2", "", "")
	var page struct {
		ReleaseOrders []ReleaseOrder `json:"release_orders"`
	}
	if err := json.Unmarshal([]byte(a.body), &page); err != nil || a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	if len(page.ReleaseOrders) != 1 || page.ReleaseOrders[0].ID != "ro_1" || page.ReleaseOrders[0].Status != "cancelled" || !page.ReleaseOrders[0].UpdatedAt.After(first.UpdatedAt) {
		t.Errorf("listed after the cursor: %+v", page.ReleaseOrders)
	}
	a = call(t, h, "GET", "/v1/woocommerce/release-orders", "", "")
	if err := json.Unmarshal([]byte(a.body), &page); err != nil || len(page.ReleaseOrders) != 1 || page.ReleaseOrders[0].ID != "ro_2" {
		t.Errorf("status=paid lists %+v (%v)", page.ReleaseOrders, err)
	}
	if a := call(t, h, "GET", "/v1/woocommerce/release-orders?status=paid,unpaid", "", ""); a.status != 400 || a.code != "invalid_parameter" {
		t.Errorf("status=paid,unpaid: %d %s", a.status, a.body)
	}
	if got := s.Reservations(); len(got) != 1 || got[0].Quantity != 1 {
		t.Errorf("reservations %+v: a cancelled release order holds nothing", got)
	}
}
