package woosim

import (
	"sort"
	"strconv"
	"time"
)

// state is the simulated store's data. Every access happens under Sim.mu.
type state struct {
	products map[int64]*Product
	top      []int64 // ids of products (not variations), ascending = creation order
	skus     map[string]int64

	orders     map[int64]*Order
	orderIDs   []int64 // ascending
	nextPostID int64   // WordPress shares one id space between products, variations and orders

	customers     map[int64]*Customer
	customerOrder []int64
	nextUserID    int64

	webhooks      map[int64]*Webhook
	webhookIDs    []int64
	nextWebhookID int64

	nextMetaID     int64
	nextLineItemID int64
	nonces         map[string]time.Time

	// emit is called for every change that WooCommerce hooks a webhook topic to.
	emit func(topic string, resourceID int64)
}

func newState() *state {
	return &state{
		products:       map[int64]*Product{},
		skus:           map[string]int64{},
		orders:         map[int64]*Order{},
		customers:      map[int64]*Customer{},
		webhooks:       map[int64]*Webhook{},
		nonces:         map[string]time.Time{},
		nextMetaID:     2000,
		nextLineItemID: 1,
		nextUserID:     1,
		nextWebhookID:  1,
		emit:           func(string, int64) {},
	}
}

// put inserts a product or a variation with its id already set.
func (st *state) put(p *Product) {
	if p.StockStatus == "" {
		p.StockStatus = stockStatusFor(p)
	}
	if p.Backorders == "" {
		p.Backorders = "no"
	}
	st.products[p.ID] = p
	if p.ParentID == 0 {
		st.top = append(st.top, p.ID)
		if len(st.top) > 1 && st.top[len(st.top)-2] > p.ID {
			sort.Slice(st.top, func(i, j int) bool { return st.top[i] < st.top[j] })
		}
	}
	if p.SKU != "" {
		st.skus[p.SKU] = p.ID
	}
	if p.ID >= st.nextPostID {
		st.nextPostID = p.ID + 1
	}
}

// newPostID hands out the next id of WordPress' shared posts id space.
func (st *state) newPostID() int64 {
	id := st.nextPostID
	st.nextPostID++
	return id
}

func (st *state) newMetaID() int64 {
	st.nextMetaID++
	return st.nextMetaID
}

// bySKU finds a product or variation by its own SKU.
func (st *state) bySKU(sku string) *Product {
	if id, ok := st.skus[sku]; ok {
		return st.products[id]
	}
	return nil
}

// reindexSKU keeps the SKU index right after an edit changed old to p.SKU.
func (st *state) reindexSKU(old string, p *Product) {
	if old == p.SKU {
		return
	}
	if old != "" && st.skus[old] == p.ID {
		delete(st.skus, old)
	}
	if p.SKU != "" {
		st.skus[p.SKU] = p.ID
	}
}

// remove deletes a product for good (force delete), with its variations.
func (st *state) remove(p *Product) {
	for _, vid := range p.Variations {
		if v := st.products[vid]; v != nil {
			st.remove(v)
		}
	}
	delete(st.products, p.ID)
	if p.SKU != "" && st.skus[p.SKU] == p.ID {
		delete(st.skus, p.SKU)
	}
	if p.ParentID == 0 {
		i := sort.Search(len(st.top), func(i int) bool { return st.top[i] >= p.ID })
		if i < len(st.top) && st.top[i] == p.ID {
			st.top = append(st.top[:i], st.top[i+1:]...)
		}
		return
	}
	if parent := st.products[p.ParentID]; parent != nil {
		for i, id := range parent.Variations {
			if id == p.ID {
				parent.Variations = append(parent.Variations[:i:i], parent.Variations[i+1:]...)
				break
			}
		}
	}
}

// stockStatusFor is the stock status WooCommerce derives when stock is managed.
func stockStatusFor(p *Product) string {
	if p.ManageStock && p.StockQuantity != nil && *p.StockQuantity <= 0 && p.Backorders == "no" {
		return "outofstock"
	}
	if p.ManageStock && p.StockQuantity != nil && *p.StockQuantity <= 0 {
		return "onbackorder"
	}
	if p.StockStatus == "" || p.ManageStock {
		return "instock"
	}
	return p.StockStatus
}

// stockOwner is the product whose stock a sale of p reduces: p itself, or its
// parent when the variation leaves stock to the parent; nil when unmanaged.
func (st *state) stockOwner(p *Product) *Product {
	if p.ManageStock {
		return p
	}
	if p.ParentID != 0 {
		if parent := st.products[p.ParentID]; parent != nil && parent.ManageStock {
			return parent
		}
	}
	return nil
}

// parentSKU is the SKU a variation reports: its own, else its parent's.
func (st *state) reportedSKU(p *Product) string {
	if p.SKU == "" && p.ParentID != 0 {
		if parent := st.products[p.ParentID]; parent != nil {
			return parent.SKU
		}
	}
	return p.SKU
}

