package store

import (
	"errors"
	"reflect"
	"testing"
)

func TestCatalogRecordsKeepTheirOwnRanges(t *testing.T) {
	s, _ := setup(t, Options{})
	err := s.Update(func(tx *Tx) error {
		for _, e := range []struct{ id, parent int64 }{{10, 0}, {12, 10}, {11, 10}, {20, 0}, {21, 20}} {
			if err := tx.PutEntity(e.id, e.parent, []byte(`{"id":1}`)); err != nil {
				return err
			}
		}
		if err := tx.SetSKUOwner("A", 11); err != nil {
			return err
		}
		for _, sku := range []string{"B", "A", "C"} {
			if err := tx.PutOutboxEntry(sku, []byte(sku)); err != nil {
				return err
			}
		}
		if err := tx.PutSentRecord("A", []byte(`{"hash":"h"}`)); err != nil {
			return err
		}
		return tx.SetCursor("products", "2026-11-30T00:00:00Z")
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		if got := tx.Children(10); !reflect.DeepEqual(got, []int64{11, 12}) {
			t.Errorf("children of 10 = %v, want [11 12]", got)
		}
		if got := tx.Children(12); got != nil {
			t.Errorf("children of a variation = %v, want none", got)
		}
		var ids []int64
		if err := tx.EachEntity(func(id int64, _ []byte) error { ids = append(ids, id); return nil }); err != nil {
			return err
		}
		if !reflect.DeepEqual(ids, []int64{10, 11, 12, 20, 21}) {
			t.Errorf("entities = %v", ids)
		}
		if tx.SKUOwner("A") != 11 || tx.SKUOwner("B") != 0 {
			t.Errorf("owners A=%d B=%d, want 11 and 0", tx.SKUOwner("A"), tx.SKUOwner("B"))
		}
		var skus []string
		if err := tx.ScanOutbox(func(sku string, v []byte) (bool, error) {
			skus = append(skus, sku+"="+string(v))
			return len(skus) < 2, nil
		}); err != nil {
			return err
		}
		if !reflect.DeepEqual(skus, []string{"A=A", "B=B"}) {
			t.Errorf("outbox scan stopped at %v, want [A=A B=B]", skus)
		}
		if tx.OutboxDepth() != 3 || tx.OutboxEmpty() {
			t.Errorf("outbox depth %d empty %v, want 3 and false", tx.OutboxDepth(), tx.OutboxEmpty())
		}
		if string(tx.SentRecord("A")) != `{"hash":"h"}` {
			t.Errorf("sent %q", tx.SentRecord("A"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := s.OutboxDepth(); st.Queues["outbox"] != 3 || n != 3 {
		t.Fatalf("status outbox %d, OutboxDepth %d: both must count the 3 waiting changes", st.Queues["outbox"], n)
	}
}

func TestUpdateIsOneTransaction(t *testing.T) {
	s, _ := setup(t, Options{})
	boom := errors.New("boom")
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutOutboxEntry("A", []byte("x")); err != nil {
			return err
		}
		if err := tx.SetCursor("products", "later"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if n, _ := s.OutboxDepth(); n != 0 {
		t.Fatalf("outbox kept %d entries of a failed transaction", n)
	}
	if c, _ := s.Cursor("products"); c != "" {
		t.Fatalf("cursor %q moved in a failed transaction", c)
	}
}

// Batches being sent live beside the outbox's entries without being counted
// as waiting changes, and are walked oldest first.
func TestSendingBatchesAreNotOutboxEntries(t *testing.T) {
	s, _ := setup(t, Options{})
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutOutboxEntry("A", []byte("a")); err != nil {
			return err
		}
		for _, id := range []uint64{300, 7, 42} {
			if err := tx.PutSendingBatch(id, []byte{byte(id)}); err != nil {
				return err
			}
		}
		return tx.DeleteSendingBatch(42)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.OutboxDepth(); err != nil || n != 1 {
		t.Fatalf("outbox depth = %d, %v; want 1", n, err)
	}
	var ids []uint64
	err = s.View(func(tx *Tx) error {
		return tx.ScanSendingBatches(func(id uint64, b []byte) (bool, error) {
			if b[0] != byte(id) {
				t.Errorf("batch %d holds %v", id, b)
			}
			ids = append(ids, id)
			return true, nil
		})
	})
	if err != nil || !reflect.DeepEqual(ids, []uint64{7, 300}) {
		t.Fatalf("sending batches = %v, %v; want [7 300]", ids, err)
	}
}
