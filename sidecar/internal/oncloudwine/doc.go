// Package oncloudwine is the sidecar's client for the OnCloudWine API
// (docs/oncloudwine-api.md, docs/openapi/oncloudwine.yaml).
//
// It sends a bearer token, gives every POST an Idempotency-Key derived from
// its content (so a retry, or a re-send after a crash, reuses the key), splits
// batches into requests of at most MaxBatch items, retries 429, 5xx and
// network errors with exponential backoff and jitter while honouring
// Retry-After, stops at once when the context ends, and turns error answers
// into *Error, whose message is what a FAILED item shows.
package oncloudwine
