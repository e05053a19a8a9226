package syncer

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// stockState is what the stock pushes share. Rounds (read marks → decide →
// send → record) run one at a time under mu, so a slower round can never
// send an older reading after a newer one was sent.
type stockState struct {
	mu sync.Mutex

	loaded  bool
	holder  map[string]int64   // SKU → holder of its stock
	members map[int64][]string // holder → SKUs sharing its stock

	reserved     map[string]int // OnCloudWine's reservations last read
	haveReserved bool

	lastObserved time.Time // observed_at handed out last (strictly increasing)
}

// observedAt is the observed_at of a round: now, and always after the
// previous round's, so OnCloudWine keeps the newest when two arrive out of
// order.
func (s *stockState) observedAt(now time.Time) time.Time {
	now = now.UTC()
	if !now.After(s.lastObserved) {
		now = s.lastObserved.Add(time.Microsecond)
	}
	s.lastObserved = now
	return now
}

// loadStockIndex builds the SKU → holder index from the levels recorded.
func (e *Engine) loadStockIndex() error {
	st := &e.stock
	if st.loaded {
		return nil
	}
	st.holder, st.members = map[string]int64{}, map[int64][]string{}
	err := e.store.EachStockLevel(func(l store.StockLevel) error {
		st.setHolder(l.SKU, l.Holder)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read stock levels: %w", err)
	}
	st.loaded = true
	return nil
}

// setHolder records that sku's stock is holder's; it returns the previous
// holder (0 when none or the same).
func (s *stockState) setHolder(sku string, holder int64) int64 {
	old, ok := s.holder[sku]
	if ok && old == holder {
		return 0
	}
	if ok {
		s.members[old] = slices.DeleteFunc(s.members[old], func(m string) bool { return m == sku })
		if len(s.members[old]) == 0 {
			delete(s.members, old)
		}
	}
	s.holder[sku] = holder
	s.members[holder] = append(s.members[holder], sku)
	return old
}

// groupReserved is what OnCloudWine reserves on every SKU sharing holder's
// stock.
func (s *stockState) groupReserved(holder int64, res map[string]int) int {
	n := 0
	for _, sku := range s.members[holder] {
		n += res[sku]
	}
	return n
}

// reservationsInForce returns the reservations in force, reading (and
// applying) them when none were read since the engine started. Callers hold
// e.stock.mu.
func (e *Engine) reservationsInForce(ctx context.Context, dst stockSink) (map[string]int, error) {
	st := &e.stock
	if st.haveReserved {
		return st.reserved, nil
	}
	res, err := readReservations(ctx, dst)
	if err != nil {
		return nil, err
	}
	if err := e.applyReservations(ctx, dst, res); err != nil {
		return nil, err
	}
	return res, nil
}

func readReservations(ctx context.Context, dst stockSink) (map[string]int, error) {
	list, err := dst.Reservations(ctx)
	if err != nil {
		return nil, fmt.Errorf("read OnCloudWine reservations: %w", err)
	}
	res := make(map[string]int, len(list))
	for _, r := range list {
		res[r.SKU] += r.Quantity
	}
	return res, nil
}
