package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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

// A crash after OnCloudWine applied a batch but before its outcome was
// recorded: after the restart that batch is sent again exactly as it was
// (the same request, so the same Idempotency-Key, which OnCloudWine answers
// from its record), even though the outbox now holds a change that sorts
// first and would have made a batch composed anew another request, applying
// the same variants a second time.
func TestCrashAfterUpsertResendsTheSameBatch(t *testing.T) {
	t.Parallel()
	h := newHarness(t, newFakeWoo(), newFakeOCW())
	for i := range 150 {
		h.woo.put(simple(int64(100+i), fmt.Sprintf("WINE-%03d", i), fmt.Sprintf("Wine %d", i), "10.00"))
	}
	ctx, crash := context.WithCancel(t.Context())
	h.ocw.afterUpsert = func(calls int) error {
		if calls == 1 {
			h.ocw.down = 1 << 30 // nothing more takes effect before the "crash" ends the process
			crash()
			return errors.New("connection reset by peer")
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
	h.ocw.mu.Lock()
	h.ocw.afterUpsert, h.ocw.down = nil, 0
	if len(h.ocw.applied) != 1 {
		t.Fatalf("%d upserts before the crash, want 1", len(h.ocw.applied))
	}
	crashed := h.ocw.applied[0]
	h.ocw.mu.Unlock()

	// Meanwhile a change whose SKU sorts first waits in the outbox; then the restart.
	h.store = openTestStore(t, h.dir)
	err := h.store.Update(func(tx *store.Tx) error {
		var ent outboxEntry
		if err := tx.ScanOutbox(func(_ string, raw []byte) (bool, error) {
			return false, json.Unmarshal(raw, &ent)
		}); err != nil || ent.Variant == nil {
			return fmt.Errorf("no outbox entry to copy: %w", err)
		}
		v := *ent.Variant
		v.SKU, v.WooProductID = "AAA-000", 99
		ent.SKU, ent.Variant, ent.WooID = v.SKU, &v, 99
		_, err := newTxn(tx).putOutbox(ent)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	active, err := h.store.ActiveJobs()
	if err != nil || len(active) != 1 {
		t.Fatalf("active jobs after the crash = %+v, %v", active, err)
	}
	h.eng = h.newEngine(h.woo, h.ocw)
	h.start()
	testutil.Eventually(t, "resumed job finished", func() bool {
		j, ok, _ := h.store.GetJob(active[0].ID)
		return ok && j.State == store.JobSucceeded
	})
	h.ocw.mu.Lock()
	defer h.ocw.mu.Unlock()
	if len(h.ocw.applied) < 2 || !slices.Equal(h.ocw.applied[1], crashed) {
		first := []string{}
		if len(h.ocw.applied) > 1 {
			first = h.ocw.applied[1]
		}
		t.Fatalf("first upsert after the restart has %d SKUs starting %v, want the interrupted batch of %d starting %v",
			len(first), first[:min(3, len(first))], len(crashed), crashed[:3])
	}
	if len(h.ocw.variants) != 151 {
		t.Errorf("OnCloudWine has %d variants, want 151", len(h.ocw.variants))
	}
	if depth, _ := h.store.OutboxDepth(); depth != 0 {
		t.Errorf("outbox depth %d after the sync", depth)
	}
	sending := 0
	_ = h.store.View(func(tx *store.Tx) error {
		return tx.ScanSendingBatches(func(uint64, []byte) (bool, error) { sending++; return true, nil })
	})
	if sending != 0 {
		t.Errorf("%d batches still recorded as being sent", sending)
	}
}
