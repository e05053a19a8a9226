package store

import (
	"context"
	"testing"
)

// Every acknowledgement rests on bbolt's fsync at commit: the store must
// never be opened with NoSync (nor skip the sync when the file grows).
func TestStoreCommitsAreFsynced(t *testing.T) {
	s, _ := setup(t, Options{})
	if s.db.NoSync {
		t.Fatal("bbolt opened with NoSync: a commit returns before its data is on disk")
	}
	if s.db.NoGrowSync {
		t.Fatal("bbolt opened with NoGrowSync: a grown file's size may not be durable")
	}
	if s.db.IsReadOnly() {
		t.Fatal("writable store opened read-only")
	}
}

// Two deliveries about one product with the same date_modified_gmt but
// different bodies (a stock change does not move date_modified) are both
// stored: the content sum covers the body, not only the modified time.
func TestIngestSameModifiedTimeOtherBodyIsStored(t *testing.T) {
	s, _ := setup(t, Options{})
	ctx := context.Background()
	first, err := s.Ingest(ctx, event(13, "2026-11-27T02:01:14", "stock-24"))
	if err != nil || first.Duplicate {
		t.Fatalf("first: %+v %v", first, err)
	}
	second, err := s.Ingest(ctx, event(13, "2026-11-27T02:01:14", "stock-23"))
	if err != nil {
		t.Fatal(err)
	}
	if second.Duplicate || second.Seq == first.Seq {
		t.Fatalf("other body with the same modified time dropped as a duplicate: %+v", second)
	}
	if d := s.InboxDepth(); d != 2 {
		t.Fatalf("inbox depth %d, want 2", d)
	}
	again, err := s.Ingest(ctx, event(13, "2026-11-27T02:01:14", "stock-23"))
	if err != nil || !again.Duplicate || again.Seq != second.Seq {
		t.Fatalf("same body again must dedupe to %d: %+v %v", second.Seq, again, err)
	}
}
