package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func setup(t *testing.T, opts Options) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, dir
}

func event(id int64, modified, hash string) *Event {
	return &Event{Topic: "product.updated", Resource: "product", Action: "updated", ResourceID: id, ModifiedGMT: modified, BodyHash: hash,
		Body: []byte(fmt.Sprintf(`{"id":%d,"permalink":"https:\/\/x"}`, id))}
}

func TestIngestDedupesOnContentNotDeliveryID(t *testing.T) {
	s, _ := setup(t, Options{})
	ctx := context.Background()
	a := event(13, "2026-11-27T02:01:14", "h1")
	a.DeliveryID = "same-second"
	b := event(14, "2026-11-27T02:01:14", "h2")
	b.DeliveryID = "same-second"
	r1, err := s.Ingest(ctx, a)
	if err != nil || r1.Duplicate {
		t.Fatalf("first: %+v %v", r1, err)
	}
	r2, err := s.Ingest(ctx, b)
	if err != nil || r2.Duplicate {
		t.Fatalf("same delivery id, other product must be stored: %+v %v", r2, err)
	}
	r3, err := s.Ingest(ctx, event(13, "2026-11-27T02:01:14", "h1"))
	if err != nil || !r3.Duplicate || r3.Seq != r1.Seq {
		t.Fatalf("same content must dedupe to seq %d: %+v %v", r1.Seq, r3, err)
	}
	evs, err := s.InboxBatch(10)
	if err != nil || len(evs) != 2 {
		t.Fatalf("inbox = %d events, %v", len(evs), err)
	}
	if evs[0].ReceivedAt.IsZero() {
		t.Fatal("received_at not recorded")
	}
	if string(evs[0].Body) != `{"id":13,"permalink":"https:\/\/x"}` {
		t.Fatalf("raw body not kept byte-exact: %s", evs[0].Body)
	}
	if s.InboxDepth() != 2 {
		t.Fatalf("depth = %d", s.InboxDepth())
	}
	if err := s.InboxAck(evs[0].Seq); err != nil {
		t.Fatal(err)
	}
	if s.InboxDepth() != 1 {
		t.Fatalf("depth after ack = %d", s.InboxDepth())
	}
	r4, _ := s.Ingest(ctx, event(13, "2026-11-27T02:01:14", "h1"))
	if !r4.Duplicate {
		t.Fatal("acknowledged content must still dedupe")
	}
}

func TestTrashRestoreTrashStoresBothTrashes(t *testing.T) {
	s, _ := setup(t, Options{})
	ctx := context.Background()
	trash := func() *Event {
		return &Event{Topic: "product.deleted", Resource: "product", Action: "deleted", ResourceID: 13, BodyHash: "same", Body: []byte(`{"id":13}`)}
	}
	restore := event(13, "2026-11-27T03:00:00", "restored")
	for i, ev := range []*Event{trash(), restore, trash()} {
		r, err := s.Ingest(ctx, ev)
		if err != nil || r.Duplicate {
			t.Fatalf("delivery %d: %+v %v", i, r, err)
		}
	}
	if s.InboxDepth() != 3 {
		t.Fatalf("depth = %d", s.InboxDepth())
	}
}

func TestConcurrentIngestSharesCommits(t *testing.T) {
	var mu sync.Mutex
	commits, delivered := 0, 0
	s, _ := setup(t, Options{OnCommit: func(_ time.Duration, n int) {
		mu.Lock()
		commits++
		delivered += n
		mu.Unlock()
	}})
	const n = 400
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Ingest(context.Background(), event(int64(i+1), "t", "h")); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if s.InboxDepth() != n || delivered != n {
		t.Fatalf("depth %d delivered %d, want %d", s.InboxDepth(), delivered, n)
	}
	if commits >= n {
		t.Fatalf("%d commits for %d concurrent deliveries: no group commit", commits, n)
	}
}

