package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SetCursor records a cursor on its own.
func (s *Store) SetCursor(name, value string) error {
	if err := s.Update(func(tx *Tx) error { return tx.SetCursor(name, value) }); err != nil {
		return fmt.Errorf("store.SetCursor: %w", err)
	}
	return nil
}

// Cursor reads a cursor ("" when unset).
func (s *Store) Cursor(name string) (string, error) {
	var v string
	err := s.View(func(tx *Tx) error { v = tx.Cursor(name); return nil })
	return v, err
}

// Cursors returns every cursor.
func (s *Store) Cursors() (map[string]string, error) {
	out := map[string]string{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCursors).ForEach(func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	return out, err
}

// Settings are the values an admin changed through the API; nil fields fall
// back to the environment.
type Settings struct {
	MirrorReleaseOrders *bool   `json:"mirror_release_orders,omitempty"`
	CustomerMapping     *string `json:"customer_mapping,omitempty"`
	StockSyncInterval   *string `json:"stock_sync_interval,omitempty"`
}

var keySettings = []byte("overrides")

// Settings reads the stored overrides.
func (s *Store) Settings() (Settings, error) {
	var st Settings
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSettings).Get(keySettings)
		if v == nil {
			return nil
		}
		return json.Unmarshal(v, &st)
	})
	if err != nil {
		return st, fmt.Errorf("store.Settings: %w", err)
	}
	return st, nil
}

// PutSettings replaces the stored overrides.
func (s *Store) PutSettings(st Settings) error {
	v, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("store.PutSettings: %w", err)
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSettings).Put(keySettings, v) })
}

// ResetSettings drops every override.
func (s *Store) ResetSettings() error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSettings).Delete(keySettings) })
}

// Connection states.
const (
	ConnActive       = "ACTIVE"
	ConnError        = "ERROR"
	ConnDisconnected = "DISCONNECTED"
)

// ConnErrorInfo is the user-facing error of a failed connection check.
type ConnErrorInfo struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
}

// ConnAttempt is a connection test of new credentials that failed.
type ConnAttempt struct {
	At       time.Time `json:"at"`
	StoreURL string    `json:"store_url,omitempty"`
	Code     string    `json:"code"`
	Error    string    `json:"error"`
	Fix      string    `json:"fix"`
}

// Connection is the last known state of the link to WooCommerce.
type Connection struct {
	Status       string         `json:"status"`
	StoreURL     string         `json:"store_url,omitempty"`
	WCVersion    string         `json:"wc_version,omitempty"`
	AuthMethod   string         `json:"auth_method,omitempty"`
	PluginRoutes bool           `json:"plugin_routes"`
	Currency     string         `json:"currency,omitempty"`
	WeightUnit   string         `json:"weight_unit,omitempty"`
	CheckedAt    *time.Time     `json:"checked_at,omitempty"`
	LastError    *ConnErrorInfo `json:"last_error"`
	Warning      *ConnErrorInfo `json:"warning,omitempty"`
	// LastAttempt is the last POST /v1/connection that failed its test: it
	// changed nothing else (the connection above stays in force). Cleared
	// when a new connection passes.
	LastAttempt *ConnAttempt `json:"last_attempt,omitempty"`
	// NextCheckAt is when a connection in ERROR is tested again (with
	// backoff, about every minute, at most every 10 minutes).
	NextCheckAt    *time.Time `json:"next_check_at,omitempty"`
	ConsumerKey    string     `json:"-"`
	ConsumerSecret string     `json:"-"`
}

// storedConnection keeps the key pair set through the admin API; it never
// leaves the store through JSON answers.
type storedConnection struct {
	Connection
	ConsumerKey    string `json:"consumer_key,omitempty"`
	ConsumerSecret string `json:"consumer_secret,omitempty"`
}

var keyConnection = []byte("connection")

// Connection reads the connection state (DISCONNECTED when none was stored).
func (s *Store) Connection() (Connection, error) {
	c := Connection{Status: ConnDisconnected}
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSettings).Get(keyConnection)
		if v == nil {
			return nil
		}
		var sc storedConnection
		if err := json.Unmarshal(v, &sc); err != nil {
			return err
		}
		c = sc.Connection
		c.ConsumerKey, c.ConsumerSecret = sc.ConsumerKey, sc.ConsumerSecret
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("store.Connection: %w", err)
	}
	return c, nil
}

// PutConnection stores the connection state, credentials included.
func (s *Store) PutConnection(c Connection) error {
	v, err := json.Marshal(storedConnection{Connection: c, ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret})
	if err != nil {
		return fmt.Errorf("store.PutConnection: %w", err)
	}
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSettings).Put(keyConnection, v) })
}

// EffectiveSettings are the settings in force: the environment's values with
// the stored overrides applied.
type EffectiveSettings struct {
	MirrorReleaseOrders bool
	CustomerMapping     string
	StockSyncInterval   time.Duration
}

// Apply overlays the stored overrides on defaults. An override that no longer
// parses is ignored (the defaults win).
func (s Settings) Apply(d EffectiveSettings) EffectiveSettings {
	if s.MirrorReleaseOrders != nil {
		d.MirrorReleaseOrders = *s.MirrorReleaseOrders
	}
	if s.CustomerMapping != nil {
		d.CustomerMapping = *s.CustomerMapping
	}
	if s.StockSyncInterval != nil {
		if v, err := time.ParseDuration(*s.StockSyncInterval); err == nil {
			d.StockSyncInterval = v
		}
	}
	return d
}
