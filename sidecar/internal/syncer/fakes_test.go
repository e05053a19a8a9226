package syncer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/store"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// fakeWoo is an in-memory WooCommerce catalog.
type fakeWoo struct {
	mu       sync.Mutex
	products map[int64]woo.Product
	vars     map[int64][]woo.Variation
	// onProduct, when set, is called by Catalog before each product.
	onProduct func(n int) error
	// productErr, when set, answers Product and Variations.
	productErr error
}

func newFakeWoo() *fakeWoo {
	return &fakeWoo{products: map[int64]woo.Product{}, vars: map[int64][]woo.Variation{}}
}

func (f *fakeWoo) put(p woo.Product, vars ...woo.Variation) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p.Type == "variable" {
		p.Variations = nil
		for i := range vars {
			vars[i].ParentID = p.ID
			p.Variations = append(p.Variations, vars[i].ID)
		}
		f.vars[p.ID] = vars
	}
	f.products[p.ID] = p
}

func (f *fakeWoo) edit(id int64, fn func(p *woo.Product)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.products[id]
	fn(&p)
	f.products[id] = p
}

func (f *fakeWoo) editVariation(parent, id int64, fn func(v *woo.Variation)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.vars[parent] {
		if f.vars[parent][i].ID == id {
			fn(&f.vars[parent][i])
		}
	}
}

func (f *fakeWoo) remove(id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.products, id)
	delete(f.vars, id)
}

func (f *fakeWoo) sorted() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Sorted(maps.Keys(f.products))
}

func (f *fakeWoo) get(id int64) (woo.Product, []woo.Variation, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.products[id]
	return p, slices.Clone(f.vars[id]), ok
}

