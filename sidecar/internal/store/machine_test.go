package store

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// A record that cannot be decoded comes back marked instead of failing the
// whole batch (which would hold up every later delivery).
func TestInboxBatchMarksAnUnreadableRecord(t *testing.T) {
	s, _ := setup(t, Options{})
	for id := int64(1); id <= 2; id++ {
		if _, err := s.Ingest(context.Background(), event(id, "2026-11-27T02:00:00", fmt.Sprint(id))); err != nil {
			t.Fatal(err)
		}
	}
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketInbox).Put(u64(1), []byte{9, 0, 0, 0, 2, '{', '}'}) })
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.InboxBatch(10)
	if err != nil || len(evs) != 2 {
		t.Fatalf("InboxBatch = %d events, %v", len(evs), err)
	}
	if evs[0].Seq != 1 || evs[0].Unreadable == "" || evs[1].Unreadable != "" || evs[1].ResourceID != 2 {
		t.Fatalf("events = %+v", evs)
	}
	if err := s.InboxAck(evs[0].Seq); err != nil || s.InboxDepth() != 1 {
		t.Fatalf("ack: %v, depth %d", err, s.InboxDepth())
	}
}

func TestIsMachineError(t *testing.T) {
	for _, err := range []error{ErrClosed, fmt.Errorf("commit: %w", syscall.ENOSPC), fmt.Errorf("x: %w", bolterrors.ErrDatabaseNotOpen)} {
		if !IsMachineError(err) {
			t.Errorf("IsMachineError(%v) = false", err)
		}
	}
	for _, err := range []error{nil, errors.New("key too large"), fmt.Errorf("put: %w", bolterrors.ErrKeyTooLarge)} {
		if IsMachineError(err) {
			t.Errorf("IsMachineError(%v) = true", err)
		}
	}
}
