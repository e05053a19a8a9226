package ocwsim

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"
)

const (
	// IdempotencyTTL is how long an Idempotency-Key and its answer are kept.
	IdempotencyTTL = 24 * time.Hour
	// MaxBodyBytes is the largest request body accepted.
	MaxBodyBytes = 5 << 20
	// MaxBatch is the most items one batch request may carry.
	MaxBatch          = 100
	maxIdempotencyKey = 255
)

type idemRecord struct {
	fingerprint [32]byte
	status      int
	body        []byte
	at          time.Time
}

// applyFunc validates a request body and applies it; it runs under s.mu and
// returns the answer (status 200) or an error answer (nothing applied).
type applyFunc func(r *http.Request, body []byte, now time.Time) (any, *apiError)

// mutation wraps a POST route with Stripe-like idempotency: the
// Idempotency-Key is required; a key seen with the same method, path and
// JSON content replays the stored answer (header Idempotent-Replayed: true)
// without applying anything; a key seen with other content answers 422
// idempotency_key_reused. Only successful answers are stored (a request
// refused by validation applied nothing and may be corrected and re-sent
// with the same key). Keys expire after IdempotencyTTL.
//
// received, when set, sees every well-formed body (replays included) under
// s.mu before anything else happens: it is how the simulator counts what a
// client sent, as opposed to what it applied.
func (s *Sim) mutation(apply applyFunc, received ...func(body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		switch {
		case key == "":
			writeError(w, errorf(http.StatusBadRequest, "idempotency_key_required", "POST requests need an Idempotency-Key header"))
			return
		case len(key) > maxIdempotencyKey:
			writeError(w, errorf(http.StatusBadRequest, "invalid_idempotency_key", "Idempotency-Key is longer than %d characters", maxIdempotencyKey))
			return
		}
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			writeError(w, errorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type must be application/json"))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeError(w, errorf(http.StatusRequestEntityTooLarge, "body_too_large", "request body is larger than %d bytes", MaxBodyBytes))
				return
			}
			writeError(w, errorf(http.StatusBadRequest, "invalid_request", "read body: %v", err))
			return
		}
		fp, aerr := fingerprint(r.Method, r.URL.Path, body)
		if aerr != nil {
			writeError(w, aerr)
			return
		}

		now := s.now()
		s.mu.Lock()
		s.sweepIdempotency(now)
		for _, fn := range received {
			fn(body)
		}
		if rec, ok := s.idem[key]; ok && now.Sub(rec.at) < IdempotencyTTL {
			s.mu.Unlock()
			if rec.fingerprint != fp {
				writeError(w, errorf(http.StatusUnprocessableEntity, "idempotency_key_reused",
					"Idempotency-Key %q was already used with a different request", key))
				return
			}
			w.Header().Set("Idempotent-Replayed", "true")
			writeJSON(w, rec.status, rec.body)
			return
		}
		out, aerr := apply(r, body, now)
		if aerr != nil {
			s.mu.Unlock()
			writeError(w, aerr)
			return
		}
		answer, err := json.Marshal(out)
		if err != nil {
			s.mu.Unlock()
			writeError(w, errorf(http.StatusInternalServerError, "internal_error", "encode answer: %v", err))
			return
		}
		s.idem[key] = idemRecord{fingerprint: fp, status: http.StatusOK, body: answer, at: now}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, answer)
	}
}

// fingerprint hashes method, path and the body's canonical JSON (keys
// sorted, no insignificant space), so formatting does not matter.
func fingerprint(method, path string, body []byte) ([32]byte, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return [32]byte{}, errorf(http.StatusBadRequest, "invalid_json", "request body is not valid JSON: %v", err)
	}
	if dec.More() {
		return [32]byte{}, errorf(http.StatusBadRequest, "invalid_json", "request body has data after the JSON value")
	}
	canon, err := json.Marshal(v)
	if err != nil {
		return [32]byte{}, errorf(http.StatusBadRequest, "invalid_json", "request body: %v", err)
	}
	h := sha256.New()
	h.Write([]byte(method + "\x00" + path + "\x00"))
	h.Write(canon)
	var fp [32]byte
	copy(fp[:], h.Sum(nil))
	return fp, nil
}

// sweepIdempotency drops expired keys, at most once a minute. Callers hold s.mu.
func (s *Sim) sweepIdempotency(now time.Time) {
	if now.Sub(s.lastSweep) < time.Minute {
		return
	}
	s.lastSweep = now
	for k, rec := range s.idem {
		if now.Sub(rec.at) >= IdempotencyTTL {
			delete(s.idem, k)
		}
	}
}