// weight is what REST shows: a variation without its own weight inherits
// its parent's (WC_Product_Variation in "view" context).
func (st *state) weight(p *Product) string {
	if p.Weight == "" && p.ParentID != 0 {
		if parent := st.products[p.ParentID]; parent != nil {
			return parent.Weight
		}
	}
	return p.Weight
}

// activePrice is WooCommerce's "price": the sale price when set, else regular.
func activePrice(p *Product) string {
	if p.SalePrice != "" {
		return p.SalePrice
	}
	return p.RegularPrice
}

// priceRange is the lowest and highest active price of a variable product's
// published variations (what WooCommerce shows as the parent's price).
func (st *state) priceRange(p *Product) (lo, hi string) {
	var min, max int64 = -1, -1
	for _, vid := range p.Variations {
		v := st.products[vid]
		if v == nil || v.Status != "publish" || activePrice(v) == "" {
			continue
		}
		c := cents(activePrice(v))
		if min < 0 || c < min {
			min, lo = c, activePrice(v)
		}
		if max < 0 || c > max {
			max, hi = c, activePrice(v)
		}
	}
	return lo, hi
}

// touch moves a product's modification date (and its parent's, for a variation).
func (st *state) touch(p *Product, now time.Time) {
	p.DateModified = now
	if p.ParentID != 0 {
		if parent := st.products[p.ParentID]; parent != nil {
			parent.DateModified = now
		}
	}
}

// fillLine completes a line item from the product it sells.
func (st *state) fillLine(li *LineItem, p *Product) {
	li.ProductID, li.VariationID = p.ID, 0
	li.Name, li.SKU = p.Name, st.reportedSKU(p)
	price := cents(activePrice(p))
	if p.ParentID != 0 {
		li.ProductID, li.VariationID = p.ParentID, p.ID
		if parent := st.products[p.ParentID]; parent != nil {
			li.Name = parent.Name + " - " + p.Name
			li.ParentName = parent.Name
		}
		for _, a := range p.Attributes {
			li.MetaData = append(li.MetaData, Meta{ID: st.newMetaID(), Key: a.Slug, Value: a.Option})
		}
	}
	if li.Quantity <= 0 {
		li.Quantity = 1
	}
	if li.Subtotal == "" {
		li.Subtotal = money(price * int64(li.Quantity))
	}
	if li.Total == "" {
		li.Total = li.Subtotal
	}
	li.Price = float64(cents(li.Total)) / 100 / float64(li.Quantity)
	if li.ID == 0 {
		li.ID = st.nextLineItemID
		st.nextLineItemID++
	}
}

// insertOrder stores a new order created at now; paid sets the paid date and
// reduces stock like WooCommerce's payment_complete / wc_maybe_reduce_stock_levels.
func (st *state) insertOrder(o *Order, now time.Time, paid bool, fire bool) {
	o.ID = st.newPostID()
	if o.Currency == "" {
		o.Currency = "USD"
	}
	if o.OrderKey == "" {
		o.OrderKey = "wc_order_" + shortHash(o.ID)
	}
	o.DateCreated, o.DateModified = now, now
	for i := range o.ShippingLines {
		if o.ShippingLines[i].ID == 0 {
			o.ShippingLines[i].ID = st.nextLineItemID
			st.nextLineItemID++
		}
	}
	for i := range o.MetaData {
		if o.MetaData[i].ID == 0 {
			o.MetaData[i].ID = st.newMetaID()
		}
	}
	st.orders[o.ID] = o
	st.orderIDs = append(st.orderIDs, o.ID)
	if fire {
		st.emit("order.created", o.ID)
		st.emit("order.updated", o.ID)
	}
	if paid {
		st.markPaid(o, now, fire)
	}
	if o.Status == "completed" && o.DateCompleted == nil {
		t := now
		o.DateCompleted = &t
	}
}

// markPaid sets date_paid and reduces stock of the order's products once.
func (st *state) markPaid(o *Order, now time.Time, fire bool) {
	if o.DatePaid == nil {
		t := now
		o.DatePaid = &t
	}
	if o.StockReduced {
		return
	}
	o.StockReduced = true
	for i := range o.LineItems {
		li := &o.LineItems[i]
		id := li.ProductID
		if li.VariationID != 0 {
			id = li.VariationID
		}
		p := st.products[id]
		if p == nil {
			continue
		}
		owner := st.stockOwner(p)
		if owner == nil || owner.StockQuantity == nil {
			continue
		}
		*owner.StockQuantity -= li.Quantity
		owner.StockStatus = stockStatusFor(owner)
		if sold := st.products[li.ProductID]; sold != nil { // total_sales is counted on the parent
			sold.TotalSales += li.Quantity
		}
		st.touch(owner, now)
		li.ReducedStock = li.Quantity
		li.MetaData = append(li.MetaData, Meta{ID: st.newMetaID(), Key: "_reduced_stock", Value: strconv.Itoa(li.Quantity)})
		if fire {
			st.emit("product.updated", owner.ID)
		}
	}
}
