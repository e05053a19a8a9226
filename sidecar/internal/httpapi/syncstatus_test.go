package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

type fixedSync store.SyncStatus

func (f fixedSync) SyncStatus() store.SyncStatus { return store.SyncStatus(f) }

// A machine error that stops the inbox shows in /readyz and /v1/status; a
// running reconcile shows in /v1/status.
func TestStatusAndReadyzShowTheEngine(t *testing.T) {
	h := setup(t)
	started := time.Date(2026, 11, 30, 5, 0, 0, 0, time.UTC)
	h.srv.deps.Sync = fixedSync{
		Inbox:     store.InboxState{State: store.InboxStopped, Error: "store closed", Fix: "Free disk space", Since: &started},
		Reconcile: store.ReconcileState{Running: true, StartedAt: &started, Products: 1200, Via: "plugin"},
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || errCode(t, rec) != "inbox_stopped" {
		t.Fatalf("/readyz = %d %s, want 503 inbox_stopped", rec.Code, rec.Body)
	}
	rec = adminReq(h, http.MethodGet, "/v1/status", "", labSecret)
	var st store.Status
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil || st.Sync == nil {
		t.Fatalf("status = %s (%v)", rec.Body, err)
	}
	if st.Sync.Inbox.State != store.InboxStopped || !st.Sync.Reconcile.Running || st.Sync.Reconcile.Products != 1200 {
		t.Fatalf("status sync = %+v", st.Sync)
	}
}
