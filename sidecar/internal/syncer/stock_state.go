package syncer

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// stockState is what the stock pushes share. Rounds (read marks → decide →
// send → record) run one at a time under mu, so a slower round can never
// send an older reading after a newer one was sent.
type stockState struct {
	mu sync.Mutex

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
