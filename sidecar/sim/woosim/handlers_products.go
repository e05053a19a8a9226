package woosim

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serveProducts handles /wc/v3/products[/…].
func (s *Sim) serveProducts(req *request) reply {
	p := req.parts
	switch {
	case len(p) == 1:
		return withAllow(s.productsCollection(req), allowCollection)
	case len(p) == 2 && p[1] == "batch":
		if !isWrite(req.method) {
			return errReply(errNoRoute())
		}
		return withAllow(s.productsBatch(req), allowBatch)
	case len(p) == 2:
		id, ok := idPart(p[1])
		if !ok {
			return errReply(errNoRoute())
		}
		return withAllow(s.productItem(req, id), allowItem)
	case len(p) == 3 && p[2] == "variations":
		id, ok := idPart(p[1])
		if !ok {
			return errReply(errNoRoute())
		}
		return withAllow(s.variationsCollection(req, id), allowCollection)
	case len(p) == 4 && p[2] == "variations":
		pid, ok1 := idPart(p[1])
		vid, ok2 := idPart(p[3])
		if !ok1 || !ok2 {
			return errReply(errNoRoute())
		}
		return withAllow(s.variationItem(req, pid, vid), allowItem)
	}
	return errReply(errNoRoute())
}

func cannot(code, msg string) reply {
	return errReply(&restError{http.StatusUnauthorized, code, msg, nil})
}

func errCannotList() reply {
	return cannot("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
}

func errCannotView() reply {
	return cannot("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.")
}

func errCannotCreate() reply {
	return cannot("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.")
}

func errCannotEdit() reply {
	return cannot("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.")
}

func errCannotDelete() reply {
	return cannot("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.")
}

// errCannotItem is WooCommerce's answer to an anonymous request on one item:
// view for GET, delete for DELETE, edit otherwise.
func errCannotItem(method string) reply {
	switch method {
	case http.MethodGet:
		return errCannotView()
	case http.MethodDelete:
		return errCannotDelete()
	default:
		return errCannotEdit()
	}
}

func errCannotBatch() reply {
	return cannot("woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource.")
}

func invalidProductID(status int) *restError {
	return &restError{status, "woocommerce_rest_product_invalid_id", "Invalid ID.", nil}
}

// parseDate reads a REST date parameter (ISO 8601, site timezone UTC).
func parseDate(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, wcTime, "2006-01-02T15:04:05Z", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// productFilter is the products collection's query.
type productFilter struct {
	statuses      map[string]bool // nil = any but trash
	types         map[string]bool
	skus          map[string]bool
	include       map[int64]bool
	parents       map[int64]bool
	search        string
	modifiedAfter *time.Time
	modifiedBefor *time.Time
	after, before *time.Time
}

func csvSet(v string) map[string]bool {
	m := map[string]bool{}
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			m[x] = true
		}
	}
	return m
}

func idSet(v string) map[int64]bool {
	m := map[int64]bool{}
	for _, x := range strings.Split(v, ",") {
		if id, ok := idPart(strings.TrimSpace(x)); ok {
			m[id] = true
		}
	}
	return m
}

func parseProductFilter(q query) (productFilter, *restError) {
	var f productFilter
	if v, ok := q.get("status"); ok && v != "any" {
		f.statuses = csvSet(v)
		for st := range f.statuses {
			switch st {
			case "draft", "pending", "private", "publish", "future", "trash":
			default:
				return f, invalidParam("status", "rest_not_in_enum", "status is not one of any, future, trash, draft, pending, private, and publish.")
			}
		}
	}
	if v, ok := q.get("type"); ok {
		f.types = csvSet(v)
	}
	if v, ok := q.get("sku"); ok && v != "" {
		f.skus = csvSet(v)
	}
	if v, ok := q.get("include"); ok && v != "" {
		f.include = idSet(v)
	}
	if v, ok := q.get("parent"); ok && v != "" {
		f.parents = idSet(v)
	}
	f.search = strings.ToLower(q.value("search"))
	for _, d := range []struct {
		name string
		dst  **time.Time
	}{{"modified_after", &f.modifiedAfter}, {"modified_before", &f.modifiedBefor}, {"after", &f.after}, {"before", &f.before}} {
		if v, ok := q.get(d.name); ok && v != "" {
			t, ok := parseDate(v)
			if !ok {
				return f, invalidParam(d.name, "rest_invalid_date", "Invalid date.")
			}
			*d.dst = &t
		}
	}
	return f, nil
}

