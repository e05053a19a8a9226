package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/oncloudwine"
	"github.com/oncloudwine/ocw-woocommerce/sidecar/internal/woo"
)

// stockWorld is WooCommerce and OnCloudWine in one fake, for the randomized
// stock test: every stock holder keeps the history of its quantity (its
// versions), every read of WooCommerce is logged with the version it saw,
// and failures (a crash, OnCloudWine down) are injected at API calls.
type stockWorld struct {
	mu  sync.Mutex
	now time.Time

	products map[int64]*woo.Product
	vars     map[int64][]*woo.Variation // parent → variations
	byID     map[int64]*woo.Variation

	hist    map[int64][]int64 // holder → quantity by version (unmanaged: nil)
	holder  map[string]int64  // SKU → holder
	members map[int64][]string

	res     map[string]int
	resHist []map[string]int

	// reads since resetReads: holder → newest version read; resRead the
	// newest reservation version read (-1: none).
	reads   map[int64]int
	resRead int

	// OnCloudWine.
	variants map[string]oncloudwine.Variant
	stock    map[string]oncloudwine.StockLevel

	// Failure injection: crashIn > 0 counts API calls down to a crash (the
	// step's context is cancelled; an OnCloudWine write may or may not take
	// effect first); down answers the next stock writes with 503.
	crashIn     int
	crashApply  bool
	crash       context.CancelFunc
	crashed     bool
	down        int
	stockWrites int
	lastWrite   []string // SKUs of the last stock write applied
	productGets int      // Product calls (a tie read again)
}

func newStockWorld(start time.Time) *stockWorld {
	return &stockWorld{
		now: start, products: map[int64]*woo.Product{}, vars: map[int64][]*woo.Variation{}, byID: map[int64]*woo.Variation{},
		hist: map[int64][]int64{}, holder: map[string]int64{}, members: map[int64][]string{},
		res: map[string]int{}, resHist: []map[string]int{{}}, reads: map[int64]int{}, resRead: -1,
		variants: map[string]oncloudwine.Variant{}, stock: map[string]oncloudwine.StockLevel{},
	}
}

func (w *stockWorld) stamp() woo.GMTTime { return woo.GMTTime{Time: w.now.UTC().Truncate(time.Second)} }

func ptr(n int64) *int64 { return &n }

// addSimple adds a simple product; qty < 0 means stock not managed.
func (w *stockWorld) addSimple(id int64, qty int64) {
	p := &woo.Product{ID: id, Name: fmt.Sprintf("Wine %d", id), Type: "simple", Status: "publish", SKU: fmt.Sprintf("S-%d", id),
		Price: woo.MustDecimal("10.00"), RegularPrice: woo.MustDecimal("10.00"), DateModifiedGMT: w.stamp(), StockStatus: "instock"}
	if qty >= 0 {
		p.ManageStock, p.StockQuantity = woo.ManageStockYes, ptr(qty)
		w.hist[id] = []int64{qty}
	}
	p.StockStatus = statusFor(p.ManageStock, p.StockQuantity, "instock")
	w.products[id] = p
	w.member(p.SKU, id)
}

// addVariable adds a variable product with n variations: parentQty ≥ 0 is
// stock managed by the parent (the variations report "parent"); otherwise
// each variation manages its own, starting at varQty.
func (w *stockWorld) addVariable(id int64, n int, parentQty, varQty int64) {
	p := &woo.Product{ID: id, Name: fmt.Sprintf("Red %d", id), Type: "variable", Status: "publish", SKU: fmt.Sprintf("P-%d", id),
		DateModifiedGMT: w.stamp(), StockStatus: "instock"}
	if parentQty >= 0 {
		p.ManageStock, p.StockQuantity = woo.ManageStockYes, ptr(parentQty)
		w.hist[id] = []int64{parentQty}
	}
	p.StockStatus = statusFor(p.ManageStock, p.StockQuantity, "instock")
	w.products[id] = p
	for i := range n {
		vid := id + 1 + int64(i)
		v := &woo.Variation{ID: vid, ParentID: id, Status: "publish", SKU: fmt.Sprintf("V-%d", vid), Price: woo.MustDecimal("20.00"),
			RegularPrice: woo.MustDecimal("20.00"), DateModifiedGMT: w.stamp(), StockStatus: "instock",
			Attributes: []woo.VariationAttribute{{Name: "Size", Option: fmt.Sprintf("%d cl", 37+i)}}}
		if parentQty >= 0 {
			v.ManageStock = woo.ManageStockParent
			w.member(v.SKU, id)
		} else {
			v.ManageStock, v.StockQuantity = woo.ManageStockYes, ptr(varQty)
			w.hist[vid] = []int64{varQty}
			v.StockStatus = statusFor(v.ManageStock, v.StockQuantity, "instock")
			w.member(v.SKU, vid)
		}
		w.vars[id] = append(w.vars[id], v)
		w.byID[vid] = v
	}
}

