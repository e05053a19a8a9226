//go:build linux

package store

import (
	"unsafe"

	"golang.org/x/sys/unix"

	bolt "go.etcd.io/bbolt"
)

// releaseMapped drops this process's page-table entries for the database's
// read-only shared mapping. bbolt writes with pwrite and reads through mmap;
// every read fault maps the whole fault-around window, and the inbox's
// freshly written pages sit right next to the pages each commit reads, so the
// mapping's resident size grows with everything ever appended (about 35 % of
// the file under a webhook burst) and only falls when bbolt remaps. The
// pages stay in the page cache and the file: a later read simply faults again.
//
// It must run inside a write transaction before anything is written: no remap
// can happen then, so Data and Size describe the live mapping.
func releaseMapped(tx *bolt.Tx) error {
	info := tx.DB().Info()
	size := int(tx.Size())
	if info.Data == 0 || size <= 0 {
		return nil
	}
	base := *(*unsafe.Pointer)(unsafe.Pointer(&info.Data))
	return unix.Madvise(unsafe.Slice((*byte)(base), size), unix.MADV_DONTNEED)
}
