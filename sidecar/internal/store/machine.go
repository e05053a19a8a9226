package store

import (
	"errors"
	"syscall"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"
)

// IsMachineError reports an error of the machine itself — the store closed
// or read-only, the disk full or failing — as opposed to one caused by what
// was being written. Only such an error may stop the inbox: retrying the
// same write elsewhere would fail the same way.
func IsMachineError(err error) bool {
	if err == nil {
		return false
	}
	for _, target := range []error{ErrClosed, bolterrors.ErrDatabaseNotOpen, bolterrors.ErrDatabaseReadOnly,
		syscall.ENOSPC, syscall.EDQUOT, syscall.EIO, syscall.EROFS} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// InboxState says whether the inbox consumer is working through deliveries.
type InboxState struct {
	// State is "running" (nothing holds it), "waiting" (WooCommerce could
	// not be asked what a delivery needs; it retries by itself) or
	// "stopped" (the machine failed: disk full, store closed).
	State string     `json:"state"`
	Error string     `json:"error,omitempty"`
	Fix   string     `json:"fix,omitempty"`
	Since *time.Time `json:"since,omitempty"`
}

// Inbox states.
const (
	InboxRunning = "running"
	InboxWaiting = "waiting"
	InboxStopped = "stopped"
)

// ReconcileState is the modified_after catch-up as GET /v1/status shows it.
type ReconcileState struct {
	Running bool `json:"running"`
	// StartedAt and Products describe the run in progress (Running) or the
	// last one; Via is "plugin" (the catalog route) or "rest".
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	Since      string     `json:"since,omitempty"`
	Products   int        `json:"products"`
	Via        string     `json:"via,omitempty"`
	Error      string     `json:"error,omitempty"`
}

// SyncStatus is the engine's live state, added to GET /v1/status.
type SyncStatus struct {
	Inbox     InboxState     `json:"inbox"`
	Reconcile ReconcileState `json:"reconcile"`
}
