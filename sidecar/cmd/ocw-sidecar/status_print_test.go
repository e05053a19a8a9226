package main

import (
	"strings"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

func TestPrintStatusShowsLastAttemptAndEngine(t *testing.T) {
	at := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	var b strings.Builder
	printStatus(&b, store.Status{
		Connection: store.Connection{Status: store.ConnActive, StoreURL: "https://shop.example", WCVersion: "10.0.2",
			LastAttempt: &store.ConnAttempt{At: at, StoreURL: "https://typo.example", Code: "woo_unreachable", Error: "No answer.", Fix: "Check the store URL."}},
		Sync: &store.SyncStatus{Inbox: store.InboxState{State: store.InboxStopped, Error: "store closed", Fix: "Free disk space."},
			Reconcile: store.ReconcileState{Running: true, StartedAt: &at, Products: 1200, Via: "plugin"}},
	}, "test")
	out := b.String()
	for _, want := range []string{"ACTIVE", "Last attempt", "https://typo.example failed (nothing changed): No answer. — Check the store URL.",
		"stopped: store closed — Free disk space.", "running since 2026-11-30T06:00:00Z, 1200 product(s) read (via plugin)"} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
}