func TestIngestAfterCloseFails(t *testing.T) {
	s, _ := setup(t, Options{})
	_ = s.Close()
	if _, err := s.Ingest(context.Background(), event(1, "", "")); !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}

func TestOpenRefusesForeignAndNewerFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	junk := []byte(strings.Repeat("not a database ", 1000))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "not a readable sidecar database") {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != string(junk) {
		t.Fatal("foreign file was modified")
	}

	dir2 := t.TempDir()
	s, err := Open(dir2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("99")) })
	_ = s.Close()
	before, _ := os.ReadFile(filepath.Join(dir2, FileName))
	if _, err := Open(dir2, Options{}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(dir2, FileName))
	if string(before) != string(after) {
		t.Fatal("newer-schema file was modified")
	}
}

func TestSecondProcessLockFailsFast(t *testing.T) {
	_, dir := setup(t, Options{})
	start := time.Now()
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("lock wait did not time out")
	}
}

func TestBackupIsAConsistentDatabase(t *testing.T) {
	s, _ := setup(t, Options{})
	for i := range 50 {
		if _, err := s.Ingest(context.Background(), event(int64(i+1), "t", "h")); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "copy")
	if err := os.MkdirAll(out, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BackupToFile(filepath.Join(out, FileName)); err != nil {
		t.Fatal(err)
	}
	c, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.InboxDepth() != 50 {
		t.Fatalf("backup holds %d events", c.InboxDepth())
	}
}

func TestActivityRetentionByCountAndAge(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	s, _ := setup(t, Options{ActivityMax: 5, ActivityMaxAge: time.Hour, Now: func() time.Time { return now }})
	for i := range 8 {
		if err := s.LogActivity("info", fmt.Sprintf("line %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.ListActivity(100, 0)
	if len(got) != 5 || got[0].Message != "line 7" || got[4].Message != "line 3" {
		t.Fatalf("count retention: %+v", got)
	}
	page2, _ := s.ListActivity(2, got[1].ID)
	if len(page2) != 2 || page2[0].Message != "line 5" {
		t.Fatalf("paging: %+v", page2)
	}
	now = now.Add(2 * time.Hour)
	_ = s.LogActivity("info", "later")
	got, _ = s.ListActivity(100, 0)
	if len(got) != 1 || got[0].Message != "later" {
		t.Fatalf("age retention: %+v", got)
	}
}

func TestJobsDedupeActiveType(t *testing.T) {
	s, _ := setup(t, Options{})
	j1, created, err := s.CreateJob(JobSyncProducts)
	if err != nil || !created {
		t.Fatal(err)
	}
	j2, created, _ := s.CreateJob(JobSyncProducts)
	if created || j2.ID != j1.ID {
		t.Fatalf("second request made a new job: %+v", j2)
	}
	j3, created, _ := s.CreateJob(JobSyncStock)
	if !created || j3.ID == j1.ID {
		t.Fatal("other type must get its own job")
	}
	j1.State = JobSucceeded
	_ = s.PutJob(j1)
	j4, created, _ := s.CreateJob(JobSyncProducts)
	if !created || j4.ID == j1.ID {
		t.Fatal("finished job must not block a new one")
	}
	got, ok, _ := s.GetJob(j4.ID)
	if !ok || got.State != JobQueued || got.Type != JobSyncProducts {
		t.Fatalf("GetJob = %+v %v", got, ok)
	}
	if _, ok, _ := s.GetJob("job_nope"); ok {
		t.Fatal("bad id found a job")
	}
}

func TestItemsPagingAndCounts(t *testing.T) {
	s, _ := setup(t, Options{})
	var items []Item
	for i := range 7 {
		st := StatusSynced
		if i%3 == 0 {
			st = StatusFailed
		}
		items = append(items, Item{Kind: "variant", Key: fmt.Sprintf("SKU-%02d", i), Status: st})
	}
	items = append(items, Item{Kind: "order", Key: "1", Status: StatusPending})
	if err := s.PutItems(items...); err != nil {
		t.Fatal(err)
	}
	counts, _ := s.ItemCounts()
	if counts[StatusFailed] != 3 || counts[StatusSynced] != 4 || counts[StatusPending] != 1 {
		t.Fatalf("counts = %v", counts)
	}
	var all []Item
	cursor := ""
	for {
		page, next, err := s.ListItems(ItemFilter{Kind: "variant"}, 3, cursor)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	if len(all) != 7 {
		t.Fatalf("paged %d variants", len(all))
	}
	failed, _, _ := s.ListItems(ItemFilter{Status: StatusFailed}, 50, "")
	if len(failed) != 3 {
		t.Fatalf("failed = %d", len(failed))
	}
}

func TestSettingsAndConnectionRoundTrip(t *testing.T) {
	s, _ := setup(t, Options{})
	c, _ := s.Connection()
	if c.Status != ConnDisconnected {
		t.Fatalf("fresh status %s", c.Status)
	}
	on := true
	if err := s.PutSettings(Settings{MirrorReleaseOrders: &on}); err != nil {
		t.Fatal(err)
	}
	st, _ := s.Settings()
	if st.MirrorReleaseOrders == nil || !*st.MirrorReleaseOrders || st.CustomerMapping != nil {
		t.Fatalf("settings = %+v", st)
	}
	_ = s.ResetSettings()
	st, _ = s.Settings()
	if st.MirrorReleaseOrders != nil {
		t.Fatal("reset kept overrides")
	}
	if err := s.PutConnection(Connection{Status: ConnActive, WCVersion: "10.0.2", ConsumerKey: "ck", ConsumerSecret: "cs"}); err != nil {
		t.Fatal(err)
	}
	c, _ = s.Connection()
	if c.Status != ConnActive || c.ConsumerSecret != "cs" {
		t.Fatalf("connection = %+v", c)
	}
}

func TestCompactKeepsEverythingAndShrinks(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	for i := range 3000 {
		r, err := s.Ingest(context.Background(), event(int64(i+1), "t", fmt.Sprint(i)))
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, r.Seq)
	}
	if err := s.InboxAck(seqs[:2990]...); err != nil {
		t.Fatal(err)
	}
	_ = s.LogActivity("info", "before compaction")
	if _, err := Compact(dir); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("compacting an open store: %v", err)
	}
	_ = s.Close()

	res, err := Compact(dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.After >= res.Before {
		t.Fatalf("compaction did not shrink the file: %d → %d bytes", res.Before, res.After)
	}
	if _, err := os.Stat(res.Kept); err != nil {
		t.Fatalf("original not kept: %v", err)
	}
	c, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.InboxDepth() != 10 {
		t.Fatalf("compacted inbox holds %d events, want 10", c.InboxDepth())
	}
	if a, _ := c.ListActivity(1, 0); len(a) != 1 || a[0].Message != "before compaction" {
		t.Fatalf("activity after compaction: %+v", a)
	}
	if r, _ := c.Ingest(context.Background(), event(2995, "t", "2994")); !r.Duplicate {
		t.Fatal("dedupe index lost in compaction")
	}
	if r, err := c.Ingest(context.Background(), event(5000, "t", "new")); err != nil || r.Duplicate || r.Seq <= seqs[len(seqs)-1] {
		t.Fatalf("sequence after compaction: %+v %v (last was %d)", r, err, seqs[len(seqs)-1])
	}
}

// The mirror's records through Tx: put with the cursor in one commit, due
// until done, shown as items, counted by state; an outcome keeps what was
// listed; customer ids remembered; activity in the same commit.
func TestMirrorRecords(t *testing.T) {
	s, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cur := `{"updated_after":"2026-11-27T01:00:00Z","after_id":"ro_2"}`
	err = s.Update(func(tx *Tx) error {
		for _, id := range []string{"ro_1", "ro_2"} {
			if _, ok, err := tx.Mirror(id); err != nil || ok {
				t.Errorf("%s existed (%v)", id, err)
			}
			if err := tx.PutMirror(MirrorRecord{ID: id, Number: "R", State: MirrorPending, Status: "paid"}); err != nil {
				return err
			}
		}
		return tx.SetCursor(MirrorCursorName, cur)
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Cursor(MirrorCursorName); v != cur {
		t.Errorf("cursor %q", v)
	}
	dueAt := func(at time.Time) (due []MirrorRecord, next time.Time) {
		t.Helper()
		if err := s.View(func(tx *Tx) error {
			var err error
			due, next, err = tx.MirrorsDue(at, 10)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return due, next
	}
	now := time.Now()
	if due, _ := dueAt(now); len(due) != 2 {
		t.Fatalf("due %+v", due)
	}
	later := now.Add(time.Minute)
	err = s.Update(func(tx *Tx) error {
		if err := tx.PutMirrorOutcome(MirrorRecord{ID: "ro_1", State: MirrorFailed, Error: "SKU X is not in WooCommerce — sync products first", NextTry: later}); err != nil {
			return err
		}
		if err := tx.LogActivity("error", "ro_1 failed"); err != nil {
			return err
		}
		return tx.PutMirrorOutcome(MirrorRecord{ID: "ro_2", State: MirrorSynced, WooID: 7, WooStatus: "processing", Reported: MirrorSynced})
	})
	if err != nil {
		t.Fatal(err)
	}
	if due, next := dueAt(now); len(due) != 0 || !next.Equal(later) {
		t.Errorf("due %+v next %v: want none now, ro_1 at %v; ro_2 is done", due, next, later)
	}
	if due, _ := dueAt(later); len(due) != 1 || due[0].ID != "ro_1" || due[0].Status != "paid" {
		t.Errorf("due later %+v (the outcome keeps the listed status)", due)
	}
	it, _, _ := s.GetItem(ItemKindReleaseOrder, "ro_1")
	if it.Status != StatusFailed || it.Error == "" {
		t.Errorf("item %+v", it)
	}
	if it, _, _ := s.GetItem(ItemKindReleaseOrder, "ro_2"); it.Status != StatusSynced || it.WooID != 7 {
		t.Errorf("item %+v", it)
	}
	if acts, _ := s.ListActivity(1, 0); len(acts) != 1 || acts[0].Message != "ro_1 failed" {
		t.Errorf("activity %+v", acts)
	}
	// A cancellation listed while a step ran is not overwritten by the step.
	err = s.Update(func(tx *Tx) error {
		r, _, err := tx.Mirror("ro_2")
		if err != nil {
			return err
		}
		r.Status = "cancelled"
		if err := tx.PutMirror(r); err != nil {
			return err
		}
		return tx.PutMirrorOutcome(MirrorRecord{ID: "ro_2", State: MirrorSynced, Status: "paid", WooID: 7, WooStatus: "processing", Reported: MirrorSynced})
	})
	if err != nil {
		t.Fatal(err)
	}
	var counts map[string]int
	var r2 MirrorRecord
	err = s.View(func(tx *Tx) error {
		var err error
		if r2, _, err = tx.Mirror("ro_2"); err != nil {
			return err
		}
		counts, err = tx.MirrorCounts()
		return err
	})
	if err != nil || r2.Status != "cancelled" || r2.Done() {
		t.Errorf("ro_2 %+v (%v): the listed cancellation was lost", r2, err)
	}
	if counts[MirrorFailed] != 1 || counts[MirrorSynced] != 1 {
		t.Errorf("counts %v", counts)
	}
	customer := func() int64 {
		var id int64
		if err := s.View(func(tx *Tx) error {
			var err error
			id, err = tx.MirrorCustomer("email:a@example.com")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	for _, want := range []int64{12, 0} {
		if err := s.Update(func(tx *Tx) error { return tx.SetMirrorCustomer("email:a@example.com", want) }); err != nil {
			t.Fatal(err)
		}
		if got := customer(); got != want {
			t.Errorf("customer %d, want %d", got, want)
		}
	}
}
