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

// listedStatuses is the status filter of every listing: paid release orders
// to mirror, and cancellations and refunds of ones already mirrored.
const listedStatuses = "paid,cancelled,refunded"

// ErrMirrorOff is returned by Backfill while mirroring is switched off.
var ErrMirrorOff = errors.New("mirroring release orders is off: set OCW_MIRROR_RELEASE_ORDERS=true (or mirror_release_orders in the settings) first")

// settingsCheck is how often the poll loop looks whether mirroring was
// switched on or off (the setting is read live): switched on, it polls at
// once instead of a PollInterval later.
const settingsCheck = 2 * time.Second

// pollLoop polls every PollInterval (or when asked, or at once when
// mirroring is switched on) while mirroring is on. While it is off the
// cursor is dropped, so it starts again at the moment mirroring is switched
// back on.
func (m *Mirror) pollLoop(ctx context.Context) {
	var lastPoll time.Time
	wasOn, asked := false, true
	for {
		on := m.cfg.Enabled()
		switch {
		case on && (asked || !wasOn || m.cfg.Now().Sub(lastPoll) >= m.cfg.PollInterval):
			lastPoll = m.cfg.Now()
			if err := m.pollOnce(ctx); err != nil && ctx.Err() == nil {
				m.log.Warn("mirror: poll failed; next poll retries", "err", err)
			}
		case !on && wasOn || !on && asked:
			if err := m.dropCursor(); err != nil {
				m.log.Warn("mirror: drop cursor", "err", err)
			}
		}
		wasOn, asked = on, false
		select {
		case <-ctx.Done():
			return
		case <-m.poll:
			asked = true
		case <-m.cfg.After(min(m.cfg.PollInterval, settingsCheck)):
		}
	}
}

func (m *Mirror) dropCursor() error {
	v, err := m.cursorValue()
	if err != nil || v == "" {
		return err
	}
	m.log.Info("mirror: switched off; the release-order cursor starts again when it is switched on")
	return m.setCursorValue("")
}

// pollOnce follows the release-order listing from the stored cursor to its
// end, recording each page and the cursor after it in one commit.
func (m *Mirror) pollOnce(ctx context.Context) error {
	cur, err := m.cursor()
	if err != nil {
		return err
	}
	if cur == nil {
		// Mirroring was just switched on: only what is paid from now on.
		cur = &oncloudwine.ReleaseOrderCursor{UpdatedAfter: m.cfg.Now().UTC()}
		if err := m.saveCursor(*cur); err != nil {
			return err
		}
		m.activity("info", "Mirroring release orders is on: paid release orders from now on become WooCommerce orders (earlier ones: ocw-sidecar mirror backfill --since DATE)")
	}
	for {
		q := cur.Query(m.cfg.PageLimit)
		q.Status = listedStatuses
		page, err := m.cfg.OCW.ReleaseOrders(ctx, q)
		if err != nil {
			return fmt.Errorf("list release orders: %w", err)
		}
		n := len(page.ReleaseOrders)
		if n == 0 {
			return nil // nothing new: the cursor stays (no commit)
		}
		last := page.ReleaseOrders[n-1]
		next := oncloudwine.ReleaseOrderCursor{UpdatedAfter: last.UpdatedAt, AfterID: last.ID}
		if _, err := m.record(page.ReleaseOrders, &next); err != nil {
			return err
		}
		cur = &next
		if page.Next == nil {
			return nil
		}
	}
}

// Backfill brings in the release orders updated since `since` (paid ones
// are mirrored; cancellations apply) without moving the poll cursor. It
// answers how many were new to the sidecar.
func (m *Mirror) Backfill(ctx context.Context, since time.Time) (int, error) {
	if !m.cfg.Enabled() {
		return 0, ErrMirrorOff
	}
	cur := oncloudwine.ReleaseOrderCursor{UpdatedAfter: since.UTC()}
	total := 0
	for {
		q := cur.Query(m.cfg.PageLimit)
		q.Status = listedStatuses
		page, err := m.cfg.OCW.ReleaseOrders(ctx, q)
		if err != nil {
			return total, fmt.Errorf("mirror backfill: list release orders: %w", err)
		}
		n, err := m.record(page.ReleaseOrders, nil)
		total += n
		if err != nil {
			return total, fmt.Errorf("mirror backfill: %w", err)
		}
		if page.Next == nil || len(page.ReleaseOrders) == 0 {
			break
		}
		cur = *page.Next
	}
	m.activity("info", fmt.Sprintf("Release-order backfill since %s: %d new release orders to mirror", since.UTC().Format(time.RFC3339), total))
	return total, nil
}

func (m *Mirror) cursor() (*oncloudwine.ReleaseOrderCursor, error) {
	v, err := m.cursorValue()
	if err != nil || v == "" {
		return nil, err
	}
	var c oncloudwine.ReleaseOrderCursor
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return nil, fmt.Errorf("release-order cursor %q: %w", v, err)
	}
	return &c, nil
}

func (m *Mirror) saveCursor(c oncloudwine.ReleaseOrderCursor) error {
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return m.setCursorValue(string(v))
}

// record merges listed release orders into their records (and moves the
// cursor when one is given) in one commit, then wakes the workers. It
// answers how many were new.
func (m *Mirror) record(list []oncloudwine.ReleaseOrder, cursor *oncloudwine.ReleaseOrderCursor) (int, error) {
	if len(list) == 0 && cursor == nil {
		return 0, nil
	}
	ids := make([]string, len(list))
	raws := make([]json.RawMessage, len(list))
	for i, ro := range list {
		raw, err := json.Marshal(ro)
		if err != nil {
			return 0, err
		}
		ids[i], raws[i] = ro.ID, raw
	}
	now := m.cfg.Now().UTC()
	fresh := 0
	err := m.cfg.Store.Update(func(tx *store.Tx) error {
		fresh = 0 // bbolt may not retry, but count per attempt anyway
		for i, id := range ids {
			old, ok, err := tx.Mirror(id)
			if err != nil {
				return err
			}
			if !ok {
				fresh++
			}
			if err := tx.PutMirror(merge(old, ok, list[i], raws[i], now)); err != nil {
				return err
			}
		}
		if cursor == nil {
			return nil
		}
		v, err := json.Marshal(cursor)
		if err != nil {
			return err
		}
		return tx.SetCursor(store.MirrorCursorName, string(v))
	})
	if err != nil {
		return 0, fmt.Errorf("record release orders: %w", err)
	}
	notify(m.wake)
	return fresh, nil
}

// merge is the record after OnCloudWine listed ro: a new paid order is
// PENDING; one cancelled or refunded before it was ever mirrored is
// SKIPPED (unless a create may have gone out: then it is looked up); a
// mirrored one keeps its state and is due again when its status changed.
func merge(old store.MirrorRecord, ok bool, ro oncloudwine.ReleaseOrder, raw json.RawMessage, now time.Time) store.MirrorRecord {
	r := old
	if !ok {
		r = store.MirrorRecord{ID: ro.ID, State: store.MirrorPending}
	}
	changed := r.Status != ro.Status
	r.Number, r.Order, r.Status, r.UpdatedAt = ro.Number, raw, ro.Status, now
	paid := ro.Status == "paid"
	switch {
	case !ok && !paid:
		r.State = store.MirrorSkipped
	case r.State == store.MirrorSkipped && paid:
		r.State, r.Attempts, r.Error = store.MirrorPending, 0, ""
	}
	if changed {
		r.NextTry = time.Time{}
	}
	return r
}
