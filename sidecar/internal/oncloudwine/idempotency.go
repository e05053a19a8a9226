package oncloudwine

import (
	"crypto/sha256"
	"encoding/hex"
)

// IdempotencyKey is the Idempotency-Key of a request: a hash of its method,
// path (without the base URL's host) and canonical JSON body. The same
// content always gets the same key, so a retry or a re-send after a crash is
// recognised by OnCloudWine and applied once.
func IdempotencyKey(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method))
	h.Write([]byte{0})
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(body)
	return "ocw1-" + hex.EncodeToString(h.Sum(nil))
}
