package testutil

import (
	"sync/atomic"
	"testing"
	"time"
)

func TestWithinReturnsOnceTheConditionHolds(t *testing.T) {
	var calls atomic.Int32
	if !Within(DefaultWait, func() bool { return calls.Add(1) >= 3 }) {
		t.Fatal("Within gave up on a condition that holds at the third poll")
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("cond polled %d times, want 3 (it held at the third)", n)
	}
}

func TestWithinGivesUpAtTheDeadline(t *testing.T) {
	start := time.Now()
	if Within(20*time.Millisecond, func() bool { return false }) {
		t.Fatal("Within reported a condition that never holds")
	}
	if e := time.Since(start); e < 20*time.Millisecond {
		t.Fatalf("gave up after %v, before the 20 ms deadline", e)
	}
}