func (w *stockWorld) member(sku string, holder int64) {
	w.holder[sku] = holder
	w.members[holder] = append(w.members[holder], sku)
}

func statusFor(m woo.ManageStock, qty *int64, unmanaged string) string {
	if !m.Managed() || qty == nil {
		return unmanaged
	}
	if *qty > 0 {
		return "instock"
	}
	return "outofstock"
}

// holders lists the stock holders with a managed quantity.
func (w *stockWorld) managedHolders() []int64 {
	return slices.Sorted(maps.Keys(w.hist))
}

func (w *stockWorld) version(h int64) int { return len(w.hist[h]) - 1 }

// setStock changes a holder's quantity the way WooCommerce saves it: the
// holder's date moves (and a variation's parent's, by the deferred parent
// sync). It returns the deliveries WooCommerce sends.
func (w *stockWorld) setStock(h int64, qty int64) []worldDelivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hist[h] = append(w.hist[h], qty)
	st := "instock"
	if qty <= 0 {
		st = "outofstock"
	}
	if p, ok := w.products[h]; ok {
		p.StockQuantity, p.StockStatus, p.DateModifiedGMT = ptr(qty), st, w.stamp()
		return []worldDelivery{w.productDelivery(p)}
	}
	v := w.byID[h]
	v.StockQuantity, v.StockStatus, v.DateModifiedGMT = ptr(qty), st, w.stamp()
	parent := w.products[v.ParentID]
	parent.DateModifiedGMT = w.stamp()
	return []worldDelivery{w.variationDelivery(v), w.productDelivery(parent)}
}

// toggleStatus flips the status of a product that does not manage stock.
func (w *stockWorld) toggleStatus(id int64) []worldDelivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.products[id]
	p.StockStatus = map[string]string{"instock": "outofstock", "outofstock": "onbackorder", "onbackorder": "instock"}[p.StockStatus]
	p.DateModifiedGMT = w.stamp()
	return []worldDelivery{w.productDelivery(p)}
}

// setReservation changes what OnCloudWine reserves for sku.
func (w *stockWorld) setReservation(sku string, q int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if q == 0 {
		delete(w.res, sku)
	} else {
		w.res[sku] = q
	}
	w.resHist = append(w.resHist, maps.Clone(w.res))
}

// worldDelivery is a webhook delivery with the holder versions its body
// shows (the body is built when the change happens: the worst case, a
// retried delivery carries the old body).
type worldDelivery struct {
	topic    string
	body     []byte
	versions map[int64]int
}

func (w *stockWorld) productDelivery(p *woo.Product) worldDelivery {
	vs := map[int64]int{}
	if _, ok := w.hist[p.ID]; ok {
		vs[p.ID] = w.version(p.ID)
	}
	b, err := json.Marshal(*p)
	if err != nil {
		panic(err)
	}
	return worldDelivery{topic: "product.updated", body: b, versions: vs}
}

