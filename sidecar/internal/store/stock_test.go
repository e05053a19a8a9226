package store

import (
	"testing"
	"time"
)

// Stock records round-trip, a level observed earlier never replaces a later
// one, a mark never moves back (the same date replaces: the later reading
// wins), and both survive a reopen.
func TestStockRecordsMoveForwardOnly(t *testing.T) {
	s, dir := setup(t, Options{})
	t0 := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	lvl := StockLevel{SKU: "A", Holder: 40, ManageStock: true, OnHand: 7, Reserved: 2, Available: 5, StockStatus: "instock", ObservedAt: t0}
	mark := StockMark{Holder: 40, Modified: t0, Content: "q:7"}
	if err := s.RecordStock([]StockLevel{lvl}, []StockMark{mark}); err != nil {
		t.Fatal(err)
	}
	older := lvl
	older.OnHand, older.Available, older.ObservedAt = 9, 7, t0.Add(-time.Second)
	if err := s.RecordStock([]StockLevel{older}, []StockMark{{Holder: 40, Modified: t0.Add(-time.Minute), Content: "q:9"}}); err != nil {
		t.Fatal(err)
	}
	same := StockMark{Holder: 40, Modified: t0, Content: "q:6"}
	if err := s.RecordStock(nil, []StockMark{same}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	levels, err := s.StockLevels([]string{"A", "B"})
	if err != nil {
		t.Fatal(err)
	}
	if len(levels) != 1 || levels["A"] != lvl {
		t.Errorf("levels = %+v, want only %+v", levels, lvl)
	}
	marks, err := s.StockMarks([]int64{40, 41})
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 1 || marks[40] != same {
		t.Errorf("marks = %+v, want only %+v", marks, same)
	}
	var seen []string
	if err := s.EachStockLevel(func(l StockLevel) error { seen = append(seen, l.SKU); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != "A" {
		t.Errorf("EachStockLevel saw %v", seen)
	}
}