func (f productFilter) match(p *Product) bool {
	if f.statuses == nil {
		if p.Status == "trash" {
			return false
		}
	} else if !f.statuses[p.Status] {
		return false
	}
	if f.types != nil && !f.types[p.Type] {
		return false
	}
	if f.include != nil && !f.include[p.ID] {
		return false
	}
	if f.parents != nil && !f.parents[p.ParentID] {
		return false
	}
	if f.search != "" && !strings.Contains(strings.ToLower(p.Name), f.search) {
		return false
	}
	if f.modifiedAfter != nil && !p.DateModified.After(*f.modifiedAfter) {
		return false
	}
	if f.modifiedBefor != nil && !p.DateModified.Before(*f.modifiedBefor) {
		return false
	}
	if f.after != nil && !p.DateCreated.After(*f.after) {
		return false
	}
	if f.before != nil && !p.DateCreated.Before(*f.before) {
		return false
	}
	return true
}

func (s *Sim) productsCollection(req *request) reply {
	switch req.method {
	case http.MethodGet:
	case http.MethodPost:
		if !req.authed {
			return errCannotCreate()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		p, e := s.createProduct(req.body, nil, s.now().UTC().Truncate(time.Second))
		if e != nil {
			return errReply(e)
		}
		return created(reply{body: s.renderProduct(req.rb.editing(), p)}, req.rb.url("/wc/v3/products/"+strconv.FormatInt(p.ID, 10)))
	default:
		return errReply(errNoRoute())
	}
	page, perPage, e := pageParams(req.q, 100)
	if e != nil {
		return errReply(e)
	}
	f, e := parseProductFilter(req.q)
	if e != nil {
		return errReply(e)
	}
	if !req.authed {
		return errCannotList()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var matched []*Product
	if f.skus != nil {
		// products?sku= finds variations too (WooCommerce queries both post types).
		for sku := range f.skus {
			if p := s.st.bySKU(sku); p != nil && f.match(p) {
				matched = append(matched, p)
			}
		}
	} else {
		matched = make([]*Product, 0, 64)
		for i := len(s.st.top) - 1; i >= 0; i-- {
			if p := s.st.products[s.st.top[i]]; p != nil && f.match(p) {
				matched = append(matched, p)
			}
		}
	}
	return productPage(req, matched, page, perPage, s.renderProduct)
}

func (s *Sim) productItem(req *request, id int64) reply {
	if !req.authed {
		return errCannotItem(req.method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil {
		return errReply(invalidProductID(http.StatusNotFound))
	}
	now := s.now().UTC().Truncate(time.Second)
	switch req.method {
	case http.MethodGet:
		return reply{body: project(s.renderProduct(req.rb, p), fieldsOf(req.q))}
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if e := s.updateProduct(p, req.body, now); e != nil {
			return errReply(e)
		}
		return reply{body: s.renderProduct(req.rb.editing(), p)}
	case http.MethodDelete:
		force, _ := asBool(req.q.value("force"))
		body, e := s.deleteProduct(req.rb.editing(), p, force, now)
		if e != nil {
			return errReply(e)
		}
		return reply{body: body}
	}
	return errReply(errNoRoute())
}

// updateProduct applies a REST edit and fires product.updated.
func (s *Sim) updateProduct(p *Product, body map[string]any, now time.Time) *restError {
	if e := s.applyProductFields(p, body); e != nil {
		return e
	}
	s.st.touch(p, now)
	s.st.emit("product.updated", p.ID)
	return nil
}

// deleteProduct trashes p (product.deleted) or, with force, deletes it for good
// (no webhook). The answer is the object as it was before a force delete.
func (s *Sim) deleteProduct(rb restBase, p *Product, force bool, now time.Time) (obj, *restError) {
	if force {
		body := s.renderProduct(rb, p)
		s.st.remove(p)
		return body, nil
	}
	if p.Status == "trash" {
		return nil, &restError{410, "woocommerce_rest_already_trashed", "The product has already been deleted.", nil}
	}
	s.trash(p, now)
	return s.renderProduct(rb, p), nil
}

func (s *Sim) trash(p *Product, now time.Time) {
	p.Status = "trash"
	if !strings.HasSuffix(p.Slug, "__trashed") {
		p.Slug += "__trashed"
	}
	p.DateModified = now
	s.st.emit("product.deleted", p.ID)
}

func (s *Sim) productsBatch(req *request) reply {
	if !req.authed {
		return errCannotBatch()
	}
	n := 0
	for _, k := range []string{"create", "update", "delete"} {
		if l, ok := req.body[k].([]any); ok {
			n += len(l)
		}
	}
	if n > 100 {
		return errReply(&restError{413, "woocommerce_rest_request_entity_too_large", "Unable to accept more than 100 items for this request.", nil})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now().UTC().Truncate(time.Second)
	rb := req.rb.editing()
	out := obj{}
	itemErr := func(id int64, e *restError) obj {
		return obj{{"id", id}, {"error", obj{{"code", e.code}, {"message", e.message}, {"data", obj{{"status", 400}}}}}}
	}
	if l, ok := req.body["create"].([]any); ok {
		res := []any{}
		for _, e := range l {
			m, _ := e.(map[string]any)
			p, err := s.createProduct(m, nil, now)
			if err != nil {
				res = append(res, itemErr(0, err))
				continue
			}
			res = append(res, s.renderProduct(rb, p))
		}
		out = append(out, kv{"create", res})
	}
	if l, ok := req.body["update"].([]any); ok {
		res := []any{}
		for _, e := range l {
			m, _ := e.(map[string]any)
			id, _ := asInt(m["id"])
			p := s.st.products[id]
			if p == nil {
				res = append(res, itemErr(id, invalidProductID(400)))
				continue
			}
			if err := s.updateProduct(p, m, now); err != nil {
				res = append(res, itemErr(id, err))
				continue
			}
			res = append(res, s.renderProduct(rb, p))
		}
		out = append(out, kv{"update", res})
	}
	if l, ok := req.body["delete"].([]any); ok {
		res := []any{}
		for _, e := range l {
			id, _ := asInt(e)
			p := s.st.products[id]
			if p == nil {
				res = append(res, itemErr(id, invalidProductID(400)))
				continue
			}
			body, _ := s.deleteProduct(rb, p, true, now) // batch delete is a force delete
			res = append(res, body)
		}
		out = append(out, kv{"delete", res})
	}
	return reply{body: out}
}

func (s *Sim) variationsCollection(req *request, parentID int64) reply {
	if req.method == http.MethodPost {
		if !req.authed {
			return errCannotCreate()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		parent := s.st.products[parentID]
		if parent == nil || parent.ParentID != 0 {
			return errReply(invalidProductID(http.StatusNotFound))
		}
		v, e := s.createProduct(req.body, parent, s.now().UTC().Truncate(time.Second))
		if e != nil {
			return errReply(e)
		}
		return created(reply{body: s.renderVariation(req.rb, v)},
			req.rb.url("/wc/v3/products/"+strconv.FormatInt(parentID, 10)+"/variations/"+strconv.FormatInt(v.ID, 10)))
	}
	page, perPage, r, ok := listParams(req)
	if !ok {
		return r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parent := s.st.products[parentID]
	if parent == nil || parent.ParentID != 0 {
		return errReply(invalidProductID(http.StatusNotFound))
	}
	var statuses map[string]bool
	if v, ok := req.q.get("status"); ok && v != "any" {
		statuses = csvSet(v)
	}
	vs := make([]*Product, 0, len(parent.Variations))
	for _, id := range parent.Variations {
		v := s.st.products[id]
		if v == nil || (statuses != nil && !statuses[v.Status]) || (statuses == nil && v.Status == "trash") {
			continue
		}
		vs = append(vs, v)
	}
	return productPage(req, vs, page, perPage, s.renderVariation)
}

func (s *Sim) variationItem(req *request, parentID, id int64) reply {
	if !req.authed {
		return errCannotItem(req.method)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.st.products[id]
	if v == nil || v.ParentID != parentID {
		return errReply(&restError{404, "woocommerce_rest_product_variation_invalid_id", "Invalid ID.", nil})
	}
	now := s.now().UTC().Truncate(time.Second)
	switch req.method {
	case http.MethodGet:
		return reply{body: project(s.renderVariation(req.rb, v), fieldsOf(req.q))}
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		if e := s.updateProduct(v, req.body, now); e != nil {
			return errReply(e)
		}
		return reply{body: s.renderVariation(req.rb, v)}
	case http.MethodDelete:
		body := s.renderVariation(req.rb, v)
		s.st.remove(v) // variations are deleted, never trashed
		return reply{body: body}
	}
	return errReply(errNoRoute())
}

// productPage sorts a product or variation listing, cuts the page and renders
// it with the paging headers and the _fields projection.
func productPage(req *request, ps []*Product, page, perPage int, render func(restBase, *Product) obj) reply {
	sortWP(ps, req.q.value("orderby"), req.q.value("order"), productSortKey)
	items, total, pages := paginate(ps, page, perPage)
	fields := fieldsOf(req.q)
	out := make([]obj, len(items))
	for i, p := range items {
		out[i] = project(render(req.rb, p), fields)
	}
	return listReply(out, total, pages, page)
}
