package mirror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// idleCheck is how often the dispatcher looks for due records without being
// woken: a safety net (records recorded by the poller wake it at once).
const idleCheck = 30 * time.Second

// dispatch hands due release orders to the workers, each to one worker at
// a time, and sleeps until the next one is due or something is recorded.
func (m *Mirror) dispatch(ctx context.Context, work chan<- string) {
	for {
		wait := idleCheck
		if m.cfg.Enabled() && m.woo() != nil {
			due, next, err := m.due(m.cfg.Now(), 4*m.cfg.Workers)
			if err != nil {
				m.log.Warn("mirror: read due release orders", "err", err)
			}
			handed := 0
			for _, r := range due {
				if !m.claim(r.ID) {
					continue
				}
				select {
				case work <- r.ID:
					handed++
				case <-ctx.Done():
					return
				}
			}
			if handed > 0 {
				continue // look again at once: more may be due
			}
			if !next.IsZero() {
				wait = min(wait, max(next.Sub(m.cfg.Now()), 0))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		case <-m.cfg.After(wait):
		}
	}
}

func (m *Mirror) claim(id string) bool {
	m.flightMu.Lock()
	defer m.flightMu.Unlock()
	if m.inFlight[id] {
		return false
	}
	m.inFlight[id] = true
	return true
}

func (m *Mirror) release(id string) {
	m.flightMu.Lock()
	delete(m.inFlight, id)
	m.flightMu.Unlock()
	notify(m.wake)
}

func (m *Mirror) worker(ctx context.Context, work <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-work:
			if err := m.process(ctx, id); err != nil && ctx.Err() == nil {
				m.log.Warn("mirror: release order not processed", "release_order_id", id, "err", err)
			}
			m.release(id)
		}
	}
}

// process moves one release order on by one step of its state machine:
// create (or find) its WooCommerce order, report the outcome, apply a
// cancellation or refund. Each step is recorded before and after the call
// to WooCommerce or OnCloudWine.
func (m *Mirror) process(ctx context.Context, id string) error {
	if !m.cfg.Enabled() {
		return nil
	}
	r, ok, err := m.load(id)
	if err != nil || !ok || r.Done() || r.NextTry.After(m.cfg.Now()) {
		return err
	}
	var ro oncloudwine.ReleaseOrder
	if err := json.Unmarshal(r.Order, &ro); err != nil {
		return fmt.Errorf("release order %s: stored order unreadable: %w", id, err)
	}
	wc := m.woo()
	if wc == nil {
		return nil // not connected: the dispatcher waits for a client
	}
	switch r.State {
	case store.MirrorPending, store.MirrorCreating, store.MirrorFailed:
		if r.WooID == 0 {
			return m.mirror(ctx, wc, r, ro)
		}
		r.State = store.MirrorSynced // a FAILED report of an order that exists
	}
	if r.State != store.MirrorSynced {
		return nil
	}
	if r.Reported != store.MirrorSynced {
		return m.report(ctx, r, oncloudwine.MirrorReport{Status: oncloudwine.MirrorSynced, WooOrderID: r.WooID})
	}
	if want := store.WooStatusFor(r.Status); r.WooStatus != want {
		return m.follow(ctx, wc, r, want)
	}
	return nil
}

// mirror makes sure the WooCommerce order exists: it looks it up first when
// a create may already have gone out, then creates it.
func (m *Mirror) mirror(ctx context.Context, wc Woo, r store.MirrorRecord, ro oncloudwine.ReleaseOrder) error {
	if !r.CreatingSince.IsZero() {
		found, err := m.lookup(ctx, wc, r)
		if err != nil {
			// Not knowing whether it exists, never create: try again later.
			return m.fail(ctx, r, fmt.Sprintf("Could not check whether WooCommerce already has this order: %s", wooText(err)), false)
		}
		if found != nil {
			m.log.Info("mirror: found the order an earlier attempt created", "release_order_id", r.ID, "woo_order_id", found.ID)
			return m.synced(ctx, r, found.ID)
		}
	}
	if ro.Status != "paid" {
		// Cancelled or refunded before it was mirrored: nothing to create.
		r.State, r.Error, r.NextTry, r.UpdatedAt = store.MirrorSkipped, "", time.Time{}, m.cfg.Now().UTC()
		return m.save(r)
	}
	for try := 1; ; try++ {
		in, err := m.orderInput(ctx, wc, ro)
		if err != nil {
			var bad *inputError
			if errors.As(err, &bad) {
				return m.fail(ctx, r, bad.msg, true)
			}
			return m.fail(ctx, r, wooText(err), true)
		}
		// Recorded before the call: from here on a retry looks the order up.
		now := m.cfg.Now().UTC()
		r.State, r.UpdatedAt = store.MirrorCreating, now
		if r.CreatingSince.IsZero() {
			r.CreatingSince = now
		}
		if err := m.save(r); err != nil {
			return err
		}
		o, err := wc.CreateOrder(ctx, in)
		if err == nil {
			return m.synced(ctx, r, o.ID)
		}
		if ctx.Err() != nil {
			return ctx.Err() // stays CREATING: the next start looks it up
		}
		if refusedCustomer(err) && try == 1 {
			// The remembered customer was deleted: find or create it again
			// (a 400 created nothing).
			m.forgetCustomer(ro)
			continue
		}
		if refusedProduct(err) {
			m.skus.forgetAll()
		}
		return m.fail(ctx, r, wooText(err), definite(err))
	}
}

