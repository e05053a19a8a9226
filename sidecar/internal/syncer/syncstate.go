package syncer

import (
	"errors"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// syncState is what GET /v1/status shows of the running engine.
type syncState struct {
	inbox     store.InboxState
	reconcile store.ReconcileState
}

// SyncStatus is the engine's live state for GET /v1/status and /readyz.
func (e *Engine) SyncStatus() store.SyncStatus {
	e.stateMu.Lock()
	defer e.stateMu.Unlock()
	st := store.SyncStatus{Inbox: e.state.inbox, Reconcile: e.state.reconcile}
	if st.Inbox.State == "" {
		st.Inbox.State = store.InboxRunning
	}
	return st
}

// noteInboxHeld records why the inbox did not move: the machine's failure
// stops it (and says so), anything else makes it wait for a retry.
func (e *Engine) noteInboxHeld(err error) {
	state, fix := store.InboxWaiting, "Nothing to do: the sidecar retries by itself; deliveries wait in the inbox meanwhile."
	if store.IsMachineError(err) {
		state, fix = store.InboxStopped, "Free disk space on the sidecar's data directory (or fix its permissions) and check the sidecar's log; it retries by itself."
	} else if errors.Is(err, errNotConnected) || errors.Is(err, ErrWooNotConnected) {
		fix = "Deliveries wait in the inbox until the store is connected: the sidecar re-tests a failed connection by itself (connection.next_check_at); or connect it from the plugin's settings."
	}
	e.stateMu.Lock()
	defer e.stateMu.Unlock()
	if e.state.inbox.State != state {
		now := e.now().UTC()
		e.state.inbox.Since = &now
		if state == store.InboxStopped {
			e.activity("error", "Webhook processing stopped: "+err.Error()+". "+fix)
		}
	}
	e.state.inbox.State, e.state.inbox.Error, e.state.inbox.Fix = state, err.Error(), fix
}

// noteInboxRunning records a pass of the inbox that went through.
func (e *Engine) noteInboxRunning() {
	e.stateMu.Lock()
	defer e.stateMu.Unlock()
	if e.state.inbox.State == store.InboxStopped {
		e.activity("info", "Webhook processing resumed.")
	}
	e.state.inbox = store.InboxState{State: store.InboxRunning}
}

// setReconcile updates the reconcile's state under the lock.
func (e *Engine) setReconcile(fn func(r *store.ReconcileState)) {
	e.stateMu.Lock()
	defer e.stateMu.Unlock()
	fn(&e.state.reconcile)
}

func timePtr(t time.Time) *time.Time { t = t.UTC(); return &t }
