package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The stock sync's records (issue 13), in bucket "stock":
//
//	"mark\x00"+holder id (big-endian uint64) → StockMark (encodeStockMark)
//	"level\x00"+SKU                          → StockLevel (encodeStockLevel)
//
// Both are small fixed binary records: a 20,000-variant store keeps 40,000
// of them, and JSON made them five times larger (file, pages, fsync).
//
// A holder is the product or variation whose stock a level reports (the
// parent product for a variation whose parent manages the stock).
var (
	bucketStock      = []byte("stock")
	prefixStockMark  = []byte("mark\x00")
	prefixStockLevel = []byte("level\x00")
)

// StockMark is the newest WooCommerce reading of one holder's stock the
// syncer applied: its date_modified_gmt and what it said (to tell two
// readings with the same date apart).
type StockMark struct {
	Holder   int64
	Modified time.Time
	Content  string
}

// StockLevel is the stock level OnCloudWine last accepted for a SKU.
type StockLevel struct {
	SKU         string
	Holder      int64
	ManageStock bool
	OnHand      int
	Reserved    int
	Available   int
	StockStatus string
	ObservedAt  time.Time
}

func stockMarkKey(holder int64) []byte { return idKey(prefixStockMark, holder) }

func stockLevelKey(sku string) []byte { return strKey(prefixStockLevel, sku) }

// StockMarks reads the marks of the given holders; holders without one are
// absent from the map.
func (s *Store) StockMarks(holders []int64) (map[int64]StockMark, error) {
	out := make(map[int64]StockMark, len(holders))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStock)
		if b == nil { // a file opened read-only before the bucket existed
			return nil
		}
		for _, h := range holders {
			raw := b.Get(stockMarkKey(h))
			if raw == nil {
				continue
			}
			m, err := decodeStockMark(h, raw)
			if err != nil {
				return err
			}
			out[h] = m
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: read stock marks: %w", err)
	}
	return out, nil
}

// StockLevels reads what OnCloudWine last accepted for the given SKUs; SKUs
// without a level are absent from the map.
func (s *Store) StockLevels(skus []string) (map[string]StockLevel, error) {
	out := make(map[string]StockLevel, len(skus))
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStock)
		if b == nil {
			return nil
		}
		for _, sku := range skus {
			raw := b.Get(stockLevelKey(sku))
			if raw == nil {
				continue
			}
			l, err := decodeStockLevel(sku, raw)
			if err != nil {
				return err
			}
			out[sku] = l
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: read stock levels: %w", err)
	}
	return out, nil
}

// EachStockLevel calls fn for every stock level recorded, in SKU order.
func (s *Store) EachStockLevel(fn func(StockLevel) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStock)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, v := c.Seek(prefixStockLevel); k != nil && bytes.HasPrefix(k, prefixStockLevel); k, v = c.Next() {
			l, err := decodeStockLevel(string(k[len(prefixStockLevel):]), v)
			if err != nil {
				return err
			}
			if err := fn(l); err != nil {
				return err
			}
		}
		return nil
	})
}

const stockRecordV1 = 1

// encodeStockLevel: version, holder (8), manage (1), on hand, reserved,
// available (4 each, signed), observed_at (Unix ns, 8), status (the rest).
func encodeStockLevel(l StockLevel) []byte {
	b := make([]byte, 0, 30+len(l.StockStatus))
	b = append(b, stockRecordV1)
	b = binary.BigEndian.AppendUint64(b, uint64(l.Holder))
	manage := byte(0)
	if l.ManageStock {
		manage = 1
	}
	b = append(b, manage)
	b = binary.BigEndian.AppendUint32(b, uint32(int32(l.OnHand)))
	b = binary.BigEndian.AppendUint32(b, uint32(int32(l.Reserved)))
	b = binary.BigEndian.AppendUint32(b, uint32(int32(l.Available)))
	b = binary.BigEndian.AppendUint64(b, uint64(l.ObservedAt.UnixNano()))
	return append(b, l.StockStatus...)
}

func decodeStockLevel(sku string, raw []byte) (StockLevel, error) {
	if len(raw) < 30 || raw[0] != stockRecordV1 {
		return StockLevel{}, fmt.Errorf("stock level %s: unreadable record (%d bytes)", sku, len(raw))
	}
	return StockLevel{
		SKU:         sku,
		Holder:      int64(binary.BigEndian.Uint64(raw[1:9])),
		ManageStock: raw[9] == 1,
		OnHand:      int(int32(binary.BigEndian.Uint32(raw[10:14]))),
		Reserved:    int(int32(binary.BigEndian.Uint32(raw[14:18]))),
		Available:   int(int32(binary.BigEndian.Uint32(raw[18:22]))),
		ObservedAt:  time.Unix(0, int64(binary.BigEndian.Uint64(raw[22:30]))).UTC(),
		StockStatus: string(raw[30:]),
	}, nil
}

// encodeStockMark: version, modified (Unix ns, 8), content (the rest).
func encodeStockMark(m StockMark) []byte {
	b := make([]byte, 0, 9+len(m.Content))
	b = append(b, stockRecordV1)
	b = binary.BigEndian.AppendUint64(b, uint64(m.Modified.UnixNano()))
	return append(b, m.Content...)
}

func decodeStockMark(holder int64, raw []byte) (StockMark, error) {
	if len(raw) < 9 || raw[0] != stockRecordV1 {
		return StockMark{}, fmt.Errorf("stock mark %d: unreadable record (%d bytes)", holder, len(raw))
	}
	return StockMark{Holder: holder, Modified: time.Unix(0, int64(binary.BigEndian.Uint64(raw[1:9]))).UTC(), Content: string(raw[9:])}, nil
}

// RecordStock stores, in one transaction, the levels OnCloudWine accepted
// and the marks of the readings they came from (Tx.RecordStock).
func (s *Store) RecordStock(levels []StockLevel, marks []StockMark) error {
	if len(levels) == 0 && len(marks) == 0 {
		return nil
	}
	err := s.Update(func(tx *Tx) error { return tx.RecordStock(levels, marks) })
	if err != nil {
		return fmt.Errorf("store: record stock: %w", err)
	}
	return nil
}

// RecordStock stores the levels OnCloudWine accepted and the marks of the
// readings they came from. A level observed before the one stored is not
// written (a slower writer loses), and a mark never moves to an older date;
// a mark with the same date replaces the stored one (the reading made later
// wins).
func (t *Tx) RecordStock(levels []StockLevel, marks []StockMark) error {
	if len(levels) == 0 && len(marks) == 0 {
		return nil
	}
	b := t.tx.Bucket(bucketStock)
	for _, l := range levels {
		k := stockLevelKey(l.SKU)
		if raw := b.Get(k); raw != nil {
			old, err := decodeStockLevel(l.SKU, raw)
			if err == nil && old.ObservedAt.After(l.ObservedAt) {
				continue
			}
		}
		if err := b.Put(k, encodeStockLevel(l)); err != nil {
			return err
		}
	}
	for _, m := range marks {
		k := stockMarkKey(m.Holder)
		if raw := b.Get(k); raw != nil {
			old, err := decodeStockMark(m.Holder, raw)
			if err == nil && old.Modified.After(m.Modified) {
				continue
			}
		}
		if err := b.Put(k, encodeStockMark(m)); err != nil {
			return err
		}
	}
	return nil
}
