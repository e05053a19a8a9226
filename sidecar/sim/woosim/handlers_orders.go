package woosim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serveResource routes a REST resource: /resource to its collection and
// /resource/{id} to one item, each answering with its Allow header.
func serveResource(req *request, collection func(*request) reply, item func(*request, int64) reply) reply {
	p := req.parts
	switch {
	case len(p) == 1:
		return withAllow(collection(req), allowCollection)
	case len(p) == 2:
		id, ok := idPart(p[1])
		if !ok {
			return errReply(errNoRoute())
		}
		return withAllow(item(req, id), allowItem)
	}
	return errReply(errNoRoute())
}

func (s *Sim) serveOrders(req *request) reply {
	if len(req.parts) == 3 && req.parts[2] == "refunds" {
		return s.serveRefunds(req)
	}
	return serveResource(req, s.ordersCollection, s.orderItem)
}

var orderStatuses = map[string]bool{"pending": true, "processing": true, "on-hold": true, "completed": true,
	"cancelled": true, "refunded": true, "failed": true, "checkout-draft": true, "trash": true}

func (s *Sim) ordersCollection(req *request) reply {
	if req.method == http.MethodPost {
		if !req.authed {
			return errCannotCreate()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		o, e := s.createOrder(req.body, s.now().UTC().Truncate(time.Second))
		if e != nil {
			return errReply(e)
		}
		return created(reply{body: s.renderOrder(req.rb, o)}, req.rb.url("/wc/v3/orders/"+strconv.FormatInt(o.ID, 10)))
	}
	if req.method != http.MethodGet {
		return errReply(errNoRoute())
	}
	page, perPage, e := pageParams(req.q, 100)
	if e != nil {
		return errReply(e)
	}
	var statuses map[string]bool
	if v, ok := req.q.get("status"); ok && v != "any" {
		statuses = csvSet(v)
		for st := range statuses {
			if !orderStatuses[st] {
				return errReply(invalidParam("status", "rest_not_in_enum", "status[0] is not one of any, trash, auto-draft, pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft."))
			}
		}
	}
	var modAfter, createdAfter *time.Time
	for _, f := range []struct {
		name string
		dst  **time.Time
	}{{"modified_after", &modAfter}, {"after", &createdAfter}} {
		if v, ok := req.q.get(f.name); ok && v != "" {
			t, ok := parseDate(v)
			if !ok {
				return errReply(invalidParam(f.name, "rest_invalid_date", "Invalid date."))
			}
			*f.dst = &t
		}
	}
	customer, hasCustomer := req.q.get("customer")
	if !req.authed {
		return errCannotList()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var matched []*Order
	for i := len(s.st.orderIDs) - 1; i >= 0; i-- {
		o := s.st.orders[s.st.orderIDs[i]]
		if o == nil || (statuses != nil && !statuses[o.Status]) || (statuses == nil && o.Status == "trash") {
			continue
		}
		if modAfter != nil && !o.DateModified.After(*modAfter) {
			continue
		}
		if createdAfter != nil && !o.DateCreated.After(*createdAfter) {
			continue
		}
		if hasCustomer && strconv.FormatInt(o.CustomerID, 10) != customer {
			continue
		}
		matched = append(matched, o)
	}
	orderby := req.q.value("orderby")
	if orderby == "title" {
		orderby = "date" // orders have no title: WooCommerce falls back to the date
	}
	sortWP(matched, orderby, req.q.value("order"), func(o *Order) sortKey {
		return sortKey{id: o.ID, created: o.DateCreated, modified: o.DateModified}
	})
	items, total, pages := paginate(matched, page, perPage)
	fields := fieldsOf(req.q)
	out := make([]obj, len(items))
	for i, o := range items {
		out[i] = project(s.renderOrder(req.rb, o), fields)
	}
	return listReply(out, total, pages, page)
}

func invalidOrderID() *restError {
	return &restError{404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.", nil}
}

func (s *Sim) orderItem(req *request, id int64) reply {
	if !req.authed {
		return errCannotItem(req.method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	if o == nil {
		return errReply(invalidOrderID())
	}
	switch req.method {
	case http.MethodGet:
		return reply{body: project(s.renderOrder(req.rb, o), fieldsOf(req.q))}
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if e := s.updateOrder(o, req.body, s.now().UTC().Truncate(time.Second)); e != nil {
			return errReply(e)
		}
		return reply{body: s.renderOrder(req.rb, o)}
	case http.MethodDelete:
		if force, _ := asBool(req.q.value("force")); force {
			body := s.renderOrder(req.rb, o)
			s.st.deleteOrder(o.ID)
			return reply{body: body}
		}
		s.trashOrder(o, s.now().UTC().Truncate(time.Second))
		return reply{body: s.renderOrder(req.rb, o)}
	}
	return errReply(errNoRoute())
}

func parseAddress(v any, a *Address) {
	m, _ := v.(map[string]any)
	for key, dst := range map[string]*string{"first_name": &a.FirstName, "last_name": &a.LastName, "company": &a.Company,
		"address_1": &a.Address1, "address_2": &a.Address2, "city": &a.City, "state": &a.State, "postcode": &a.Postcode,
		"country": &a.Country, "email": &a.Email, "phone": &a.Phone} {
		if x, ok := m[key]; ok {
			*dst, _ = asString(x)
		}
	}
}

// createOrder is POST /orders: line items priced from the catalog unless the
// request gives subtotal/total, set_paid (or a paid status) reduces stock.
func (s *Sim) createOrder(body map[string]any, now time.Time) (*Order, *restError) {
	st := s.st
	o := &Order{Status: "pending", CreatedVia: "rest-api", Version: s.opts.WCVersion}
	if v, ok := body["status"].(string); ok {
		if !orderStatuses[v] {
			return nil, invalidParam("status", "rest_not_in_enum", "status is not one of pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft.")
		}
		o.Status = v
	}
	if v, ok := body["currency"].(string); ok {
		o.Currency = v
	}
	if v, ok := body["customer_id"]; ok {
		id, _ := asInt(v)
		if id != 0 && st.customers[id] == nil {
			return nil, &restError{400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.", nil}
		}
		o.CustomerID = id
	}
	if v, ok := body["created_via"].(string); ok && v != "" && s.modern() {
		o.CreatedVia = v // kept on 10.x, replaced by rest-api on 6.9
	}
	for key, dst := range map[string]*string{"payment_method": &o.PaymentMethod, "payment_method_title": &o.PaymentMethodTitle,
		"transaction_id": &o.TransactionID, "customer_note": &o.CustomerNote} {
		if v, ok := body[key]; ok {
			*dst, _ = asString(v)
		}
	}
	parseAddress(body["billing"], &o.Billing)
	parseAddress(body["shipping"], &o.Shipping)
	if lines, ok := body["line_items"].([]any); ok {
		for _, l := range lines {
			m, _ := l.(map[string]any)
			li, e := s.lineItem(m)
			if e != nil {
				return nil, e
			}
			o.LineItems = append(o.LineItems, li)
		}
	}
	if ships, ok := body["shipping_lines"].([]any); ok {
		for _, l := range ships {
			m, _ := l.(map[string]any)
			sl := ShippingLine{}
			sl.MethodID, _ = asString(m["method_id"])
			sl.MethodTitle, _ = asString(m["method_title"])
			sl.Total, _ = asString(m["total"])
			sl.Total = money(cents(sl.Total))
			o.ShippingLines = append(o.ShippingLines, sl)
		}
	}
	if meta, ok := body["meta_data"].([]any); ok {
		o.MetaData = s.mergeMeta(nil, meta)
	}
	setPaid, _ := asBool(body["set_paid"])
	if setPaid && o.Status == "pending" {
		o.Status = "processing"
	}
	paid := setPaid || o.Status == "processing" || o.Status == "completed"
	st.insertOrder(o, now, paid, true)
	s.noteOrderEmail(o)
	return o, nil
}

// lineItem reads one line item of an order request.
func (s *Sim) lineItem(m map[string]any) (LineItem, *restError) {
	st := s.st
	li := LineItem{}
	pid, _ := asInt(m["product_id"])
	vid, _ := asInt(m["variation_id"])
	var p *Product
	if sku, ok := m["sku"].(string); ok && sku != "" && pid == 0 {
		p = st.bySKU(sku)
	}
	if vid != 0 {
		p = st.products[vid]
	} else if pid != 0 {
		p = st.products[pid]
	}
	if p == nil || p.Type == "variable" {
		return li, &restError{400, "woocommerce_rest_invalid_product_id", "Product ID provided is invalid.", nil}
	}
	q, _ := asInt(m["quantity"])
	li.Quantity = int(q)
	if li.Quantity <= 0 {
		return li, &restError{400, "woocommerce_rest_invalid_product_quantity", "Product quantity must be a positive float.", nil}
	}
	if v, ok := m["subtotal"]; ok {
		sv, _ := asString(v)
		li.Subtotal = money(cents(sv))
	}
	if v, ok := m["total"]; ok {
		sv, _ := asString(v)
		li.Total = money(cents(sv))
	}
	if li.Total == "" && li.Subtotal != "" {
		li.Total = li.Subtotal
	}
	st.fillLine(&li, p)
	if meta, ok := m["meta_data"].([]any); ok {
		li.MetaData = s.mergeMeta(li.MetaData, meta)
	}
	return li, nil
}

// updateOrder is PUT /orders/{id}: status, set_paid, addresses and meta_data.
func (s *Sim) updateOrder(o *Order, body map[string]any, now time.Time) *restError {
	if v, ok := body["status"].(string); ok {
		if !orderStatuses[v] {
			return invalidParam("status", "rest_not_in_enum", "status is not one of pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft.")
		}
		o.Status = v
	}
	if _, ok := body["billing"]; ok {
		parseAddress(body["billing"], &o.Billing)
	}
	if _, ok := body["shipping"]; ok {
		parseAddress(body["shipping"], &o.Shipping)
	}
	if meta, ok := body["meta_data"].([]any); ok {
		o.MetaData = s.mergeMeta(o.MetaData, meta)
	}
	setPaid, _ := asBool(body["set_paid"])
	if setPaid && o.Status == "pending" {
		o.Status = "processing"
	}
	s.changeOrder(o, now, setPaid)
	return nil
}

// changeOrder fires order.updated and applies the side effects of the status.
func (s *Sim) changeOrder(o *Order, now time.Time, setPaid bool) {
	o.DateModified = now
	s.st.emit("order.updated", o.ID)
	if setPaid || o.Status == "processing" || o.Status == "completed" {
		s.st.markPaid(o, now, true)
	}
	if o.Status == "completed" && o.DateCompleted == nil {
		t := now
		o.DateCompleted = &t
	}
	s.noteOrderEmail(o)
	if strings.HasPrefix(o.Status, "cancel") && o.StockReduced {
		// wc_maybe_increase_stock_levels
		for _, li := range o.LineItems {
			id := li.ProductID
			if li.VariationID != 0 {
				id = li.VariationID
			}
			if p := s.st.products[id]; p != nil {
				if owner := s.st.stockOwner(p); owner != nil && owner.StockQuantity != nil {
					*owner.StockQuantity += li.ReducedStock
					owner.StockStatus = stockStatusFor(owner)
					s.st.touch(owner, now)
					s.st.emit("product.updated", owner.ID)
				}
			}
		}
		o.StockReduced = false
	}
}

// noteOrderEmail: WooCommerce 6.9 (posts storage) records the new-order e-mail
// in the order's meta once the order is paid; 10.x keeps it out of meta_data.
func (s *Sim) noteOrderEmail(o *Order) {
	if s.modern() || o.DatePaid == nil {
		return
	}
	for _, m := range o.MetaData {
		if m.Key == "_new_order_email_sent" {
			return
		}
	}
	o.MetaData = append(o.MetaData, Meta{ID: s.st.newMetaID(), Key: "_new_order_email_sent", Value: "true"})
}
