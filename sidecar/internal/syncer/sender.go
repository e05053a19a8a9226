package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/backoff"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// batchMax is the most variants or SKUs one OnCloudWine request carries.
const batchMax = oncloudwine.MaxBatch

// sendStats counts what the sender delivered (for activity lines and tests).
type sendStats struct {
	Upserted, Created, Archived, Failed int
}

// sendingBatch is a batch recorded before it is sent: a crash between
// OnCloudWine applying it and the outcome being recorded leaves the record,
// and the batch is sent again exactly as it was (the same body, so the same
// Idempotency-Key: OnCloudWine answers from its record instead of applying
// the same variants a second time, which a batch composed anew after the
// restart, with another key, would do).
type sendingBatch struct {
	ID      uint64        `json:"id"`
	Entries []outboxEntry `json:"entries"`
}

// takeBatch returns a batch a crash interrupted, else picks up to batchMax
// outbox entries of one operation that no other sender has in flight and
// records them as being sent; either way it marks them in flight.
func (e *Engine) takeBatch() (sendingBatch, error) {
	e.flightMu.Lock()
	defer e.flightMu.Unlock()
	b, found, err := e.interruptedBatch()
	if err != nil || found {
		e.markInFlight(b.Entries)
		return b, err
	}
	var ups, arcs []outboxEntry
	err = e.store.View(func(tx *store.Tx) error {
		return tx.ScanOutbox(func(sku string, raw []byte) (bool, error) {
			if e.inFlight[sku] {
				return true, nil
			}
			var ent outboxEntry
			if err := json.Unmarshal(raw, &ent); err != nil {
				return false, fmt.Errorf("outbox %s: %w", sku, err)
			}
			if ent.Op == opArchive {
				if len(arcs) < batchMax {
					arcs = append(arcs, ent)
				}
				return true, nil
			}
			ups = append(ups, ent)
			return len(ups) < batchMax, nil
		})
	})
	if err != nil {
		return b, fmt.Errorf("syncer: read outbox: %w", err)
	}
	b.Entries = ups
	if len(b.Entries) == 0 {
		b.Entries = arcs
	}
	if len(b.Entries) == 0 {
		return b, nil
	}
	err = e.store.Update(func(tx *store.Tx) error {
		id, err := tx.NextOutboxVersion()
		if err != nil {
			return err
		}
		b.ID = id
		raw, err := json.Marshal(b)
		if err != nil {
			return err
		}
		return tx.PutSendingBatch(id, raw)
	})
	if err != nil {
		return sendingBatch{}, fmt.Errorf("syncer: record the batch being sent: %w", err)
	}
	e.markInFlight(b.Entries)
	return b, nil
}

// interruptedBatch finds a batch recorded as being sent that no sender has
// in flight now: one a crash (or a failed send) left. Callers hold flightMu.
func (e *Engine) interruptedBatch() (sendingBatch, bool, error) {
	var (
		b     sendingBatch
		found bool
	)
	err := e.store.View(func(tx *store.Tx) error {
		return tx.ScanSendingBatches(func(id uint64, raw []byte) (bool, error) {
			var cand sendingBatch
			if err := json.Unmarshal(raw, &cand); err != nil {
				return false, fmt.Errorf("batch being sent %d: %w", id, err)
			}
			for _, ent := range cand.Entries {
				if e.inFlight[ent.SKU] {
					return true, nil
				}
			}
			b, found = cand, len(cand.Entries) > 0
			return !found, nil
		})
	})
	if err != nil {
		return sendingBatch{}, false, fmt.Errorf("syncer: read the batches being sent: %w", err)
	}
	return b, found, nil
}

func (e *Engine) markInFlight(batch []outboxEntry) {
	for _, ent := range batch {
		e.inFlight[ent.SKU] = true
	}
}

func (e *Engine) release(batch []outboxEntry) {
	e.flightMu.Lock()
	defer e.flightMu.Unlock()
	for _, ent := range batch {
		delete(e.inFlight, ent.SKU)
	}
}

