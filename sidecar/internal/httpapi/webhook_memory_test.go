package httpapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
)

// watchedBody is a request body that records whether anyone read from it.
type watchedBody struct {
	r    io.Reader
	read bool
}

func (b *watchedBody) Read(p []byte) (int, error) { b.read = true; return b.r.Read(p) }
func (b *watchedBody) Close() error               { return nil }

func postWatched(srv *Server, headers map[string]string, contentLength int64, body string) (*httptest.ResponseRecorder, *watchedBody) {
	wb := &watchedBody{r: strings.NewReader(body)}
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/woocommerce", nil)
	req.Body = wb
	req.ContentLength = contentLength
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return rec, wb
}

// A request that cannot be authentic is refused before one body byte is read:
// reading 5 MiB of each of 200 unsigned requests took the sidecar to 965 MB.
func TestWebhookRefusesUnauthenticBodiesUnread(t *testing.T) {
	h := setup(t)
	big := strings.Repeat("x", 1024)
	valid := webhook.Sign([]byte(big), []byte(labSecret))
	tests := []struct {
		name          string
		headers       map[string]string
		contentLength int64
		wantStatus    int
		wantRead      bool
	}{
		{"no signature, more than a ping", map[string]string{webhook.HeaderTopic: "product.updated"}, webhook.MaxBody, http.StatusUnauthorized, false},
		{"no signature, chunked", nil, -1, http.StatusUnauthorized, true}, // read, but at most a ping's size
		{"signature not base64", map[string]string{webhook.HeaderSignature: "not a signature!"}, 1024, http.StatusUnauthorized, false},
		{"signature of the wrong length", map[string]string{webhook.HeaderSignature: "c2hvcnQ="}, 1024, http.StatusUnauthorized, false},
		{"signature far too long", map[string]string{webhook.HeaderSignature: strings.Repeat("QUFB", 100)}, 1024, http.StatusUnauthorized, false},
		{"plausible but wrong signature", map[string]string{webhook.HeaderSignature: webhook.Sign([]byte("other"), []byte(labSecret))}, 1024, http.StatusUnauthorized, true},
		{"over 5 MiB", map[string]string{webhook.HeaderSignature: valid}, webhook.MaxBody + 1, http.StatusRequestEntityTooLarge, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := big
			if tt.contentLength > int64(len(big)) || tt.contentLength < 0 {
				body = strings.Repeat("y", webhook.MaxPingBody*4)
			}
			rec, wb := postWatched(h.srv, tt.headers, tt.contentLength, body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if wb.read != tt.wantRead {
				t.Fatalf("body read = %v, want %v", wb.read, tt.wantRead)
			}
		})
	}
	if d := h.store.InboxDepth(); d != 0 {
		t.Fatalf("inbox depth %d after refused requests, want 0", d)
	}
}

// The creation ping still passes unsigned.
func TestWebhookPingStillAnswered(t *testing.T) {
	h := setup(t)
	body := "webhook_id=42"
	rec, _ := postWatched(h.srv, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, int64(len(body)), body)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"ping":true`) {
		t.Fatalf("ping: %d %s", rec.Code, rec.Body)
	}
}

// Over the budget of bytes being read at once, a delivery gets 503 with
// Retry-After before its body is read; once bytes are released it passes.
func TestWebhookBodyBudget(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	srv := New(Deps{Store: st, Secret: []byte(labSecret), BodyBudget: 4096,
		Defaults: store.EffectiveSettings{CustomerMapping: "create", StockSyncInterval: 10 * time.Minute}})

	c := loadCapture(t, "10.0.2", "webhook-product-price-edit-1-product-updated.json")
	n := int64(len(c.body))
	if !srv.budget.tryReserve(srv.budget.limit - n + 1) { // someone else is reading almost all of it
		t.Fatal("reserve failed")
	}
	rec, wb := postWatched(srv, c.headers, n, c.body)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || wb.read {
		t.Fatalf("over budget: status %d, Retry-After %q, body read %v", rec.Code, rec.Header().Get("Retry-After"), wb.read)
	}
	srv.budget.release(srv.budget.limit - n + 1)
	rec, _ = postWatched(srv, c.headers, n, c.body)
	if rec.Code != http.StatusOK {
		t.Fatalf("within budget: status %d: %s", rec.Code, rec.Body)
	}
	if used := srv.budget.used.Load(); used != 0 {
		t.Fatalf("budget still holds %d bytes after the request", used)
	}
}

// The end of a large burst gives memory back once; small traffic never does.
func TestBodyBudgetFreesAfterBurst(t *testing.T) {
	b := newBodyBudget(32 << 20)
	freed := make(chan struct{}, 4)
	b.free = func() { freed <- struct{}{} }

	for range 100 { // ordinary deliveries
		if !b.tryReserve(2048) {
			t.Fatal("reserve failed")
		}
		b.release(2048)
	}
	select {
	case <-freed:
		t.Fatal("memory freed after small deliveries")
	default:
	}
	for range 2 { // two 5 MiB deliveries at once
		if !b.tryReserve(5 << 20) {
			t.Fatal("reserve failed")
		}
	}
	b.release(5 << 20)
	b.release(5 << 20)
	select {
	case <-freed:
	case <-time.After(5 * time.Second):
		t.Fatal("memory not freed after a 10 MiB burst")
	}
}
