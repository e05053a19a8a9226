package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

type fakeBackfiller struct {
	since []time.Time
}

func (f *fakeBackfiller) Backfill(_ context.Context, since time.Time) (int, error) {
	f.since = append(f.since, since)
	return 3, nil
}

// POST /v1/mirror/backfill: authenticated, refused while mirroring is off,
// a date or an RFC 3339 time, answers how many release orders were new.
func TestMirrorBackfillRoute(t *testing.T) {
	st, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	fb := &fakeBackfiller{}
	srv := New(Deps{Store: st, Secret: []byte(labSecret), Mirror: fb,
		Defaults: store.EffectiveSettings{CustomerMapping: "create", StockSyncInterval: 10 * time.Minute}})
	call := func(auth, body string) (int, string) {
		req := httptest.NewRequest(http.MethodPost, "/v1/mirror/backfill", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	if code, _ := call("", `{"since":"2026-11-01"}`); code != http.StatusUnauthorized {
		t.Errorf("without the bearer: %d", code)
	}
	if code, body := call(labSecret, `{"since":"2026-11-01"}`); code != http.StatusConflict || !strings.Contains(body, "mirror_off") {
		t.Errorf("mirroring off: %d %s", code, body)
	}
	on := true
	if err := st.PutSettings(store.Settings{MirrorReleaseOrders: &on}); err != nil {
		t.Fatal(err)
	}
	if code, body := call(labSecret, `{"since":"yesterday"}`); code != http.StatusUnprocessableEntity || !strings.Contains(body, "invalid_since") {
		t.Errorf("bad date: %d %s", code, body)
	}
	code, body := call(labSecret, `{"since":"2026-11-01"}`)
	if code != http.StatusOK {
		t.Fatalf("backfill: %d %s", code, body)
	}
	var out backfillAnswer
	if err := json.Unmarshal([]byte(body), &out); err != nil || out.NewReleaseOrders != 3 {
		t.Errorf("answer %s (%v)", body, err)
	}
	if code, _ := call(labSecret, `{"since":"2026-11-02T08:30:00Z"}`); code != http.StatusOK {
		t.Errorf("RFC 3339: %d", code)
	}
	want := []time.Time{time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 8, 30, 0, 0, time.UTC)}
	if len(fb.since) != 2 || !fb.since[0].Equal(want[0]) || !fb.since[1].Equal(want[1]) {
		t.Errorf("backfilled since %v, want %v", fb.since, want)
	}
}
