package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/captures"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/config"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/metrics"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
)

// labSecret signed the captured deliveries; the test server uses it as its
// shared secret so real WooCommerce bytes verify.
const labSecret = captures.LabSecret

type harness struct {
	srv   *Server
	store *store.Store
	m     *metrics.Metrics
}

func setup(t *testing.T) *harness {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	m := metrics.New("test", func() float64 { return float64(st.InboxDepth()) })
	srv := New(Deps{Store: st, Secret: []byte(labSecret), Metrics: m, Version: "test",
		Defaults: store.EffectiveSettings{CustomerMapping: config.MappingCreate, StockSyncInterval: 10 * time.Minute}})
	return &harness{srv: srv, store: st, m: m}
}

// capture is a captured delivery with its headers as a map keyed by the
// canonical header names, so table rows can add or drop one.
type capture struct {
	headers map[string]string
	body    string
}

func loadCapture(t *testing.T, version, name string) capture {
	t.Helper()
	d, err := captures.Load(version, name)
	if err != nil {
		t.Fatal(err)
	}
	c := capture{headers: map[string]string{}, body: string(d.Body)}
	for k := range d.Headers {
		c.headers[k] = d.Headers.Get(k)
	}
	return c
}

func (h *harness) deliver(headers map[string]string, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/woocommerce", strings.NewReader(body))
	for k, v := range headers {
		if k == "Host" || k == "Content-Length" {
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func errCode(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var b struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body %q is not the JSON shape: %v", rec.Body, err)
	}
	if b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("error body lacks code/message: %s", rec.Body)
	}
	return b.Error.Code
}

func TestWebhookAnswersWithCapturedDeliveries(t *testing.T) {
	priceEdit := loadCapture(t, "10.0.2", "webhook-product-price-edit-1-product-updated.json")
	ping := loadCapture(t, "10.0.2", "webhook-creation-ping.json")
	trashed := loadCapture(t, "6.9.0", "webhook-product-trashed-1-product-deleted.json")
	with := func(c capture, k, v string) map[string]string {
		h := map[string]string{}
		for hk, hv := range c.headers {
			h[hk] = hv
		}
		k = http.CanonicalHeaderKey(k)
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
		return h
	}
	big := `{"id":1,"pad":"` + strings.Repeat("x", webhook.MaxBody) + `"}`
	unknown := `{"id":5,"code":"X"}`
	malformed := `{"id":13,`
	tests := []struct {
		name       string
		headers    map[string]string
		body       string
		wantStatus int
		wantCode   string
		wantDepth  int64
	}{
		{"creation ping", ping.headers, ping.body, 200, "", 0},
		{"price edit 10.0.2", priceEdit.headers, priceEdit.body, 200, "", 1},
		{"trash 6.9.0 ({id} only)", trashed.headers, trashed.body, 200, "", 1},
		{"missing signature", with(priceEdit, "X-WC-Webhook-Signature", ""), priceEdit.body, 401, "bad_signature", 0},
		{"wrong signature", with(priceEdit, "X-WC-Webhook-Signature", webhook.Sign([]byte(priceEdit.body), []byte("other"))), priceEdit.body, 401, "bad_signature", 0},
		{"tampered body", priceEdit.headers, strings.Replace(priceEdit.body, "30.50", "3.05", 1), 401, "bad_signature", 0},
		{"malformed json", with(priceEdit, "X-WC-Webhook-Signature", webhook.Sign([]byte(malformed), []byte(labSecret))), malformed, 400, "malformed_payload", 0},
		{"too large", with(priceEdit, "X-WC-Webhook-Signature", webhook.Sign([]byte(big), []byte(labSecret))), big, 413, "too_large", 0},
		{"unknown topic", with(capture{headers: with(priceEdit, "X-WC-Webhook-Topic", "coupon.created")}, "X-WC-Webhook-Signature", webhook.Sign([]byte(unknown), []byte(labSecret))), unknown, 200, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := setup(t)
			if strings.HasPrefix(tt.name, "unknown topic") {
				tt.headers[http.CanonicalHeaderKey(webhook.HeaderResource)], tt.headers[http.CanonicalHeaderKey(webhook.HeaderEvent)] = "coupon", "created"
			}
			rec := h.deliver(tt.headers, tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantCode != "" {
				if got := errCode(t, rec); got != tt.wantCode {
					t.Fatalf("code %q, want %q", got, tt.wantCode)
				}
			}
			if got := h.store.InboxDepth(); got != tt.wantDepth {
				t.Fatalf("inbox depth %d, want %d", got, tt.wantDepth)
			}
		})
	}
}

func TestWebhookDuplicateStoredOnceAndDeliveryIDIgnored(t *testing.T) {
	h := setup(t)
	// Three deliveries of one batch carry one delivery id (same second).
	var ids []string
	for i := 1; i <= 3; i++ {
		c := loadCapture(t, "10.0.2", "webhook-batch-update-3-products-"+string(rune('0'+i))+"-product-updated.json")
		ids = append(ids, c.headers[http.CanonicalHeaderKey(webhook.HeaderDeliveryID)])
		if rec := h.deliver(c.headers, c.body); rec.Code != 200 {
			t.Fatalf("delivery %d: %d %s", i, rec.Code, rec.Body)
		}
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("captures should share a delivery id: %v", ids)
	}
	if d := h.store.InboxDepth(); d != 3 {
		t.Fatalf("stored %d of 3 distinct products", d)
	}
	c := loadCapture(t, "10.0.2", "webhook-batch-update-3-products-2-product-updated.json")
	rec := h.deliver(c.headers, c.body)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"duplicate":true`) {
		t.Fatalf("redelivery: %d %s", rec.Code, rec.Body)
	}
	if d := h.store.InboxDepth(); d != 3 {
		t.Fatalf("redelivery stored again: depth %d", d)
	}
}

func TestWebhookAckMeansCommitted(t *testing.T) {
	h := setup(t)
	c := loadCapture(t, "10.0.2", "webhook-product-created-1-product-created.json")
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec := h.deliver(c.headers, c.body); rec.Code != 200 {
				t.Errorf("%d %s", rec.Code, rec.Body)
			}
		}()
	}
	wg.Wait()
	evs, err := h.store.InboxBatch(100)
	if err != nil || len(evs) != 1 {
		t.Fatalf("32 identical deliveries → %d events (%v)", len(evs), err)
	}
	if string(evs[0].Body) != c.body {
		t.Fatal("stored body differs from the signed bytes")
	}
}

func adminReq(h *harness, method, path, body, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewBufferString(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	return rec
}

type fakeJobs struct{ st *store.Store }

func (f fakeJobs) StartJob(_ context.Context, typ string) (store.Job, error) {
	j, _, err := f.st.CreateJob(typ)
	return j, err
}

func TestAdminRoutes(t *testing.T) {
	h := setup(t)
	h.srv.deps.Jobs = fakeJobs{h.store}
	tests := []struct {
		method, path, body, token string
		wantStatus                int
		wantCode                  string
		wantIn                    string
	}{
		{"GET", "/healthz", "", "", 200, "", `"ok"`},
		{"GET", "/readyz", "", "", 503, "woo_not_connected", ""},
		{"GET", "/metrics", "", "", 200, "", "ocw_webhook_deliveries_total"},
		{"GET", "/v1/status", "", "", 401, "unauthorized", ""},
		{"GET", "/v1/status", "", "wrong-token", 401, "unauthorized", ""},
		{"GET", "/v1/status", "", labSecret, 200, "", `"DISCONNECTED"`},
		{"GET", "/v1/settings", "", labSecret, 200, "", `"stock_sync_interval":"10m"`},
		{"PUT", "/v1/settings", `{"stock_sync_interval":"4m"}`, labSecret, 422, "invalid_setting", ""},
		{"PUT", "/v1/settings", `{"customer_mapping":"guest"}`, labSecret, 422, "invalid_setting", ""},
		{"PUT", "/v1/settings", `{"mirror_release_orders":true,"stock_sync_interval":"15m"}`, labSecret, 200, "", `"mirror_release_orders":true`},
		{"GET", "/v1/settings", "", labSecret, 200, "", `"stock_sync_interval":"15m"`},
		{"PUT", "/v1/settings", `{nope`, labSecret, 400, "malformed_json", ""},
		{"DELETE", "/v1/settings", "", labSecret, 200, "", `"mirror_release_orders":false`},
		{"POST", "/v1/connection", `{"store_url":"https://x"}`, labSecret, 503, "not_configured", ""},
		{"POST", "/v1/jobs", `{"type":"SYNC_EVERYTHING"}`, labSecret, 400, "unknown_job_type", ""},
		{"POST", "/v1/jobs", `{"type":"SYNC_WOOCOMMERCE_PRODUCTS"}`, labSecret, 202, "", `"job_000000000000001"`},
		{"POST", "/v1/jobs", `{"type":"SYNC_WOOCOMMERCE_PRODUCTS"}`, labSecret, 202, "", `"job_000000000000001"`},
		{"GET", "/v1/jobs/job_000000000000001", "", labSecret, 200, "", `"queued"`},
		{"GET", "/v1/jobs/job_000000000000009", "", labSecret, 404, "job_not_found", ""},
		{"GET", "/v1/items?status=FAILED", "", labSecret, 200, "", `"items":[]`},
		{"GET", "/v1/items?status=BROKEN", "", labSecret, 400, "invalid_param", ""},
		{"GET", "/v1/activity?limit=5", "", labSecret, 200, "", `Settings changed`},
		{"GET", "/v1/activity?limit=0", "", labSecret, 400, "invalid_param", ""},
		{"POST", "/v1/reconcile", "", labSecret, 503, "not_configured", ""},
		{"GET", "/v1/nothing", "", labSecret, 404, "not_found", ""},
	}
	for _, tt := range tests {
		rec := adminReq(h, tt.method, tt.path, tt.body, tt.token)
		if rec.Code != tt.wantStatus {
			t.Fatalf("%s %s: status %d, want %d: %s", tt.method, tt.path, rec.Code, tt.wantStatus, rec.Body)
		}
		if tt.wantCode != "" {
			if got := errCode(t, rec); got != tt.wantCode {
				t.Fatalf("%s %s: code %q, want %q", tt.method, tt.path, got, tt.wantCode)
			}
		}
		if tt.wantIn != "" && !strings.Contains(rec.Body.String(), tt.wantIn) {
			t.Fatalf("%s %s: %s lacks %s", tt.method, tt.path, rec.Body, tt.wantIn)
		}
	}
}

func TestBackupRouteStreamsADatabase(t *testing.T) {
	h := setup(t)
	rec := adminReq(h, "GET", "/v1/backup", "", labSecret)
	if rec.Code != 200 || rec.Body.Len() < 4096 {
		t.Fatalf("backup: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, store.FileName), rec.Body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := store.Open(dir, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	_ = c.Close()
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Minute: "10m", 5 * time.Minute: "5m", 90 * time.Second: "1m30s", time.Hour: "1h", 2*time.Hour + 5*time.Minute: "2h5m",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%s) = %q, want %q", d, got, want)
		}
	}
}
