//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMapped is a no-op where the mapping is not trimmed (see release_linux.go).
func releaseMapped(*bolt.Tx) error { return nil }
