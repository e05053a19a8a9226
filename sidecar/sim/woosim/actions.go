package woosim

import (
	"fmt"
	"strings"
	"time"
)

// The store-side actions change the store as a shop manager would in wp-admin
// (or as PHP code would) and fire the webhooks real WooCommerce fires.

func (s *Sim) stamp() time.Time { return s.now().UTC().Truncate(time.Second) }

// UpdateProduct edits a product or a variation and fires product.updated (for
// a variation the payload is the variation, type "variation"; the parent gets
// no delivery). edit runs under the simulator's lock: it must not call Sim.
func (s *Sim) UpdateProduct(id int64, edit func(p *Product)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil {
		return fmt.Errorf("woosim.UpdateProduct %d: %w", id, ErrNotFound)
	}
	oldSKU := p.SKU
	edit(p)
	if p.SKU != oldSKU {
		if other := s.st.bySKU(p.SKU); p.SKU != "" && other != nil && other.ID != p.ID {
			p.SKU = oldSKU
			return fmt.Errorf("woosim.UpdateProduct %d: %w", id, &APIError{Status: 400, Code: "product_invalid_sku", Message: "Invalid or duplicated SKU."})
		}
		s.st.reindexSKU(oldSKU, p)
	}
	if p.ManageStock {
		p.StockStatus = stockStatusFor(p)
	}
	s.st.touch(p, s.stamp())
	s.st.emit("product.updated", p.ID)
	return nil
}

// SetStock sets the stock like wc_update_product_stock($product, qty, 'set'):
// on the product that manages it (the parent for a "parent" variation); it
// saves the product, so date_modified moves and product.updated fires.
func (s *Sim) SetStock(id int64, qty int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil {
		return fmt.Errorf("woosim.SetStock %d: %w", id, ErrNotFound)
	}
	owner := s.st.stockOwner(p)
	if owner == nil {
		return fmt.Errorf("woosim.SetStock %d: stock is not managed", id)
	}
	owner.StockQuantity = intp(qty)
	owner.StockStatus = stockStatusFor(owner)
	s.st.touch(owner, s.stamp())
	s.st.emit("product.updated", owner.ID)
	return nil
}

// TrashProduct moves a product to the trash (product.deleted with {"id": N}).
func (s *Sim) TrashProduct(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil || p.ParentID != 0 {
		return fmt.Errorf("woosim.TrashProduct %d: %w", id, ErrNotFound)
	}
	if p.Status != "trash" {
		s.trash(p, s.stamp())
	}
	return nil
}

// RestoreProduct takes a product out of the trash. Like WordPress ≥ 5.6 it
// comes back as a draft; product.restored fires (a topic of WooCommerce 10).
func (s *Sim) RestoreProduct(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil || p.Status != "trash" {
		return fmt.Errorf("woosim.RestoreProduct %d: %w", id, ErrNotFound)
	}
	p.Status = "draft"
	if n := len(p.Slug) - len("__trashed"); n > 0 && p.Slug[n:] == "__trashed" {
		p.Slug = p.Slug[:n]
	}
	p.DateModified = s.stamp()
	s.st.emit("product.restored", p.ID)
	return nil
}

// DeleteProduct deletes a product (or variation) for good. WooCommerce fires no
// webhook for that: only a full sync notices.
func (s *Sim) DeleteProduct(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil {
		return fmt.Errorf("woosim.DeleteProduct %d: %w", id, ErrNotFound)
	}
	s.st.remove(p)
	return nil
}

// CreateProduct adds a product (ID ignored; ParentID set = a variation of that
// variable product) and fires product.created. A duplicated SKU is refused.
func (s *Sim) CreateProduct(p Product) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.SKU != "" && s.st.bySKU(p.SKU) != nil {
		return 0, fmt.Errorf("woosim.CreateProduct: %w", &APIError{Status: 400, Code: "product_invalid_sku", Message: "Invalid or duplicated SKU."})
	}
	now := s.stamp()
	np := copyProduct(&p)
	np.ID = s.st.newPostID()
	np.Variations = nil
	if np.Type == "" {
		np.Type = "simple"
	}
	if np.Status == "" {
		np.Status = "publish"
	}
	if np.Slug == "" {
		np.Slug = slugify(np.Name)
	}
	if np.DateCreated.IsZero() {
		np.DateCreated = now
	}
	np.DateModified = now
	if np.ParentID != 0 {
		parent := s.st.products[np.ParentID]
		if parent == nil || parent.ParentID != 0 {
			return 0, fmt.Errorf("woosim.CreateProduct: parent %d: %w", np.ParentID, ErrNotFound)
		}
		np.Type = "variation"
		parent.Variations = append(parent.Variations, np.ID)
	}
	if np.ManageStock && np.StockQuantity == nil {
		np.StockQuantity = intp(0)
	}
	np.StockStatus = ""
	if !np.ManageStock && p.StockStatus != "" {
		np.StockStatus = p.StockStatus
	}
	s.st.put(&np)
	s.st.emit("product.created", np.ID)
	return np.ID, nil
}

