package woosim

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// servePlugin answers the OnCloudWine plugin's read routes (docs/plugin-routes.md).
func (s *Sim) servePlugin(req *request) reply {
	p := req.parts
	if req.method != http.MethodGet {
		return errReply(errNoRoute())
	}
	switch {
	case len(p) == 2 && p[1] == "catalog":
		return withAllow(s.pluginCatalog(req), allowRead)
	case len(p) == 2 && p[1] == "stock":
		return withAllow(s.pluginStock(req), allowRead)
	case len(p) == 4 && p[1] == "orders" && p[2] == "by-release" && releaseIDOK(p[3]):
		return withAllow(s.pluginOrderByRelease(req, p[3]), allowRead)
	}
	return errReply(errNoRoute())
}

// forbidden is the plugin's can_manage() answer to a request without a key.
func forbidden() reply {
	return errCannotList()
}

// releaseIDOK is the route pattern [A-Za-z0-9_.:-]+ of orders/by-release.
func releaseIDOK(id string) bool {
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_.:-", c)) {
			return false
		}
	}
	return id != ""
}

// keysetParams reads after_id and limit (1..max, default max).
func keysetParams(q query, max int) (afterID int64, limit int, e *restError) {
	limit = max
	if v, ok := q.get("after_id"); ok && v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, 0, invalidParam("after_id", "rest_invalid_type", "after_id is not of type integer.")
		}
		if id < 0 {
			return 0, 0, invalidParam("after_id", "rest_out_of_bounds", "after_id must be greater than or equal to 0")
		}
		afterID = id
	}
	if v, ok := q.get("limit"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, invalidParam("limit", "rest_invalid_type", "limit is not of type integer.")
		}
		if n < 1 || n > max {
			return 0, 0, invalidParam("limit", "rest_out_of_bounds", "limit must be between 1 (inclusive) and "+strconv.Itoa(max)+" (inclusive)")
		}
		limit = n
	}
	return afterID, limit, nil
}

func pluginAttrs(p *Product, variation bool) []obj {
	out := make([]obj, 0, len(p.Attributes))
	for _, a := range p.Attributes {
		if variation {
			out = append(out, obj{{"id", a.ID}, {"name", a.Name}, {"slug", a.Slug}, {"option", a.Option}})
			continue
		}
		out = append(out, obj{{"id", a.ID}, {"name", a.Name}, {"slug", a.Slug}, {"variation", a.Variation}, {"options", a.Options}})
	}
	return out
}

