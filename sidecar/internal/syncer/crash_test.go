package syncer

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/testutil"
)

// A crash in the middle of a full sync (the context dies mid-catalog, one
// batch took effect in OnCloudWine but its answer was lost), then a restart
// on the same file: the job resumes, finishes, and no SKU is created twice.
func TestCrashMidSyncResumesWithoutDuplicates(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	for i := range 400 {
		p := simple(int64(100+i), fmt.Sprintf("WINE-%03d", i), fmt.Sprintf("Wine %d", i), "10.00")
		p.DateModifiedGMT = at(i % 7)
		h.woo.put(p)
	}
	ctx, crash := context.WithCancel(t.Context())
	h.ocw.afterUpsert = func(calls int) error {
		if calls == 2 {
			crash()
			return errors.New("connection reset by peer")
		}
		return nil
	}
	h.woo.onProduct = func(n int) error {
		if n == 300 { // the crash may come from here if the sender was slower
			crash()
		}
		return nil
	}
	if _, err := h.eng.RunJob(ctx, store.JobSyncProducts, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunJob after the crash = %v, want context.Canceled", err)
	}
	h.eng.Stop()
	if err := h.store.Close(); err != nil {
		t.Fatal(err)
	}

	// Restart.
	h.woo.onProduct, h.ocw.afterUpsert = nil, nil
	h.store = openTestStore(t, h.dir)
	active, err := h.store.ActiveJobs()
	if err != nil || len(active) != 1 || active[0].State != store.JobRunning {
		t.Fatalf("active jobs after the crash = %+v, %v", active, err)
	}
	if cur, _ := h.store.Cursor(CursorProducts); cur != "" {
		t.Errorf("cursor moved by an unfinished sync: %q", cur)
	}
	h.eng = h.newEngine(h.woo, h.ocw)
	h.start()
	testutil.Eventually(t, "resumed job finished", func() bool {
		j, ok, _ := h.store.GetJob(active[0].ID)
		return ok && j.State == store.JobSucceeded
	})
	variants, _, _ := h.ocw.snapshot()
	if len(variants) != 400 {
		t.Errorf("OnCloudWine has %d variants, want 400", len(variants))
	}
	h.ocw.mu.Lock()
	for sku, n := range h.ocw.created {
		if n != 1 {
			t.Errorf("SKU %s created %d times", sku, n)
		}
	}
	h.ocw.mu.Unlock()
	if cur, _ := h.store.Cursor(CursorProducts); cur != at(6).Format(time.RFC3339) {
		t.Errorf("cursor after the resumed sync = %q, want %s", cur, at(6).Format(time.RFC3339))
	}
	if c, _ := h.store.ItemCounts(); c[store.StatusSynced] != 400 || c[store.StatusPending] != 0 {
		t.Errorf("item counts = %v", c)
	}
}
