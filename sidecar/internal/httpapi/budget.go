package httpapi

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultBodyBudget bounds the webhook body bytes being read at once (16 MiB:
// three 5 MiB deliveries, or about 7,000 ordinary 2 KiB ones). A delivery that
// would go over it is answered 503 with Retry-After before its body is read,
// so a flood of large bodies cannot grow the process without bound.
const DefaultBodyBudget = 16 << 20

// A burst that held at least burstBytes of bodies at once gives the memory
// back to the system when it is over (at most once per burstGap): with GOGC
// at 400 and no further allocation the heap would otherwise stay grown.
const (
	burstBytes = 8 << 20
	burstGap   = 10 * time.Second
)

// bodyBudget counts reserved body bytes; reservations never block.
type bodyBudget struct {
	limit int64
	used  atomic.Int64

	mu       sync.Mutex
	high     int64     // most bytes held since the last release to the system
	lastFree time.Time // when memory was last given back
	free     func()    // debug.FreeOSMemory; tests count calls instead
}

func newBodyBudget(limit int64) *bodyBudget {
	if limit <= 0 {
		limit = DefaultBodyBudget
	}
	return &bodyBudget{limit: limit, free: debug.FreeOSMemory}
}

// tryReserve reserves n bytes, or reports false when that would pass the limit.
func (b *bodyBudget) tryReserve(n int64) bool {
	for {
		used := b.used.Load()
		if used+n > b.limit {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			if used+n >= burstBytes {
				b.mu.Lock()
				b.high = max(b.high, used+n)
				b.mu.Unlock()
			}
			return true
		}
	}
}

// release returns n bytes; the last release of a large burst frees memory.
func (b *bodyBudget) release(n int64) {
	if b.used.Add(-n) != 0 {
		return
	}
	b.mu.Lock()
	due := b.high >= burstBytes && time.Since(b.lastFree) >= burstGap
	if due {
		b.high, b.lastFree = 0, time.Now()
	}
	b.mu.Unlock()
	if due {
		go b.free()
	}
}
