package ocwsim

import (
	"fmt"
	"time"
)

// FaultKind names an injected failure.
type FaultKind string

// Fault kinds.
const (
	// FaultDown answers 503 "unavailable" (with Retry-After when set).
	FaultDown FaultKind = "down"
	// FaultRateLimit answers 429 "rate_limited" with Retry-After (default 1s).
	FaultRateLimit FaultKind = "rate_limit"
	// FaultSlow waits Delay before handling the request normally.
	FaultSlow FaultKind = "slow"
	// FaultErrorAfterEffect handles the request normally (the change is
	// applied and its answer stored under the Idempotency-Key), then answers
	// 500 "internal_error": the case that makes idempotency matter.
	FaultErrorAfterEffect FaultKind = "error_after_effect"
)

// Fault is a failure to inject into API routes (never into /_sim/).
// It lasts for the next Requests matching requests, or For (from Now), or
// both (it ends when either runs out); with neither it hits one request.
type Fault struct {
	Kind       FaultKind
	Path       string        // route path as in the doc, e.g. "/v1/woocommerce/variants:upsert"; "" = every route
	Requests   int           // how many requests it hits
	For        time.Duration // how long it lasts
	RetryAfter time.Duration // Retry-After sent with down / rate_limit (whole seconds, rounded up)
	Delay      time.Duration // wait of a slow fault
}

type activeFault struct {
	Fault
	left  int       // requests left; -1 = unbounded
	until time.Time // zero = unbounded
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultDown, FaultRateLimit, FaultSlow, FaultErrorAfterEffect:
	default:
		return fmt.Errorf("unknown fault kind %q (down, rate_limit, slow, error_after_effect)", f.Kind)
	}
	if f.Requests < 0 || f.For < 0 || f.RetryAfter < 0 || f.Delay < 0 {
		return fmt.Errorf("fault durations and counts must not be negative")
	}
	if f.Kind == FaultSlow && f.Delay == 0 {
		return fmt.Errorf("a slow fault needs a delay")
	}
	return nil
}

func (f Fault) activate(now time.Time) *activeFault {
	a := &activeFault{Fault: f, left: -1}
	if f.Requests > 0 {
		a.left = f.Requests
	}
	if f.For > 0 {
		a.until = now.Add(f.For)
	}
	if f.Requests == 0 && f.For == 0 {
		a.left = 1
	}
	if a.Kind == FaultRateLimit && a.RetryAfter == 0 {
		a.RetryAfter = time.Second
	}
	return a
}

// takeFault returns the first live fault for path and uses one of its
// requests; expired faults are dropped. Callers hold s.mu.
func (s *Sim) takeFault(path string, now time.Time) *Fault {
	live := s.faults[:0]
	var hit *Fault
	for _, a := range s.faults {
		if a.left == 0 || (!a.until.IsZero() && !now.Before(a.until)) {
			continue
		}
		if hit == nil && (a.Path == "" || a.Path == path) {
			f := a.Fault
			hit = &f
			if a.left > 0 {
				a.left--
			}
			if a.left == 0 {
				continue
			}
		}
		live = append(live, a)
	}
	clear(s.faults[len(live):])
	s.faults = live
	return hit
}

func retryAfterSeconds(d time.Duration) string {
	secs := int64((d + time.Second - 1) / time.Second)
	return fmt.Sprintf("%d", secs)
}