func (f *fakeWoo) Catalog(ctx context.Context, fn func(woo.Product, []woo.Variation) error) error {
	n := 0
	for _, id := range f.sorted() {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, vars, ok := f.get(id)
		if !ok || p.Status == "trash" {
			continue
		}
		if f.onProduct != nil {
			if err := f.onProduct(n); err != nil {
				return err
			}
		}
		n++
		if p.Type != "variable" {
			vars = nil
		}
		if err := fn(p, vars); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeWoo) Products(ctx context.Context, q woo.ProductQuery, fn func(woo.Product) error) error {
	for _, id := range f.sorted() {
		p, _, ok := f.get(id)
		if !ok || (q.Status == "" && p.Status == "trash") || (q.Status != "" && q.Status != p.Status) {
			continue
		}
		if !q.ModifiedAfter.IsZero() && !p.DateModifiedGMT.After(q.ModifiedAfter) {
			continue
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeWoo) Variations(ctx context.Context, id int64, fn func(woo.Variation) error) error {
	if err := f.failure(); err != nil {
		return err
	}
	_, vars, ok := f.get(id)
	if !ok {
		return &woo.Error{Status: http.StatusNotFound, Code: woo.CodeNotFound, Message: "not found"}
	}
	for _, v := range vars {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeWoo) failure() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.productErr
}

func (f *fakeWoo) Product(ctx context.Context, id int64) (woo.Product, error) {
	if err := f.failure(); err != nil {
		return woo.Product{}, err
	}
	p, _, ok := f.get(id)
	if !ok {
		return p, &woo.Error{Status: http.StatusNotFound, Code: woo.CodeNotFound, Message: "not found"}
	}
	return p, nil
}

// fakeOCW records what OnCloudWine was sent.
type fakeOCW struct {
	mu       sync.Mutex
	variants map[string]oncloudwine.Variant
	created  map[string]int
	archived map[string]bool
	received int // variants received in upserts
	calls    int
	batches  []int                         // items per call (upserts and archives), refused ones included
	applied  [][]string                    // the SKUs of each upsert that took effect, in order
	refuse   map[string]*oncloudwine.Error // SKU → permanent error
	down     int                           // answer the next down calls with 503
	// afterUpsert, when set, runs after an upsert took effect; an error it
	// returns is the answer (the effect stays: a lost answer).
	afterUpsert func(calls int) error
}

func newFakeOCW() *fakeOCW {
	return &fakeOCW{variants: map[string]oncloudwine.Variant{}, created: map[string]int{}, archived: map[string]bool{}, refuse: map[string]*oncloudwine.Error{}}
}

var errDown = &oncloudwine.Error{Status: 503, Code: "unavailable", Message: "down for maintenance"}

func (f *fakeOCW) UpsertVariants(ctx context.Context, vs []oncloudwine.Variant) ([]oncloudwine.VariantResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.batches = append(f.batches, len(vs))
	if f.down > 0 {
		f.down--
		return nil, errDown
	}
	if len(vs) > oncloudwine.MaxBatch { // the API's limit, not the sender's own constant
		return nil, &oncloudwine.Error{Status: 413, Code: "too_many_items", Message: "too many"}
	}
	for _, v := range vs {
		if e := f.refuse[v.SKU]; e != nil {
			return nil, e
		}
	}
	out := make([]oncloudwine.VariantResult, len(vs))
	for i, v := range vs {
		_, exists := f.variants[v.SKU]
		if !exists {
			f.created[v.SKU]++
		}
		f.variants[v.SKU] = v
		delete(f.archived, v.SKU)
		out[i] = oncloudwine.VariantResult{SKU: v.SKU, Created: !exists}
	}
	f.received += len(vs)
	skus := make([]string, len(vs))
	for i, v := range vs {
		skus[i] = v.SKU
	}
	f.applied = append(f.applied, skus)
	if f.afterUpsert != nil {
		if err := f.afterUpsert(f.calls); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (f *fakeOCW) ArchiveVariants(ctx context.Context, skus []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.batches = append(f.batches, len(skus))
	if f.down > 0 {
		f.down--
		return errDown
	}
	if len(skus) > oncloudwine.MaxBatch {
		return &oncloudwine.Error{Status: 413, Code: "too_many_items", Message: "too many"}
	}
	for _, s := range skus {
		if _, ok := f.variants[s]; ok {
			f.archived[s] = true
		}
	}
	return nil
}

func (f *fakeOCW) snapshot() (variants map[string]oncloudwine.Variant, archived map[string]bool, received int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.variants), maps.Clone(f.archived), f.received
}

// harness is an engine over a real store in a temp dir with fakes.
type harness struct {
	t     *testing.T
	dir   string
	store *store.Store
	woo   *fakeWoo
	ocw   *fakeOCW
	eng   *Engine
}

func openTestStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

func newHarness(t *testing.T, w Woo, o OCW) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir()}
	h.store = openTestStore(t, h.dir)
	if err := h.store.PutConnection(store.Connection{Status: store.ConnActive, Currency: "USD", WeightUnit: "kg"}); err != nil {
		t.Fatal(err)
	}
	if fw, ok := w.(*fakeWoo); ok {
		h.woo = fw
	}
	if fo, ok := o.(*fakeOCW); ok {
		h.ocw = fo
	}
	h.eng = h.newEngine(w, o)
	return h
}

func (h *harness) newEngine(w Woo, o OCW) *Engine {
	h.t.Helper()
	e, err := New(Config{
		Store: h.store, Woo: w, OCW: o, RetryMin: time.Millisecond, RetryMax: 10 * time.Millisecond,
		IdlePoll: 50 * time.Millisecond, ReconcileInterval: time.Hour,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(e.Stop)
	return e
}

func (h *harness) runSync() store.Job {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.t.Context(), 30*time.Second)
	defer cancel()
	job, err := h.eng.RunJob(ctx, store.JobSyncProducts, nil)
	if err != nil {
		h.t.Fatalf("RunJob: %v", err)
	}
	if job.State != store.JobSucceeded {
		h.t.Fatalf("job state %s, error %q", job.State, job.Error)
	}
	return job
}

func (h *harness) item(key string) (store.Item, bool) {
	h.t.Helper()
	it, ok, err := h.store.GetItem(ItemKind, key)
	if err != nil {
		h.t.Fatal(err)
	}
	return it, ok
}

// ingest stores a webhook delivery the way the HTTP edge does.
func (h *harness) ingest(topic string, body []byte) {
	h.t.Helper()
	res, ev, ok := cutTopic(topic)
	if !ok {
		h.t.Fatalf("bad topic %q", topic)
	}
	var probe struct {
		ID       int64  `json:"id"`
		Modified string `json:"date_modified_gmt"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		h.t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	_, err := h.store.Ingest(h.t.Context(), &store.Event{
		Topic: topic, Resource: res, Action: ev, ResourceID: probe.ID, ModifiedGMT: probe.Modified,
		BodyHash: hex.EncodeToString(sum[:]), ReceivedAt: time.Now().UTC(), Body: body,
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func cutTopic(topic string) (string, string, bool) {
	for i := range len(topic) {
		if topic[i] == '.' {
			return topic[:i], topic[i+1:], true
		}
	}
	return "", "", false
}

// productBody renders a product as a webhook body.
func productBody(t *testing.T, p woo.Product) []byte {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// variationBody renders a variation as WooCommerce delivers it.
func variationBody(t *testing.T, v woo.Variation) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["type"] = "variation"
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Catalog builders.

var t0 = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func at(min int) woo.GMTTime { return woo.GMTTime{Time: t0.Add(time.Duration(min) * time.Minute)} }

func simple(id int64, sku, name, price string) woo.Product {
	return woo.Product{ID: id, Name: name, Type: "simple", Status: "publish", SKU: sku,
		Price: woo.MustDecimal(price), RegularPrice: woo.MustDecimal(price), Weight: woo.MustDecimal("1.3"),
		DateModifiedGMT: at(0),
		Attributes:      []woo.Attribute{{Name: "Vintage", Options: []string{"2022"}}}}
}

func variable(id int64, sku, name string) woo.Product {
	return woo.Product{ID: id, Name: name, Type: "variable", Status: "publish", SKU: sku, Weight: woo.MustDecimal("1.4"), DateModifiedGMT: at(0)}
}

func variation(id int64, sku, size, price string) woo.Variation {
	return woo.Variation{ID: id, Status: "publish", SKU: sku, Price: woo.MustDecimal(price), RegularPrice: woo.MustDecimal(price),
		DateModifiedGMT: at(0), Attributes: []woo.VariationAttribute{{Name: "Size", Option: size}}}
}