func (w *stockWorld) variationDelivery(v *woo.Variation) worldDelivery {
	rv := w.renderVariation(v)
	b, err := json.Marshal(rv)
	if err != nil {
		panic(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	m["type"] = "variation"
	body, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return worldDelivery{topic: "product.updated", body: body, versions: map[int64]int{v.ID: w.version(v.ID)}}
}

// renderVariation is the variation as REST shows it: "parent" stock reports
// the parent's quantity.
func (w *stockWorld) renderVariation(v *woo.Variation) woo.Variation {
	out := *v
	if v.ManageStock == woo.ManageStockParent {
		parent := w.products[v.ParentID]
		out.StockQuantity, out.StockStatus = ptr(*parent.StockQuantity), parent.StockStatus
	}
	return out
}

// Failure injection.

var errCrashed = errors.New("killed (-9)")

// call counts one API call toward an injected crash; it reports whether the
// process dies at this call.
func (w *stockWorld) call() bool {
	if w.crashed {
		return true
	}
	if w.crashIn <= 0 {
		return false
	}
	w.crashIn--
	if w.crashIn == 0 {
		w.crashed = true
		w.crash()
		return true
	}
	return false
}

func (w *stockWorld) resetReads() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reads, w.resRead = map[int64]int{}, -1
}

func (w *stockWorld) logRead(h int64) {
	if _, ok := w.hist[h]; !ok {
		return
	}
	if v := w.version(h); v > w.reads[h] {
		w.reads[h] = v
	} else if _, seen := w.reads[h]; !seen {
		w.reads[h] = v
	}
}

// WooCommerce.

func (w *stockWorld) sortedIDs() []int64 { return slices.Sorted(maps.Keys(w.products)) }

func (w *stockWorld) Catalog(ctx context.Context, fn func(woo.Product, []woo.Variation) error) error {
	w.mu.Lock()
	type entry struct {
		p    woo.Product
		vars []woo.Variation
	}
	var all []entry
	for _, id := range w.sortedIDs() {
		p := w.products[id]
		w.logRead(id)
		var vars []woo.Variation
		for _, v := range w.vars[id] {
			vars = append(vars, w.renderVariation(v))
			w.logRead(v.ID)
		}
		all = append(all, entry{*p, vars})
	}
	w.mu.Unlock()
	for _, e := range all {
		if err := fn(e.p, e.vars); err != nil {
			return err
		}
	}
	return nil
}

func (w *stockWorld) Products(ctx context.Context, q woo.ProductQuery, fn func(woo.Product) error) error {
	w.mu.Lock()
	if w.call() {
		w.mu.Unlock()
		return errCrashed
	}
	var out []woo.Product
	for _, id := range w.sortedIDs() {
		p := w.products[id]
		if q.Status != "" && q.Status != p.Status {
			continue
		}
		if !q.ModifiedAfter.IsZero() && !p.DateModifiedGMT.After(q.ModifiedAfter) {
			continue
		}
		w.logRead(id)
		out = append(out, *p)
	}
	w.mu.Unlock()
	for _, p := range out {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func (w *stockWorld) Variations(ctx context.Context, id int64, fn func(woo.Variation) error) error {
	w.mu.Lock()
	if w.call() {
		w.mu.Unlock()
		return errCrashed
	}
	if _, ok := w.products[id]; !ok {
		w.mu.Unlock()
		return &woo.Error{Status: http.StatusNotFound, Code: woo.CodeNotFound, Message: "not found"}
	}
	var out []woo.Variation
	for _, v := range w.vars[id] {
		out = append(out, w.renderVariation(v))
		w.logRead(v.ID) // "parent" stock is the parent's reading, not this one
	}
	w.mu.Unlock()
	for _, v := range out {
		if err := fn(v); err != nil {
			return err
		}
	}
	return nil
}

func (w *stockWorld) Product(ctx context.Context, id int64) (woo.Product, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.call() {
		return woo.Product{}, errCrashed
	}
	p, ok := w.products[id]
	if !ok {
		return woo.Product{}, &woo.Error{Status: http.StatusNotFound, Code: woo.CodeNotFound, Message: "not found"}
	}
	w.productGets++
	w.logRead(id)
	return *p, nil
}

func (w *stockWorld) StockLevels(ctx context.Context, fn func(woo.StockLevel) error) error {
	w.mu.Lock()
	if w.call() {
		w.mu.Unlock()
		return errCrashed
	}
	var out []woo.StockLevel
	for _, id := range w.sortedIDs() {
		p := w.products[id]
		w.logRead(id)
		out = append(out, productStock(*p))
		for _, v := range w.vars[id] {
			w.logRead(v.ID)
			out = append(out, variationStock(w.renderVariation(v)))
		}
	}
	w.mu.Unlock()
	for _, l := range out {
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}

// OnCloudWine.

func (w *stockWorld) UpsertVariants(ctx context.Context, vs []oncloudwine.Variant) ([]oncloudwine.VariantResult, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]oncloudwine.VariantResult, len(vs))
	for i, v := range vs {
		_, had := w.variants[v.SKU]
		w.variants[v.SKU] = v
		out[i] = oncloudwine.VariantResult{SKU: v.SKU, Created: !had}
	}
	return out, nil
}

func (w *stockWorld) ArchiveVariants(ctx context.Context, skus []string) error { return nil }

func (w *stockWorld) UpdateStock(ctx context.Context, levels []oncloudwine.StockLevel) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stockWrites++
	dies := w.call()
	if dies && !w.crashApply {
		return errCrashed
	}
	if !dies && w.down > 0 {
		w.down--
		return errDown
	}
	for _, l := range levels {
		if l.ManageStock && l.Available != max(0, l.OnHand-l.Reserved) {
			return &oncloudwine.Error{Status: 400, Code: "inconsistent_stock", Message: fmt.Sprintf("%s: %+v", l.SKU, l)}
		}
	}
	w.lastWrite = w.lastWrite[:0]
	for _, l := range levels {
		w.lastWrite = append(w.lastWrite, l.SKU)
		if old, ok := w.stock[l.SKU]; ok && old.ObservedAt.After(l.ObservedAt) {
			continue // OnCloudWine keeps the level observed last
		}
		w.stock[l.SKU] = l
	}
	if dies {
		return errCrashed // it took effect; the answer is lost with the process
	}
	return nil
}

func (w *stockWorld) Reservations(ctx context.Context) ([]oncloudwine.Reservation, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.call() {
		return nil, errCrashed
	}
	w.resRead = len(w.resHist) - 1
	var out []oncloudwine.Reservation
	for _, sku := range slices.Sorted(maps.Keys(w.res)) {
		out = append(out, oncloudwine.Reservation{SKU: sku, Quantity: w.res[sku]})
	}
	return out, nil
}
