package store

import "fmt"

// Status is the store's summary behind GET /v1/status and `ocw-sidecar status`.
type Status struct {
	Version    string         `json:"version"`
	Connection Connection     `json:"connection"`
	Items      map[string]int `json:"items"`
	// ItemsByKind splits Items by kind (variant, order, …).
	ItemsByKind map[string]map[string]int `json:"items_by_kind"`
	Cursors     map[string]string         `json:"cursors"`
	Jobs        map[string]Job            `json:"jobs"`
	Queues      map[string]int64          `json:"queues"`
	// Sync is the engine's live state (absent when no engine runs).
	Sync *SyncStatus `json:"sync,omitempty"`
}

// Status reads the summary.
func (s *Store) Status() (Status, error) {
	var st Status
	var err error
	if st.Connection, err = s.Connection(); err != nil {
		return st, err
	}
	if st.Items, err = s.ItemCounts(); err != nil {
		return st, err
	}
	if st.ItemsByKind, err = s.ItemCountsByKind(); err != nil {
		return st, err
	}
	if st.Cursors, err = s.Cursors(); err != nil {
		return st, err
	}
	if st.Jobs, err = s.LatestJobs(); err != nil {
		return st, err
	}
	outbox, err := s.OutboxDepth()
	if err != nil {
		return st, fmt.Errorf("store.Status: %w", err)
	}
	var orders int64
	_ = s.View(func(t *Tx) error {
		orders = int64(t.QueuedOrderCount())
		return nil
	})
	st.Queues = map[string]int64{"inbox": s.InboxDepth(), "outbox": int64(outbox), "order_outbox": orders}
	return st, nil
}
