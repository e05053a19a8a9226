package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
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
	BodyHash    string    `json:"body_hash"`
	ReceivedAt  time.Time `json:"received_at"`
	Body        []byte    `json:"-"`
}

// DedupeKey identifies a delivery's content: resource, id, date_modified_gmt
// and body hash. X-WC-Webhook-Delivery-ID is deliberately not part of it:
// WooCommerce repeats it for every delivery of a webhook within one second.
func (e *Event) DedupeKey() []byte {
	return []byte(e.Resource + "\x00" + e.Action + "\x00" + fmt.Sprint(e.ResourceID) + "\x00" + e.ModifiedGMT + "\x00" + e.BodyHash)
}

// IngestResult says where an event landed.
type IngestResult struct {
	Seq       uint64
	Duplicate bool
}

// ErrClosed is returned for work handed to a closed store.
var ErrClosed = errors.New("store closed")

// Ingest commits ev to the inbox and returns once it is durable (fsynced).
// Concurrent callers share one commit. Content already in the inbox (or seen
// within DedupeTTL) is not stored again and reports Duplicate.
func (s *Store) Ingest(ctx context.Context, ev *Event) (IngestResult, error) {
	if s.ingest == nil {
		return IngestResult{}, errors.New("store.Ingest: store opened read-only")
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

// InboxBatch returns up to limit of the oldest events, oldest first.
func (s *Store) InboxBatch(limit int) ([]Event, error) {
	var out []Event
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketInbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < limit; k, v = c.Next() {
			ev, err := decodeEvent(v)
			if err != nil {
				return fmt.Errorf("inbox event %d: %w", fromU64(k), err)
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

// InboxAck removes handled events. Their content keys stay remembered for
// DedupeTTL so a late duplicate is still recognised.
func (s *Store) InboxAck(seqs ...uint64) error {
	var removed int64
	err := s.db.Update(func(tx *bolt.Tx) error {
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

// PruneDedupe forgets content keys older than DedupeTTL; it returns how many.
func (s *Store) PruneDedupe() (int, error) {
	cutoff := s.now().Add(-s.opts.DedupeTTL).UnixNano()
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDedupe).Cursor()
		for k, v := c.First(); k != nil; {
			if len(v) == 16 && int64(binary.BigEndian.Uint64(v[8:])) < cutoff {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
				k, v = c.Seek(k)
				continue
			}
			k, v = c.Next()
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("store.PruneDedupe: %w", err)
	}
	return n, nil
}

// encodeEvent writes a length-prefixed JSON header followed by the raw body,
// so the signed bytes are kept exactly as received.
func encodeEvent(ev *Event) ([]byte, error) {
	hdr, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 4, 4+len(hdr)+len(ev.Body))
	binary.BigEndian.PutUint32(out, uint32(len(hdr)))
	out = append(out, hdr...)
	return append(out, ev.Body...), nil
}

func decodeEvent(v []byte) (Event, error) {
	var ev Event
	if len(v) < 4 {
		return ev, errors.New("short record")
	}
	n := int(binary.BigEndian.Uint32(v))
	if 4+n > len(v) {
		return ev, errors.New("truncated record")
	}
	if err := json.Unmarshal(v[4:4+n], &ev); err != nil {
		return ev, err
	}
	ev.Body = clone(v[4+n:])
	return ev, nil
}

type ingestReq struct {
	ev   *Event
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
	s     *Store
	reqs  chan *ingestReq
	quit  chan struct{}
	done  chan struct{}
	depth atomic.Int64
}

const maxGroup = 1024

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
	req := &ingestReq{ev: ev, done: make(chan ingestDone, 1)}
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
	now := g.s.now()
	err := g.s.db.Update(func(tx *bolt.Tx) error {
		added = 0
		inbox := tx.Bucket(bucketInbox)
		dedupe := tx.Bucket(bucketDedupe)
		for i, r := range batch {
			key := r.ev.DedupeKey()
			if v := dedupe.Get(key); len(v) == 16 {
				results[i] = IngestResult{Seq: binary.BigEndian.Uint64(v), Duplicate: true}
				continue
			}
			seq, err := inbox.NextSequence()
			if err != nil {
				return err
			}
			rec, err := encodeEvent(r.ev)
			if err != nil {
				return err
			}
			if err := inbox.Put(u64(seq), rec); err != nil {
				return err
			}
			val := make([]byte, 16)
			binary.BigEndian.PutUint64(val, seq)
			binary.BigEndian.PutUint64(val[8:], uint64(now.UnixNano()))
			if err := dedupe.Put(key, val); err != nil {
				return err
			}
			results[i] = IngestResult{Seq: seq}
			added++
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
