package oncloudwine

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

// keyRecorder records the Idempotency-Key of every POST.
type keyRecorder struct {
	mu   sync.Mutex
	keys []string
}

func (k *keyRecorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			k.mu.Lock()
			k.keys = append(k.keys, r.Header.Get("Idempotency-Key"))
			k.mu.Unlock()
		}
		next.ServeHTTP(w, r)
	})
}

func (k *keyRecorder) all() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.keys...)
}

func TestIdempotencyKeyIsStableForTheSameContent(t *testing.T) {
	t.Parallel()
	rec := &keyRecorder{}
	f := setup(t, rec.wrap, nil)
	ctx := context.Background()

	v := testVariant("WINE-CAB-2021-750")
	same := v
	same.WooModifiedAt = v.WooModifiedAt.In(time.FixedZone("PST", -8*3600)) // same instant, other zone
	same.Attributes = map[string]string{"Vintage": "2021", "Size": "750ml"}
	changed := v
	changed.Price = "46.00"
	noAttrs, nilAttrs := v, v
	noAttrs.Attributes, nilAttrs.Attributes = map[string]string{}, nil

	for _, batch := range [][]Variant{{v}, {same}, {changed}, {noAttrs}, {nilAttrs}} {
		if _, err := f.client.UpsertVariants(ctx, batch); err != nil {
			t.Fatalf("UpsertVariants: %v", err)
		}
	}
	keys := rec.all()
	if len(keys) != 5 {
		t.Fatalf("keys = %v", keys)
	}
	if keys[0] == "" || keys[0] != keys[1] {
		t.Errorf("same content got keys %q and %q, want one key", keys[0], keys[1])
	}
	if keys[2] == keys[0] {
		t.Errorf("changed price kept the key %q", keys[2])
	}
	if keys[3] != keys[4] {
		t.Errorf("nil and empty attributes got different keys")
	}
	// A re-send of the first content is a replay, not a second effect.
	if r, a := f.sim.VariantsReceived(), f.sim.VariantsApplied(); r != 5 || a != 3 {
		t.Errorf("variants received, applied = %d, %d; want 5, 3 (two sends were replays)", r, a)
	}
}

func TestIdempotencyKeyDependsOnMethodPathAndBody(t *testing.T) {
	t.Parallel()
	base := IdempotencyKey("POST", "/v1/a", []byte(`{}`))
	for _, other := range []string{
		IdempotencyKey("PUT", "/v1/a", []byte(`{}`)),
		IdempotencyKey("POST", "/v1/b", []byte(`{}`)),
		IdempotencyKey("POST", "/v1/a", []byte(`{"x":1}`)),
		IdempotencyKey("POST", "/v1/a{}", nil), // no ambiguity between path and body
	} {
		if other == base {
			t.Errorf("key collision: %s", other)
		}
	}
	if again := IdempotencyKey("POST", "/v1/a", []byte(`{}`)); again != base || len(base) > 255 {
		t.Errorf("key not stable or too long: %q vs %q", again, base)
	}
}