// synced records the WooCommerce order (created processing: what the shop
// does with it later is the shop's) and reports it. The report goes out
// before the record is committed, so that one commit holds both: a crash in
// between leaves CREATING, whose retry finds the order and reports the same
// SYNCED again (accepted as it is).
func (m *Mirror) synced(ctx context.Context, r store.MirrorRecord, wooID int64) error {
	r.State, r.WooID, r.WooStatus, r.Error, r.NextTry, r.UpdatedAt = store.MirrorSynced, wooID, store.WooStatusFor("paid"), "", time.Time{}, m.cfg.Now().UTC()
	r = m.reported(ctx, r, oncloudwine.MirrorReport{Status: oncloudwine.MirrorSynced, WooOrderID: wooID})
	return m.save(r, note{"info", fmt.Sprintf("Release order %s mirrored as WooCommerce order #%d", r.Number, wooID)})
}

// fail records a failed try, retried with backoff: FAILED (reported to
// OnCloudWine), or still CREATING when a create went out and its outcome is
// unknown (the retry looks the order up first).
func (m *Mirror) fail(ctx context.Context, r store.MirrorRecord, msg string, definite bool) error {
	r.Error, r.UpdatedAt, r.Attempts = msg, m.cfg.Now().UTC(), r.Attempts+1
	if definite || r.State != store.MirrorCreating {
		r.State = store.MirrorFailed
	}
	r.NextTry = r.UpdatedAt.Add(m.backoff(r.Attempts))
	if r.State == store.MirrorFailed && r.Reported != store.MirrorFailed {
		r = m.reported(ctx, r, oncloudwine.MirrorReport{Status: oncloudwine.MirrorFailed, Error: msg})
	}
	return m.save(r, note{"error",
		fmt.Sprintf("Release order %s not mirrored into WooCommerce yet: %s (retried automatically)", r.Number, msg)})
}

// report tells OnCloudWine the record's outcome and records that it did.
func (m *Mirror) report(ctx context.Context, r store.MirrorRecord, rep oncloudwine.MirrorReport) error {
	return m.save(m.reported(ctx, r, rep))
}

// reported is r after reporting rep to OnCloudWine: Reported set when it
// was accepted, else a retry scheduled.
func (m *Mirror) reported(ctx context.Context, r store.MirrorRecord, rep oncloudwine.MirrorReport) store.MirrorRecord {
	err := m.cfg.OCW.ReportMirror(ctx, r.ID, rep)
	var apiErr *oncloudwine.Error
	if err != nil && rep.Status == oncloudwine.MirrorFailed && errors.As(err, &apiErr) && apiErr.Code == "already_mirrored" {
		err = nil // OnCloudWine already holds SYNCED: nothing to correct
	}
	if err != nil {
		if ctx.Err() == nil {
			m.log.Warn("mirror: report to OnCloudWine failed; retried", "release_order_id", r.ID, "status", rep.Status, "err", err)
		}
		if r.NextTry.IsZero() || !r.NextTry.After(m.cfg.Now()) {
			r.NextTry = m.cfg.Now().UTC().Add(m.backoff(1))
		}
		return r
	}
	r.Reported = rep.Status
	return r
}

// follow moves a mirrored order to the status its release order has now
// (cancelled, refunded) and records it, so it happens once.
func (m *Mirror) follow(ctx context.Context, wc Woo, r store.MirrorRecord, want string) error {
	_, err := wc.SetOrderStatus(ctx, r.WooID, want)
	if err != nil {
		r.Error, r.NextTry = fmt.Sprintf("Could not set WooCommerce order #%d to %s: %s", r.WooID, want, wooText(err)), m.cfg.Now().UTC().Add(m.backoff(r.Attempts+1))
		r.Attempts++
		return m.save(r, note{"error",
			fmt.Sprintf("Release order %s is %s in OnCloudWine: %s (retried automatically)", r.Number, r.Status, r.Error)})
	}
	r.WooStatus, r.Error, r.NextTry, r.UpdatedAt = want, "", time.Time{}, m.cfg.Now().UTC()
	return m.save(r, note{"info",
		fmt.Sprintf("Release order %s was %s in OnCloudWine: WooCommerce order #%d is now %s", r.Number, r.Status, r.WooID, want)})
}
