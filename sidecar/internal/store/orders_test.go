package store

import (
	"encoding/json"
	"testing"
	"time"
)

func TestOrderOutboxAndState(t *testing.T) {
	t.Parallel()
	s, _ := setup(t, Options{})
	mod := time.Date(2026, 11, 27, 2, 30, 0, 0, time.UTC)
	err := s.Update(func(tx *Tx) error {
		for _, id := range []int64{300, 7, 1 << 40} {
			if _, err := tx.QueueOrder(QueuedOrder{WooOrderID: id, Number: "n", Hash: "h1", Payload: json.RawMessage(`{"a":1}`)}); err != nil {
				return err
			}
		}
		// A newer change replaces the queued one, with a new version.
		q, err := tx.QueueOrder(QueuedOrder{WooOrderID: 7, Number: "7", Hash: "h2", Payload: json.RawMessage(`{"a":2}`)})
		if err != nil || q.Ver == 0 {
			t.Fatalf("requeue: %+v %v", q, err)
		}
		if err := tx.PutOrderState(OrderState{ID: 7, Number: "7", Modified: mod, Known: true, SentHash: "h0"}); err != nil {
			return err
		}
		return tx.PutItems(Item{Kind: ItemKindOrder, Key: OrderItemKey(300), Status: StatusPending, WooID: 300})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		all, err := tx.QueuedOrders(10, nil)
		if err != nil {
			return err
		}
		if len(all) != 3 || all[0].WooOrderID != 7 || all[1].WooOrderID != 300 || all[2].WooOrderID != 1<<40 || all[0].Hash != "h2" {
			t.Errorf("queued by id: %+v", all)
		}
		some, _ := tx.QueuedOrders(1, func(id int64) bool { return id == 7 })
		if len(some) != 1 || some[0].WooOrderID != 300 {
			t.Errorf("skip 7, limit 1: %+v", some)
		}
		if n := tx.QueuedOrderCount(); n != 3 {
			t.Errorf("count %d", n)
		}
		st, ok, err := tx.OrderState(7)
		if err != nil || !ok || !st.Modified.Equal(mod) || st.SentHash != "h0" {
			t.Errorf("state %+v %v %v", st, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Recording a mirror drops what was queued and the item, and sticks.
	if err := s.Update(func(tx *Tx) error { return tx.MarkOrderMirrored(300) }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Tx) error {
		if _, queued, _ := tx.QueuedOrder(300); queued {
			t.Error("a mirror stays queued")
		}
		if _, ok, _ := tx.Item(ItemKindOrder, "300"); ok {
			t.Error("a mirror keeps its item")
		}
		if st, _, _ := tx.OrderState(300); !st.Mirrored {
			t.Error("mirror not recorded")
		}
		return nil
	})
	st, err := s.Status()
	if err != nil || st.Queues["order_outbox"] != 2 || st.ItemsByKind[ItemKindOrder] == nil {
		t.Errorf("status queues %v by kind %v, %v", st.Queues, st.ItemsByKind, err)
	}
}

func TestCreateJobSince(t *testing.T) {
	t.Parallel()
	s, _ := setup(t, Options{})
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("x", 3600))
	j, created, err := s.CreateJobSince(JobSyncOrders, since)
	if err != nil || !created || j.Since == nil || !j.Since.Equal(since) || j.Since.Location() != time.UTC {
		t.Fatalf("CreateJobSince = %+v %v %v", j, created, err)
	}
	again, created, err := s.CreateJobSince(JobSyncOrders, since.Add(-time.Hour))
	if err != nil || created || again.ID != j.ID {
		t.Fatalf("second while active = %+v %v %v; want the active one", again, created, err)
	}
	got, ok, err := s.GetJob(j.ID)
	if err != nil || !ok || got.Since == nil || !got.Since.Equal(since) {
		t.Fatalf("GetJob = %+v %v %v", got, ok, err)
	}
}

// Recording a mirror's WooCommerce order marks that order as a mirror in the
// same transaction, so the online-order sync never sends it back, even when a
// delivery of it arrives before its meta is visible.
func TestMirrorOutcomeMarksTheWooOrderMirrored(t *testing.T) {
	t.Parallel()
	s, _ := setup(t, Options{})
	err := s.Update(func(tx *Tx) error {
		if err := tx.PutMirror(MirrorRecord{ID: "ro_1", State: MirrorCreating}); err != nil {
			return err
		}
		return tx.PutMirrorOutcome(MirrorRecord{ID: "ro_1", State: MirrorSynced, WooID: 5120})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(tx *Tx) error {
		st, ok, err := tx.OrderState(5120)
		if err != nil {
			return err
		}
		if !ok || !st.Mirrored {
			t.Errorf("order 5120 after its mirror was recorded: %+v (known %v), want Mirrored", st, ok)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