// sendOnce sends one batch from the outbox and records the outcome. It
// returns how many entries it handled (0: nothing to send) and an error
// when OnCloudWine could not be reached (the entries stay queued).
func (e *Engine) sendOnce(ctx context.Context) (int, error) {
	b, err := e.takeBatch()
	if err != nil || len(b.Entries) == 0 {
		return 0, err
	}
	batch := b.Entries
	defer e.release(batch)
	if batch[0].Op == opArchive {
		err = e.sendArchives(ctx, batch, b.ID)
	} else {
		err = e.sendUpserts(ctx, batch, b.ID)
	}
	if err != nil {
		return 0, err
	}
	e.sent.Notify()
	return len(batch), nil
}

// permanent reports whether OnCloudWine refused the content itself (a 4xx
// other than 401 and 429): sending it again would not help.
func permanent(err error) bool {
	var oe *oncloudwine.Error
	if !errors.As(err, &oe) {
		return false
	}
	return !oe.Temporary() && oe.Status != http.StatusUnauthorized && oe.Status != http.StatusForbidden
}

// sendUpserts sends batch; the commit of its outcome that completes the
// recorded batch done (0: none) also forgets that record.
func (e *Engine) sendUpserts(ctx context.Context, batch []outboxEntry, done uint64) error {
	variants := make([]oncloudwine.Variant, len(batch))
	for i, ent := range batch {
		variants[i] = *ent.Variant
	}
	results, err := e.ocw.UpsertVariants(ctx, variants)
	switch {
	case err == nil:
		created := 0
		for _, r := range results {
			if r.Created {
				created++
			}
		}
		return e.commitSent(batch, nil, created, done)
	case permanent(err) && len(batch) > 1:
		// Find the variant OnCloudWine refuses: halves, then singles (the
		// same halves again after a crash, so the same keys).
		half := len(batch) / 2
		if err := e.sendUpserts(ctx, batch[:half], 0); err != nil {
			return err
		}
		return e.sendUpserts(ctx, batch[half:], done)
	case permanent(err):
		return e.commitSent(batch, err, 0, done)
	}
	return fmt.Errorf("syncer: upsert %d variants: %w", len(batch), err)
}

func (e *Engine) sendArchives(ctx context.Context, batch []outboxEntry, done uint64) error {
	skus := make([]string, len(batch))
	for i, ent := range batch {
		skus[i] = ent.SKU
	}
	err := e.ocw.ArchiveVariants(ctx, skus)
	switch {
	case err == nil:
		return e.commitSent(batch, nil, 0, done)
	case permanent(err) && len(batch) > 1:
		half := len(batch) / 2
		if err := e.sendArchives(ctx, batch[:half], 0); err != nil {
			return err
		}
		return e.sendArchives(ctx, batch[half:], done)
	case permanent(err):
		return e.commitSent(batch, err, 0, done)
	}
	return fmt.Errorf("syncer: archive %d SKUs: %w", len(batch), err)
}

