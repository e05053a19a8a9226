package syncer

import (
	"slices"
	"testing"
	"time"
)

// The case: stock 7 (03:00), then 4 (03:05), then the 03:00
// delivery again (a retry, a replay): OnCloudWine keeps 4, nothing is sent.
func TestStaleStockDeliveryIsNeverPushed(t *testing.T) {
	t.Parallel()
	r := newStockRun(t, 1)
	seven := r.w.setStock(101, 7)
	r.w.now = r.w.now.Add(5 * time.Minute)
	four := r.w.setStock(101, 4)
	r.ingest(four[0])
	r.sidecar("inbox", r.processInbox)
	if got := r.w.stock["S-101"]; got.OnHand != 4 {
		t.Fatalf("after the 03:05 delivery OnCloudWine holds %+v", got)
	}
	writes := r.w.stockWrites
	r.ingest(seven[0])
	r.sidecar("inbox", r.processInbox)
	if got := r.w.stock["S-101"]; got.OnHand != 4 || r.w.stockWrites != writes {
		t.Errorf("the 03:00 delivery again: OnCloudWine holds on hand %d after %d more writes, want 4 and none", got.OnHand, r.w.stockWrites-writes)
	}
}

// Two sales in one second give two deliveries with the same
// date_modified_gmt: the one applied second is read again from WooCommerce,
// and what is read then (later than both) wins.
func TestSameSecondReadingsAreReadAgain(t *testing.T) {
	t.Parallel()
	r := newStockRun(t, 2)
	r.w.now = r.w.now.Truncate(time.Second).Add(time.Minute)
	six := r.w.setStock(101, 6)
	r.w.now = r.w.now.Add(400 * time.Millisecond)
	five := r.w.setStock(101, 5)
	r.ingest(five[0])
	r.sidecar("inbox", r.processInbox)
	gets := r.w.productGets
	r.ingest(six[0]) // same second, other content: a tie
	r.sidecar("inbox", r.processInbox)
	if got := r.w.stock["S-101"]; got.OnHand != 5 {
		t.Errorf("OnCloudWine holds on hand %d, want 5 (the level read later)", got.OnHand)
	}
	if r.w.productGets != gets+1 {
		t.Errorf("the tie made %d product reads, want 1", r.w.productGets-gets)
	}
}

// Two variations sharing their parent's stock share one level: both
// reservations are deducted from it, and a reservation change sends the
// levels of that group only.
func TestSharedParentStockDeductsEveryReservation(t *testing.T) {
	t.Parallel()
	r := newStockRun(t, 3)
	r.w.setStock(200, 20)
	r.sidecar("stock run", r.stockRun)
	r.w.setReservation("V-201", 2)
	r.w.setReservation("V-202", 3)
	r.sidecar("reservation poll", r.eng.RefreshReservations)
	for _, sku := range []string{"V-201", "V-202"} {
		if got := r.w.stock[sku]; got.OnHand != 20 || got.Reserved != 5 || got.Available != 15 {
			t.Errorf("%s = on hand %d reserved %d available %d, want 20, 5, 15", sku, got.OnHand, got.Reserved, got.Available)
		}
	}
	if got := slices.Sorted(slices.Values(r.w.lastWrite)); !slices.Equal(got, []string{"V-201", "V-202"}) {
		t.Errorf("the reservation poll sent %v, want the shared group only", got)
	}
	r.w.setReservation("S-102", 1)
	r.sidecar("reservation poll", r.eng.RefreshReservations)
	if !slices.Equal(r.w.lastWrite, []string{"S-102"}) {
		t.Errorf("a reservation on S-102 sent %v, want [S-102]", r.w.lastWrite)
	}
	writes := r.w.stockWrites
	r.sidecar("reservation poll", r.eng.RefreshReservations)
	if r.w.stockWrites != writes {
		t.Errorf("a poll with no change sent %d writes", r.w.stockWrites-writes)
	}
}

// Two same-second deliveries of a parent whose stock two variations share,
// applied in one batch: the tie is read again and each SKU is decided once,
// with the reservations of both deducted once.
func TestSameSecondParentDeliveriesInOneBatch(t *testing.T) {
	t.Parallel()
	r := newStockRun(t, 4)
	r.w.setReservation("V-201", 1)
	r.w.setReservation("V-202", 2)
	r.sidecar("reservation poll", r.eng.RefreshReservations)
	r.w.now = r.w.now.Truncate(time.Second).Add(time.Minute)
	first := r.w.setStock(200, 9)
	r.w.now = r.w.now.Add(300 * time.Millisecond)
	second := r.w.setStock(200, 8)
	r.ingest(second[0])
	r.ingest(first[0])
	r.sidecar("inbox", r.processInbox)
	for _, sku := range []string{"V-201", "V-202"} {
		if got := r.w.stock[sku]; got.OnHand != 8 || got.Reserved != 3 || got.Available != 5 {
			t.Errorf("%s = on hand %d reserved %d available %d, want 8, 3, 5", sku, got.OnHand, got.Reserved, got.Available)
		}
	}
}
