package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ItemCountsByKind counts items by kind, then status: {"order":
// {"PENDING": 0, "SYNCED": 3, "FAILED": 1}, "variant": {…}}. The kinds the
// sidecar syncs are always present.
func (s *Store) ItemCountsByKind() (map[string]map[string]int, error) {
	out := map[string]map[string]int{}
	for _, k := range []string{"variant", ItemKindOrder} {
		out[k] = map[string]int{StatusPending: 0, StatusSynced: 0, StatusFailed: 0}
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		var probe struct {
			Kind   string `json:"kind"`
			Status string `json:"status"`
		}
		return tx.Bucket(bucketItems).ForEach(func(_, v []byte) error {
			probe.Kind, probe.Status = "", ""
			if err := json.Unmarshal(v, &probe); err != nil {
				return err
			}
			m := out[probe.Kind]
			if m == nil {
				m = map[string]int{StatusPending: 0, StatusSynced: 0, StatusFailed: 0}
				out[probe.Kind] = m
			}
			m[probe.Status]++
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("store.ItemCountsByKind: %w", err)
	}
	return out, nil
}