// commitSent records what OnCloudWine accepted (refused == nil) or refused:
// the sent hash, the item status, and the outbox entry removed unless a
// newer change replaced it meanwhile; done (when not 0) is the record of the
// batch being sent that this outcome completes.
func (e *Engine) commitSent(batch []outboxEntry, refused error, created int, done uint64) error {
	now := e.now().UTC()
	err := e.store.Update(func(tx *store.Tx) error {
		t := newTxn(tx)
		if done != 0 {
			if err := tx.DeleteSendingBatch(done); err != nil {
				return err
			}
		}
		for _, ent := range batch {
			cur, has, err := t.outboxEntry(ent.SKU)
			if err != nil {
				return err
			}
			same := has && cur.Ver == ent.Ver
			if same {
				if err := t.deleteOutbox(ent.SKU); err != nil {
					return err
				}
			}
			sent, err := t.sentRec(ent.SKU)
			if err != nil {
				return err
			}
			status, msg := store.StatusSynced, ""
			switch {
			case refused != nil && ent.Op == opUpsert:
				sent.FailedHash, sent.Error = ent.Hash, refused.Error()
				status, msg = store.StatusFailed, refused.Error()
			case refused != nil:
				// An archive OnCloudWine refuses: nothing to retry.
			case ent.Op == opUpsert:
				sent = sentRec{Hash: ent.Hash}
			default:
				sent = sentRec{Archived: true}
			}
			if err := t.putSent(ent.SKU, sent); err != nil {
				return err
			}
			if !same || ent.Op != opUpsert {
				continue
			}
			it, ok, err := tx.Item(ItemKind, ent.SKU)
			if err != nil {
				return err
			}
			if ok && it.WooID == ent.WooID && (it.Status != status || it.Error != msg) {
				it.Status, it.Error, it.UpdatedAt = status, msg, now
				if err := tx.PutItems(it); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("syncer: record sent batch: %w", err)
	}
	e.countSent(batch, refused, created)
	if refused != nil {
		e.activity("warn", fmt.Sprintf("SKU %s: %s", batch[0].SKU, refused.Error()))
	}
	return nil
}

func (e *Engine) countSent(batch []outboxEntry, refused error, created int) {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	switch {
	case refused != nil:
		e.sendStats.Failed += len(batch)
	case batch[0].Op == opUpsert:
		e.sendStats.Upserted += len(batch)
		e.sendStats.Created += created
	default:
		e.sendStats.Archived += len(batch)
	}
}

// sendLoop drains the outbox until ctx ends, backing off while OnCloudWine
// is unreachable.
func (e *Engine) sendLoop(ctx context.Context) {
	e.drainLoop(ctx, "changes", e.queued, e.sent, e.sendOnce)
}

// drainLoop calls once until ctx ends: again at once while it sends
// something, after a backoff while OnCloudWine is unreachable (what names the
// queue in the log), and otherwise when something is queued or sent, or
// after IdlePoll.
func (e *Engine) drainLoop(ctx context.Context, what string, queued, sent *broadcast, once func(context.Context) (int, error)) {
	failures := 0
	for ctx.Err() == nil {
		wake, sentWake := queued.Wait(), sent.Wait()
		n, err := once(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			failures++
			wait := e.retryWait(failures)
			if e.noteOutage(err, wait) {
				e.log.Warn("syncer: OnCloudWine unreachable; "+what+" stay queued", "err", err, "retry_in", wait)
			}
			if backoff.Sleep(ctx, wait, e.after) != nil {
				return
			}
			continue
		}
		if failures > 0 {
			failures = 0
			e.noteRecovered()
		}
		if n > 0 {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-sentWake:
		case <-e.after(e.cfg.IdlePoll):
		}
	}
}

// retryWait is how long to wait after the n-th failure in a row:
// RetryMin·2^(n-1), at most RetryMax, give or take a fifth.
func (e *Engine) retryWait(failures int) time.Duration {
	return backoff.Around(backoff.Exponential(e.cfg.RetryMin, e.cfg.RetryMax, failures-1), nil)
}

// noteOutage logs an activity line when OnCloudWine becomes unreachable; it
// reports whether this is the first failure of the outage.
func (e *Engine) noteOutage(err error, wait time.Duration) bool {
	e.statsMu.Lock()
	first := !e.ocwDown
	e.ocwDown = true
	e.statsMu.Unlock()
	if first {
		msg := fmt.Sprintf("OnCloudWine unreachable (%v); changes stay queued and are retried (next in %s)", err, wait.Round(time.Millisecond))
		if oncloudwine.IsUnauthorized(err) {
			msg = fmt.Sprintf("OnCloudWine refused the API token (%v); check OCW_API_TOKEN — changes stay queued", err)
		}
		e.activity("warn", msg)
	}
	return first
}

func (e *Engine) noteRecovered() {
	e.statsMu.Lock()
	was := e.ocwDown
	e.ocwDown = false
	e.statsMu.Unlock()
	if was {
		e.activity("info", "OnCloudWine reachable again; sending queued changes")
	}
}

// outboxEmpty reports whether no variant change waits to be sent.
func (e *Engine) outboxEmpty() (bool, error) {
	empty := true
	err := e.store.View(func(tx *store.Tx) error {
		empty = tx.OutboxEmpty()
		return nil
	})
	return empty, err
}

// OutboxDepth counts the variant changes waiting to be sent (GET /v1/status).
func (e *Engine) OutboxDepth() (int, error) { return e.store.OutboxDepth() }

// waitDrained returns once the outbox is empty.
func (e *Engine) waitDrained(ctx context.Context) error {
	for {
		wake := e.sent.Wait()
		empty, err := e.outboxEmpty()
		if err != nil {
			return err
		}
		if empty {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-wake:
		case <-e.after(e.cfg.IdlePoll):
		}
	}
}