func (s *Sim) pluginCatalog(req *request) reply {
	afterID, limit, e := keysetParams(req.q, 500)
	if e != nil {
		return errReply(e)
	}
	var since *time.Time
	if v, ok := req.q.get("modified_after"); ok && v != "" {
		t, ok := parseDate(v)
		if !ok {
			return errReply(invalidParam("modified_after", "rest_invalid_date", "Invalid date."))
		}
		since = &t
	}
	if !req.authed {
		return forbidden()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	listed := func(p *Product) bool {
		return p != nil && p.Status != "trash" && p.Status != "auto-draft" && (since == nil || st.changedSince(p, *since))
	}
	start := sort.Search(len(st.top), func(i int) bool { return st.top[i] > afterID })
	total := 0
	for _, id := range st.top {
		if listed(st.products[id]) {
			total++
		}
	}
	products := make([]any, 0, limit)
	var last int64
	more := false
	for i := start; i < len(st.top); i++ {
		p := st.products[st.top[i]]
		if !listed(p) {
			continue
		}
		if len(products) == limit {
			more = true
			break
		}
		products = append(products, s.pluginProduct(p))
		last = p.ID
	}
	var next any
	if more {
		next = last
	}
	rep := reply{body: obj{{"products", products}, {"next_after_id", next}}, items: len(products)}
	rep.headers = http.Header{"X-Wp-Total": {strconv.Itoa(total)}}
	return rep
}

// changedSince is the plugin's modified_after: the product's own
// post_modified_gmt, or any of its variations', is at or after since.
func (st *state) changedSince(p *Product, since time.Time) bool {
	if !p.DateModified.Before(since) {
		return true
	}
	for _, vid := range p.Variations {
		if v := st.products[vid]; v != nil && !v.DateModified.Before(since) {
			return true
		}
	}
	return false
}

func (s *Sim) pluginProduct(p *Product) obj {
	st := s.st
	manage, qty, status := st.stockView(p)
	price := activePrice(p)
	if p.Type == "variable" {
		price, _ = st.priceRange(p)
	}
	vars := make([]obj, 0, len(p.Variations))
	for _, vid := range p.Variations {
		v := st.products[vid]
		if v == nil || v.Status == "trash" {
			continue
		}
		vm, vq, vs := st.stockView(v)
		vars = append(vars, obj{{"id", v.ID}, {"parent_id", v.ParentID}, {"sku", st.reportedSKU(v)}, {"status", v.Status},
			{"price", activePrice(v)}, {"regular_price", v.RegularPrice}, {"sale_price", v.SalePrice}, {"weight", st.weight(v)},
			{"manage_stock", vm}, {"stock_quantity", vq}, {"stock_status", vs}, {"date_modified_gmt", v.DateModified},
			{"attributes", pluginAttrs(v, true)}})
	}
	return obj{{"id", p.ID}, {"name", p.Name}, {"type", p.Type}, {"status", p.Status}, {"sku", p.SKU},
		{"price", price}, {"regular_price", p.RegularPrice}, {"sale_price", p.SalePrice}, {"weight", p.Weight},
		{"manage_stock", manage}, {"stock_quantity", qty}, {"stock_status", status}, {"date_modified_gmt", p.DateModified},
		{"attributes", pluginAttrs(p, false)}, {"variations", vars}}
}

func (s *Sim) pluginStock(req *request) reply {
	afterID, limit, e := keysetParams(req.q, 5000)
	if e != nil {
		return errReply(e)
	}
	if !req.authed {
		return forbidden()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	ids := make([]int64, 0, len(st.products))
	for id, p := range st.products {
		if id <= afterID || p.Status == "trash" {
			continue
		}
		if p.ParentID != 0 {
			if parent := st.products[p.ParentID]; parent == nil || parent.Status == "trash" {
				continue
			}
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var next any
	if len(ids) > limit {
		ids = ids[:limit]
		next = ids[limit-1]
	}
	levels := make([]any, 0, len(ids))
	for _, id := range ids {
		p := st.products[id]
		manage, qty, status := st.stockView(p)
		levels = append(levels, obj{{"id", p.ID}, {"parent_id", p.ParentID}, {"sku", st.reportedSKU(p)},
			{"manage_stock", manage}, {"stock_quantity", qty}, {"stock_status", status}, {"date_modified_gmt", p.DateModified}})
	}
	return reply{body: obj{{"levels", levels}, {"next_after_id", next}}}
}

// ReleaseOrderMetaKey is the order meta the plugin's lookup route searches.
const ReleaseOrderMetaKey = "_oncloudwine_release_order_id"

func (s *Sim) pluginOrderByRelease(req *request, releaseID string) reply {
	if !req.authed {
		return forbidden()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.st.orderIDs {
		o := s.st.orders[id]
		if o == nil {
			continue
		}
		for _, m := range o.MetaData {
			if v, ok := m.Value.(string); ok && m.Key == ReleaseOrderMetaKey && v == releaseID {
				return reply{body: obj{{"id", o.ID}, {"number", strconv.FormatInt(o.ID, 10)}, {"status", o.Status},
					{"release_order_id", releaseID}, {"date_created_gmt", o.DateCreated}}}
			}
		}
	}
	return errReply(&restError{404, "oncloudwine_order_not_found", "No order mirrors release order " + releaseID + ".", nil})
}
