// Package testutil holds what the sidecar's tests share: waiting for a
// condition with a deadline instead of sleeping a fixed time.
package testutil

import (
	"testing"
	"time"
)

// DefaultWait is how long Eventually waits: far longer than any condition
// takes on a loaded machine, short enough to fail a hung test.
const DefaultWait = 30 * time.Second

// Within polls cond until it holds or d has passed, and reports whether it
// held. Polling starts at once and backs off from 1 ms to 50 ms.
func Within(d time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	wait := time.Millisecond
	for {
		if cond() {
			return true
		}
		tick := time.NewTimer(wait)
		select {
		case <-deadline.C:
			tick.Stop()
			return cond()
		case <-tick.C:
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// Eventually fails t when cond does not hold within DefaultWait; what
// names the condition in the failure.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !Within(DefaultWait, cond) {
		t.Fatalf("timed out after %v waiting for %s", DefaultWait, what)
	}
}
