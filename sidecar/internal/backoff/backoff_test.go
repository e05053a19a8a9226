package backoff

import (
	"context"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"
)

func TestExponentialDoublesUpToMax(t *testing.T) {
	for _, tt := range []struct {
		attempt int
		want    time.Duration
	}{
		{0, 100 * time.Millisecond},
		{1, 200 * time.Millisecond},
		{3, 800 * time.Millisecond},
		{5, 2 * time.Second},  // 3.2 s capped
		{70, 2 * time.Second}, // no overflow
	} {
		if got := Exponential(100*time.Millisecond, 2*time.Second, tt.attempt); got != tt.want {
			t.Errorf("attempt %d: %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

func fixed(frac float64) Rand {
	return func(n time.Duration) time.Duration { return time.Duration(float64(n) * frac) }
}

func TestJitterBounds(t *testing.T) {
	d := 10 * time.Second
	checks := []struct {
		name   string
		fn     func(time.Duration, Rand) time.Duration
		lo, hi time.Duration
	}{
		{"EqualJitter", EqualJitter, 5 * time.Second, 10 * time.Second},
		{"Around", Around, 8 * time.Second, 12 * time.Second},
		{"AtLeast", AtLeast, 10 * time.Second, 11 * time.Second},
	}
	for _, c := range checks {
		if got := c.fn(d, fixed(0)); got != c.lo {
			t.Errorf("%s with no randomness: %s, want %s", c.name, got, c.lo)
		}
		if got := c.fn(d, fixed(1)); got != c.hi {
			t.Errorf("%s at the top: %s, want %s", c.name, got, c.hi)
		}
		for range 200 {
			if got := c.fn(d, nil); got < c.lo || got > c.hi {
				t.Fatalf("%s: %s outside [%s, %s]", c.name, got, c.lo, c.hi)
			}
		}
		if got := c.fn(0, nil); got != 0 {
			t.Errorf("%s(0) = %s, want 0", c.name, got)
		}
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[EqualJitter(d, nil)] = true
	}
	if len(seen) < 2 {
		t.Fatal("EqualJitter with the real source never varies")
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 3 ", 3 * time.Second, true},
		{"0", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},           // already past
		{"Wednesday, 30-Dec-26 12:00:00 GMT", 30 * 24 * time.Hour, true}, // RFC 850, still an HTTP-date
		{"99999999999999", math.MaxInt64, true},
		{"", 0, false},
		{"-1", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
	} {
		got, ok := RetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %s, %v; want %s, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// fakeClock fires a timer only when the test advances it.
type fakeClock struct {
	asked chan time.Duration
	fire  chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{asked: make(chan time.Duration, 1), fire: make(chan time.Time)}
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.asked <- d
	return c.fire
}

func TestSleepWaitsOnTheInjectedClock(t *testing.T) {
	clock := newFakeClock()
	done := make(chan error, 1)
	go func() { done <- Sleep(context.Background(), 5*time.Minute, clock.After) }()
	if d := <-clock.asked; d != 5*time.Minute {
		t.Fatalf("clock asked for %s, want 5m", d)
	}
	select {
	case err := <-done:
		t.Fatalf("Sleep returned %v before the clock moved", err)
	default:
	}
	clock.fire <- time.Time{}
	if err := <-done; err != nil {
		t.Fatalf("Sleep = %v after the clock fired, want nil", err)
	}
}

func TestSleepEndsWithItsContext(t *testing.T) {
	clock := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Sleep(ctx, time.Hour, clock.After) }()
	<-clock.asked
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep = %v, want context.Canceled", err)
	}
	// The real clock too, and a zero wait does not wait at all.
	if err := Sleep(ctx, time.Hour, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("real clock: %v, want context.Canceled", err)
	}
	if err := Sleep(context.Background(), 0, clock.After); err != nil {
		t.Fatalf("zero wait: %v", err)
	}
	if len(clock.asked) != 0 {
		t.Fatal("a zero wait asked the clock")
	}
}

func TestSleepOnTheRealClockReturns(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond, nil); err != nil {
		t.Fatal(err)
	}
}
