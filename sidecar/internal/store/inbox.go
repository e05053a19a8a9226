package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Event is one WooCommerce webhook delivery, committed to the inbox before it
// is acknowledged. Body holds the raw bytes WooCommerce signed.
type Event struct {
	Seq         uint64    `json:"seq"`
	Topic       string    `json:"topic"`
	Resource    string    `json:"resource"`
	Action      string    `json:"action"`
	WebhookID   string    `json:"webhook_id,omitempty"`
	DeliveryID  string    `json:"delivery_id,omitempty"`
	Source      string    `json:"source,omitempty"`
	ResourceID  int64     `json:"resource_id"`
	ModifiedGMT string    `json:"modified_gmt,omitempty"`
	BodyHash    string    `json:"-"` // identifies the content at ingest; not stored
	ReceivedAt  time.Time `json:"received_at"`
	Body        []byte    `json:"-"`
	// Unreadable, set by InboxBatch, says why the stored record could not
	// be decoded (the other fields are then empty).
	Unreadable string `json:"-"`
}

// dedupeKey is the entity a delivery is about: resource and id, big-endian
// so that keys of one resource sort by id.
func (e *Event) dedupeKey() []byte {
	k := make([]byte, 0, len(e.Resource)+9)
	k = append(k, e.Resource...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(e.ResourceID))
}

// contentSum identifies what a delivery says about its entity:
// date_modified_gmt and the body hash. X-WC-Webhook-Delivery-ID is
// deliberately not part of it: WooCommerce repeats it for every delivery of a
// webhook within one second.
func (e *Event) contentSum() []byte {
	h := sha256.Sum256([]byte(e.ModifiedGMT + "\x00" + e.BodyHash))
	return h[:16]
}

// IngestResult says where an event landed.
type IngestResult struct {
	Seq       uint64
	Duplicate bool
}

// ErrClosed is returned for work handed to a closed store.
var ErrClosed = errors.New("store closed")

// Ingest commits ev to the inbox and returns once it is durable (fsynced).
// Concurrent callers share one commit. A delivery whose content equals the
// last content stored for the same resource and id is not stored again and
// reports Duplicate. Remembering only the last content per entity keeps the
// index as small as the catalog, and a trash → restore → trash sequence still
// stores the second trash.
func (s *Store) Ingest(ctx context.Context, ev *Event) (IngestResult, error) {
	if s.ingest == nil {
		return IngestResult{}, errors.New("store.Ingest: store opened read-only")
	}
	if ev.ReceivedAt.IsZero() {
		ev.ReceivedAt = s.now().UTC()
	}
	return s.ingest.submit(ctx, ev)
}

// InboxNotify is signalled (without blocking) after events are committed.
func (s *Store) InboxNotify() <-chan struct{} { return s.inboxNotify }

// InboxDepth is the number of events waiting in the inbox.
func (s *Store) InboxDepth() int64 {
	if s.ingest == nil {
		var n int64
		_ = s.db.View(func(tx *bolt.Tx) error {
			n = int64(tx.Bucket(bucketInbox).Stats().KeyN)
			return nil
		})
		return n
	}
	return s.ingest.depth.Load()
}

// InboxBatch returns up to limit of the oldest events, oldest first. A
// record that cannot be decoded comes back with only Seq and Unreadable set.
func (s *Store) InboxBatch(limit int) ([]Event, error) {
	var out []Event
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketInbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			ev, err := decodeEvent(v)
			if err != nil {
				// One unreadable record must not hold up the others: it is
				// handed over marked, for the consumer to report and drop.
				ev = Event{Unreadable: err.Error()}
			}
			ev.Seq = fromU64(k)
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store.InboxBatch: %w", err)
	}
	return out, nil
}

// InboxAck removes handled events. The last content per entity stays
// remembered, so a late redelivery is still recognised.
func (s *Store) InboxAck(seqs ...uint64) error { return s.InboxAckWith(nil, seqs...) }

