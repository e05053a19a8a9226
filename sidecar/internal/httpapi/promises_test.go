package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/webhook"
)

// A delivery whose commit fails is not acknowledged: the route answers 5xx
// (WooCommerce redelivers) and nothing of it is left in the store, not even
// its dedupe entry (a redelivery is stored as new).
func TestWebhookCommitFailureIsNotAcknowledged(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dir + "/" + store.FileName)
	if err != nil {
		t.Fatal(err)
	}
	// A file that may not grow: the commit of a 1 MiB delivery of random hex fails in bbolt.
	full, err := store.Open(dir, store.Options{MaxSize: int(fi.Size())})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Deps{Store: full, Secret: []byte(labSecret)})
	// Random hex: the store compresses records, so the padding must not compress away.
	pad := make([]byte, 1<<19)
	_, _ = rand.Read(pad)
	body := `{"id":13,"date_modified_gmt":"2026-11-27T02:01:14","pad":"` + hex.EncodeToString(pad) + `"}`
	headers := signedProductUpdate(body)
	rec := serve(srv, headers, strings.NewReader(body), int64(len(body)))
	if rec.Code < 500 {
		t.Fatalf("commit failed but the route answered %d %s", rec.Code, rec.Body)
	}
	if got := errCode(t, rec); got != "not_stored" {
		t.Fatalf("code %q, want not_stored", got)
	}
	if n := full.InboxDepth(); n != 0 {
		t.Fatalf("inbox depth %d after a failed commit", n)
	}
	if err := full.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if evs, err := st.InboxBatch(10); err != nil || len(evs) != 0 {
		t.Fatalf("reopened store holds %d events (%v)", len(evs), err)
	}
	rec = serve(New(Deps{Store: st, Secret: []byte(labSecret)}), headers, strings.NewReader(body), int64(len(body)))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"duplicate":false`) {
		t.Fatalf("redelivery after a failed commit: %d %s (want stored, not a duplicate)", rec.Code, rec.Body)
	}
}

// A delivery of exactly webhook.MaxBody bytes is taken, one byte more is
// refused, with and without Content-Length.
func TestWebhookBodyLimitIsInclusive(t *testing.T) {
	for _, chunked := range []bool{false, true} {
		for _, size := range []int{webhook.MaxBody, webhook.MaxBody + 1} {
			name := map[bool]string{false: "content-length", true: "chunked"}[chunked] + "/" + map[bool]string{true: "limit", false: "limit+1"}[size == webhook.MaxBody]
			t.Run(name, func(t *testing.T) {
				h := setup(t)
				prefix := `{"id":13,"date_modified_gmt":"2026-11-27T02:01:14","pad":"`
				body := prefix + strings.Repeat("x", size-len(prefix)-2) + `"}`
				if len(body) != size {
					t.Fatalf("body is %d bytes, want %d", len(body), size)
				}
				var r io.Reader = strings.NewReader(body)
				length := int64(len(body))
				if chunked {
					r, length = io.MultiReader(r), -1 // hides the length
				}
				rec := serve(h.srv, signedProductUpdate(body), r, length)
				want, depth := http.StatusOK, int64(1)
				if size > webhook.MaxBody {
					want, depth = http.StatusRequestEntityTooLarge, 0
				}
				if rec.Code != want {
					t.Fatalf("%d-byte body: status %d, want %d (%s)", size, rec.Code, want, rec.Body)
				}
				if got := h.store.InboxDepth(); got != depth {
					t.Fatalf("inbox depth %d, want %d", got, depth)
				}
			})
		}
	}
}

func signedProductUpdate(body string) map[string]string {
	return map[string]string{
		webhook.HeaderTopic:      "product.updated",
		webhook.HeaderResource:   "product",
		webhook.HeaderEvent:      "updated",
		webhook.HeaderID:         "7",
		webhook.HeaderDeliveryID: "d1",
		webhook.HeaderSource:     "https://shop.example/",
		webhook.HeaderSignature:  webhook.Sign([]byte(body), []byte(labSecret)),
		"Content-Type":           "application/json",
	}
}

// serve posts body to the webhook route with the given Content-Length (-1: none).
func serve(srv *Server, headers map[string]string, body io.Reader, length int64) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/woocommerce", body)
	req.ContentLength = length
	if length < 0 {
		req.TransferEncoding = []string{"chunked"}
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return rec
}
