package mirror

import (
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
)

// The mirror's reads and writes of the store, each one transaction of
// store.Tx named operations.

// note is an activity-log line committed with the change it describes.
type note struct{ level, msg string }

func (m *Mirror) load(id string) (r store.MirrorRecord, ok bool, err error) {
	err = m.cfg.Store.View(func(tx *store.Tx) error {
		r, ok, err = tx.Mirror(id)
		return err
	})
	return r, ok, err
}

// save commits the outcome of a step and its activity lines together.
func (m *Mirror) save(r store.MirrorRecord, notes ...note) error {
	return m.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutMirrorOutcome(r); err != nil {
			return err
		}
		for _, n := range notes {
			if err := tx.LogActivity(n.level, n.msg); err != nil {
				return err
			}
		}
		return nil
	})
}

func (m *Mirror) due(now time.Time, limit int) (due []store.MirrorRecord, next time.Time, err error) {
	err = m.cfg.Store.View(func(tx *store.Tx) error {
		due, next, err = tx.MirrorsDue(now, limit)
		return err
	})
	return due, next, err
}

func (m *Mirror) rememberedCustomer(key string) (id int64, err error) {
	err = m.cfg.Store.View(func(tx *store.Tx) error {
		id, err = tx.MirrorCustomer(key)
		return err
	})
	return id, err
}

func (m *Mirror) rememberCustomer(key string, id int64, notes ...note) error {
	return m.cfg.Store.Update(func(tx *store.Tx) error {
		if err := tx.SetMirrorCustomer(key, id); err != nil {
			return err
		}
		for _, n := range notes {
			if err := tx.LogActivity(n.level, n.msg); err != nil {
				return err
			}
		}
		return nil
	})
}

func (m *Mirror) cursorValue() (v string, err error) {
	err = m.cfg.Store.View(func(tx *store.Tx) error {
		v = tx.Cursor(store.MirrorCursorName)
		return nil
	})
	return v, err
}

func (m *Mirror) setCursorValue(v string) error {
	return m.cfg.Store.Update(func(tx *store.Tx) error { return tx.SetCursor(store.MirrorCursorName, v) })
}
