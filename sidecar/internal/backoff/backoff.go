// Package backoff is the one place that times retries: exponential delays
// with jitter, the Retry-After header (delay-seconds or an HTTP-date), and a
// sleep that ends when its context does, on a clock tests can replace.
//
// The WooCommerce client (internal/woo), the OnCloudWine client
// (internal/oncloudwine) and the sync engine (internal/syncer) all use it.
package backoff

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Exponential is min·2^attempt, at most max: attempt 0 waits min.
func Exponential(min, max time.Duration, attempt int) time.Duration {
	d := min
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	return minDuration(d, max)
}

func minDuration(a, b time.Duration) time.Duration {
	if a < b {
		return a
	}
	return b
}

// Rand returns a random duration in [0, n]. Uniform is the real one; tests
// pass a fixed one.
type Rand func(n time.Duration) time.Duration

// Uniform returns a uniformly random duration in [0, n] (0 when n ≤ 0).
func Uniform(n time.Duration) time.Duration {
	if n <= 0 {
		return 0
	}
	return rand.N(n + 1)
}

func orUniform(r Rand) Rand {
	if r == nil {
		return Uniform
	}
	return r
}

// EqualJitter keeps half of d and draws the other half at random: a wait
// in [d/2, d], so many clients that failed together do not retry in step.
// A nil r is Uniform.
func EqualJitter(d time.Duration, r Rand) time.Duration {
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + orUniform(r)(d-half)
}

// Around is d give or take a fifth: a wait in [d−d/5, d+d/5]. A nil r is
// Uniform.
func Around(d time.Duration, r Rand) time.Duration {
	if d <= 0 {
		return 0
	}
	fifth := d / 5
	return d - fifth + orUniform(r)(2*fifth)
}

// AtLeast is d plus up to a tenth: a wait in [d, d+d/10], for a delay a
// server asked for that concurrent callers should not all end at once. A nil
// r is Uniform.
func AtLeast(d time.Duration, r Rand) time.Duration {
	if d <= 0 {
		return 0
	}
	return d + orUniform(r)(d/10)
}

// RetryAfter reads a Retry-After header value (RFC 9110 §10.2.3):
// delay-seconds or an HTTP-date, which counts from now (a date already
// past is 0). It reports false for an empty, negative or unreadable value.
// A delay too long for a time.Duration is the longest one.
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// After returns a channel that receives once d has passed on some clock;
// time.After is the real one, tests pass a fake they advance.
type After func(d time.Duration) <-chan time.Time

// Sleep waits d on after's clock (nil: the real clock), or until ctx ends,
// and then returns ctx.Err().
func Sleep(ctx context.Context, d time.Duration, after After) error {
	if d <= 0 {
		return ctx.Err()
	}
	if after == nil {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		}
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-after(d):
		return nil
	}
}