// InboxAckWith runs fn (when not nil) and removes the events seqs in the
// same commit: what the events caused and their acknowledgement are one
// step, one fsync.
func (s *Store) InboxAckWith(fn func(tx *Tx) error, seqs ...uint64) error {
	var removed int64
	err := s.db.Update(func(tx *bolt.Tx) error {
		if fn != nil {
			if err := fn(newTx(tx, s)); err != nil {
				return err
			}
		}
		b := tx.Bucket(bucketInbox)
		for _, seq := range seqs {
			k := u64(seq)
			if b.Get(k) == nil {
				continue
			}
			if err := b.Delete(k); err != nil {
				return err
			}
			removed++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store.InboxAck: %w", err)
	}
	if s.ingest != nil {
		s.ingest.depth.Add(-removed)
	}
	return nil
}

type ingestReq struct {
	ev   *Event
	rec  []byte
	done chan ingestDone
}

type ingestDone struct {
	res IngestResult
	err error
}

// groupCommitter is a single writer goroutine: it commits whatever is queued
// the moment the previous commit ends (natural group commit), so concurrent
// deliveries share one fsync without waiting for a timer.
type groupCommitter struct {
	s *Store
	// written counts record bytes since the mapping was last trimmed.
	written int
	reqs    chan *ingestReq
	quit    chan struct{}
	done    chan struct{}
	depth   atomic.Int64
}

const maxGroup = 1024

// releaseEvery is how many record bytes may be appended before the
// database mapping's resident pages are released (releaseMapped).
const releaseEvery = 8 << 20

func newGroupCommitter(s *Store) *groupCommitter {
	g := &groupCommitter{s: s, reqs: make(chan *ingestReq, maxGroup), quit: make(chan struct{}), done: make(chan struct{})}
	_ = s.db.View(func(tx *bolt.Tx) error {
		g.depth.Store(int64(tx.Bucket(bucketInbox).Stats().KeyN))
		return nil
	})
	go g.run()
	return g
}

func (g *groupCommitter) submit(ctx context.Context, ev *Event) (IngestResult, error) {
	select {
	case <-g.quit:
		return IngestResult{}, ErrClosed
	default:
	}
	rec, err := encodeEvent(ev)
	if err != nil {
		return IngestResult{}, fmt.Errorf("store.Ingest: encode: %w", err)
	}
	req := &ingestReq{ev: ev, rec: rec, done: make(chan ingestDone, 1)}
	select {
	case g.reqs <- req:
	case <-g.quit:
		return IngestResult{}, ErrClosed
	case <-ctx.Done():
		return IngestResult{}, ctx.Err()
	}
	select {
	case d := <-req.done:
		return d.res, d.err
	case <-g.done:
		// The writer stopped; it answered every request it took.
		select {
		case d := <-req.done:
			return d.res, d.err
		default:
			return IngestResult{}, ErrClosed
		}
	case <-ctx.Done():
		return IngestResult{}, ctx.Err()
	}
}

func (g *groupCommitter) stop() {
	select {
	case <-g.quit:
	default:
		close(g.quit)
	}
	<-g.done
}

func (g *groupCommitter) run() {
	defer close(g.done)
	batch := make([]*ingestReq, 0, maxGroup)
	for {
		batch = batch[:0]
		select {
		case r := <-g.reqs:
			batch = append(batch, r)
		case <-g.quit:
			g.failPending()
			return
		}
	drain:
		for len(batch) < maxGroup {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		g.commit(batch)
	}
}

func (g *groupCommitter) failPending() {
	for {
		select {
		case r := <-g.reqs:
			r.done <- ingestDone{err: ErrClosed}
		default:
			return
		}
	}
}

func (g *groupCommitter) commit(batch []*ingestReq) {
	start := time.Now()
	results := make([]IngestResult, len(batch))
	var added int64
	err := g.s.db.Update(func(tx *bolt.Tx) error {
		added = 0
		if g.written >= releaseEvery {
			if err := releaseMapped(tx); err != nil {
				g.s.log.Warn("release mapped pages", "err", err)
			}
			g.written = 0
		}
		inbox := tx.Bucket(bucketInbox)
		inbox.FillPercent = appendFill
		dedupe := tx.Bucket(bucketDedupe)
		for i, r := range batch {
			key, sum := r.ev.dedupeKey(), r.ev.contentSum()
			if v := dedupe.Get(key); len(v) == 24 && bytes.Equal(v[8:], sum) {
				results[i] = IngestResult{Seq: binary.BigEndian.Uint64(v), Duplicate: true}
				continue
			}
			seq, err := inbox.NextSequence()
			if err != nil {
				return err
			}
			rec := r.rec
			if err := inbox.Put(u64(seq), rec); err != nil {
				return err
			}
			val := binary.BigEndian.AppendUint64(make([]byte, 0, 24), seq)
			if err := dedupe.Put(key, append(val, sum...)); err != nil {
				return err
			}
			results[i] = IngestResult{Seq: seq}
			added++
			g.written += len(rec)
		}
		return nil
	})
	if err != nil {
		err = fmt.Errorf("store.Ingest: commit: %w", err)
	} else {
		g.depth.Add(added)
	}
	if hook := g.s.opts.OnCommit; hook != nil {
		hook(time.Since(start), len(batch))
	}
	for i, r := range batch {
		if err != nil {
			r.done <- ingestDone{err: err}
			continue
		}
		r.ev.Seq = results[i].Seq
		r.done <- ingestDone{res: results[i]}
	}
	if err == nil && added > 0 {
		select {
		case g.s.inboxNotify <- struct{}{}:
		default:
		}
	}
}
