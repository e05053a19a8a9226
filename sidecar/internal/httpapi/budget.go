package httpapi

import "sync/atomic"

// DefaultBodyBudget bounds the webhook body bytes being read at once (16 MiB:
// three 5 MiB deliveries, or about 7,000 ordinary 2 KiB ones). A delivery that
// would go over it is answered 503 with Retry-After before its body is read,
// so a flood of large bodies cannot grow the process without bound.
const DefaultBodyBudget = 16 << 20

// bodyBudget counts reserved body bytes; reservations never block.
type bodyBudget struct {
	limit int64
	used  atomic.Int64
}

func newBodyBudget(limit int64) *bodyBudget {
	if limit <= 0 {
		limit = DefaultBodyBudget
	}
	return &bodyBudget{limit: limit}
}

// tryReserve reserves n bytes, or reports false when that would pass the limit.
func (b *bodyBudget) tryReserve(n int64) bool {
	for {
		used := b.used.Load()
		if used+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			return true
		}
	}
}

func (b *bodyBudget) release(n int64) { b.used.Add(-n) }
