package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The stock sync's records (issue 13), in bucket "stock":
//
//	"mark\x00"+holder id (big-endian uint64) → StockMark (JSON)
//	"level\x00"+SKU                          → StockLevel (JSON)
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
	Holder   int64     `json:"-"`
	Modified time.Time `json:"modified"`
	Content  string    `json:"content"`
}

// StockLevel is the stock level OnCloudWine last accepted for a SKU.
type StockLevel struct {
	SKU         string    `json:"-"`
	Holder      int64     `json:"holder"`
	ManageStock bool      `json:"manage_stock"`
	OnHand      int       `json:"on_hand"`
	Reserved    int       `json:"reserved"`
	Available   int       `json:"available"`
	StockStatus string    `json:"stock_status"`
	ObservedAt  time.Time `json:"observed_at"`
}

func stockMarkKey(holder int64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), prefixStockMark...), uint64(holder))
}

func stockLevelKey(sku string) []byte {
	return append(append([]byte(nil), prefixStockLevel...), sku...)
}

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
			var m StockMark
			if err := json.Unmarshal(raw, &m); err != nil {
				return fmt.Errorf("stock mark %d: %w", h, err)
			}
			m.Holder = h
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
		for k, v := c.Seek(prefixStockLevel); k != nil && hasPrefix(k, prefixStockLevel); k, v = c.Next() {
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

func decodeStockLevel(sku string, raw []byte) (StockLevel, error) {
	var l StockLevel
	if err := json.Unmarshal(raw, &l); err != nil {
		return l, fmt.Errorf("stock level %s: %w", sku, err)
	}
	l.SKU = sku
	return l, nil
}

// RecordStock stores, in one transaction, the levels OnCloudWine accepted
// and the marks of the readings they came from. A level observed before the
// one stored is not written (a slower writer loses), and a mark never moves
// to an older date; a mark with the same date replaces the stored one (the
// reading made later wins).
func (s *Store) RecordStock(levels []StockLevel, marks []StockMark) error {
	if len(levels) == 0 && len(marks) == 0 {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStock)
		for _, l := range levels {
			k := stockLevelKey(l.SKU)
			if raw := b.Get(k); raw != nil {
				old, err := decodeStockLevel(l.SKU, raw)
				if err == nil && old.ObservedAt.After(l.ObservedAt) {
					continue
				}
			}
			v, err := json.Marshal(l)
			if err != nil {
				return err
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		for _, m := range marks {
			k := stockMarkKey(m.Holder)
			if raw := b.Get(k); raw != nil {
				var old StockMark
				if err := json.Unmarshal(raw, &old); err == nil && old.Modified.After(m.Modified) {
					continue
				}
			}
			v, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if err := b.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: record stock: %w", err)
	}
	return nil
}