// OrderLine is one line of an order placed with PlaceOrder: a product or
// variation by id, or by SKU.
type OrderLine struct {
	ProductID int64 // product or variation id
	SKU       string
	Quantity  int
}

// NewOrder is a shop order placed by a shopper.
type NewOrder struct {
	Status     string // default "processing" (paid); "pending" leaves it unpaid
	CustomerID int64
	Billing    Address
	Lines      []OrderLine
	Meta       map[string]string
	CreatedVia string // default "checkout"
}

// PlaceOrder creates a paid shop order like a checkout does: order.created,
// order.updated, and product.updated for every product whose stock dropped.
func (s *Sim) PlaceOrder(no NewOrder) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := &Order{Status: no.Status, CustomerID: no.CustomerID, Billing: no.Billing, CreatedVia: no.CreatedVia,
		PaymentMethod: "bacs", PaymentMethodTitle: "Direct bank transfer", Version: s.opts.WCVersion}
	if o.Status == "" {
		o.Status = "processing"
	}
	if o.CreatedVia == "" {
		o.CreatedVia = "checkout"
	}
	if c := s.st.customers[no.CustomerID]; c != nil && o.Billing == (Address{}) {
		o.Billing, o.Shipping = c.Billing, c.Shipping
	}
	for _, l := range no.Lines {
		var p *Product
		if l.ProductID != 0 {
			p = s.st.products[l.ProductID]
		} else if l.SKU != "" {
			p = s.st.bySKU(l.SKU)
		}
		if p == nil || p.Type == "variable" {
			return 0, fmt.Errorf("woosim.PlaceOrder: line %d/%q: %w", l.ProductID, l.SKU, ErrNotFound)
		}
		li := LineItem{Quantity: l.Quantity}
		s.st.fillLine(&li, p)
		o.LineItems = append(o.LineItems, li)
	}
	for k, v := range no.Meta {
		o.MetaData = append(o.MetaData, Meta{Key: k, Value: v})
	}
	paid := o.Status == "processing" || o.Status == "completed"
	s.st.insertOrder(o, s.stamp(), paid, true)
	s.noteOrderEmail(o)
	return o.ID, nil
}

// SetOrderStatus changes an order's status like wp-admin: order.updated, and
// the stock reduction when it becomes processing or completed unpaid.
func (s *Sim) SetOrderStatus(id int64, status string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	if o == nil {
		return fmt.Errorf("woosim.SetOrderStatus %d: %w", id, ErrNotFound)
	}
	if !orderStatuses[status] {
		return fmt.Errorf("woosim.SetOrderStatus %d: unknown status %q", id, status)
	}
	o.Status = status
	s.changeOrder(o, s.stamp(), false)
	return nil
}

// Orders returns copies of every order, ids ascending.
func (s *Sim) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.st.orderIDs))
	for _, id := range s.st.orderIDs {
		if o := s.st.orders[id]; o != nil {
			c := *o
			c.LineItems = append([]LineItem(nil), o.LineItems...)
			c.MetaData = append([]Meta(nil), o.MetaData...)
			out = append(out, c)
		}
	}
	return out
}

// Customers returns copies of every user with a customer profile, in
// creation order.
func (s *Sim) Customers() []Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Customer, 0, len(s.st.customerOrder))
	for _, id := range s.st.customerOrder {
		if c := s.st.customers[id]; c != nil {
			cp := *c
			cp.MetaData = append([]Meta(nil), c.MetaData...)
			out = append(out, cp)
		}
	}
	return out
}

// AddCustomer adds a WordPress user (Role "customer" unless set, e.g.
// "shop_manager") and returns its id.
func (s *Sim) AddCustomer(c Customer) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.st.customers {
		if strings.EqualFold(o.Email, c.Email) {
			return 0, fmt.Errorf("woosim: a user with e-mail %s exists", c.Email)
		}
	}
	now := s.stamp()
	c.ID = s.st.nextUserID
	s.st.nextUserID++
	if c.Role == "" {
		c.Role = "customer"
	}
	if c.Username == "" {
		c.Username, _, _ = strings.Cut(c.Email, "@")
	}
	c.DateCreated, c.DateModified = now, now
	s.st.customers[c.ID] = &c
	s.st.customerOrder = append(s.st.customerOrder, c.ID)
	return c.ID, nil
}

// DeleteCustomer deletes a user, like wp-admin → Users → Delete.
func (s *Sim) DeleteCustomer(id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.customers[id] == nil {
		return fmt.Errorf("woosim: no customer %d", id)
	}
	delete(s.st.customers, id)
	return nil
}
