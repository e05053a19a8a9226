package woosim

import (
	"strconv"
	"strings"
	"time"
)

// applyProductFields sets the REST fields of body on p (create or update).
// It returns a REST error for an invalid or duplicated SKU.
func (s *Sim) applyProductFields(p *Product, body map[string]any) *restError {
	st := s.st
	if v, ok := body["sku"]; ok {
		sku, _ := asString(v)
		sku = strings.TrimSpace(sku)
		if sku != "" && sku != p.SKU {
			if other := st.bySKU(sku); other != nil && other.ID != p.ID {
				data := obj{{"resource_id", other.ID}}
				if s.modern() {
					data = append(data, kv{"unique_sku", s.uniqueSKU(sku)})
				}
				return &restError{400, "product_invalid_sku", "Invalid or duplicated SKU.", data}
			}
		}
		old := p.SKU
		p.SKU = sku
		if p.ID != 0 {
			st.reindexSKU(old, p)
		}
	}
	if v, ok := body["name"]; ok {
		p.Name, _ = asString(v)
		if p.Slug == "" {
			p.Slug = slugify(p.Name)
		}
	}
	if v, ok := body["slug"].(string); ok && v != "" {
		p.Slug = v
	}
	if v, ok := body["type"].(string); ok && p.ParentID == 0 {
		p.Type = v
	}
	if v, ok := body["status"].(string); ok {
		p.Status = v
	}
	for key, dst := range map[string]*string{"regular_price": &p.RegularPrice, "sale_price": &p.SalePrice, "weight": &p.Weight,
		"description": &p.Description, "short_description": &p.ShortDescription} {
		if v, ok := body[key]; ok {
			*dst, _ = asString(v)
		}
	}
	if v, ok := body["manage_stock"]; ok {
		p.ManageStock, _ = asBool(v)
		if !p.ManageStock {
			p.StockQuantity = nil
		}
	}
	if v, ok := body["stock_quantity"]; ok {
		if n, ok := asInt(v); ok && p.ManageStock {
			p.StockQuantity = intp(int(n))
		}
	}
	if v, ok := body["stock_status"].(string); ok && !p.ManageStock {
		p.StockStatus = v
	}
	if v, ok := body["backorders"].(string); ok {
		p.Backorders = v
	}
	if v, ok := body["menu_order"]; ok {
		if n, ok := asInt(v); ok {
			p.MenuOrder = int(n)
		}
	}
	if v, ok := body["meta_data"].([]any); ok {
		p.MetaData = s.mergeMeta(p.MetaData, v)
	}
	if v, ok := body["categories"].([]any); ok {
		p.Categories = p.Categories[:0]
		for _, c := range v {
			m, _ := c.(map[string]any)
			id, _ := asInt(m["id"])
			for _, t := range categories {
				if t.ID == id {
					p.Categories = append(p.Categories, t)
				}
			}
		}
	}
	if v, ok := body["attributes"].([]any); ok {
		p.Attributes = s.parseAttributes(v, p.ParentID != 0)
	}
	if p.ManageStock {
		p.StockStatus = stockStatusFor(p)
	}
	return nil
}

// uniqueSKU is the suggestion WooCommerce 10 adds to a duplicated-SKU error.
func (s *Sim) uniqueSKU(sku string) string {
	for i := 1; ; i++ {
		cand := sku + "-" + strconv.Itoa(i)
		if s.st.bySKU(cand) == nil {
			return cand
		}
	}
}

// mergeMeta applies meta_data from a request: entries with an id replace,
// entries with a key update that key or are added.
func (s *Sim) mergeMeta(ms []Meta, in []any) []Meta {
	out := append([]Meta(nil), ms...)
	for _, e := range in {
		m, _ := e.(map[string]any)
		if m == nil {
			continue
		}
		key, _ := asString(m["key"])
		val := plainValue(m["value"])
		id, hasID := asInt(m["id"])
		done := false
		for i := range out {
			if (hasID && out[i].ID == id) || (!hasID && key != "" && out[i].Key == key) {
				if key != "" {
					out[i].Key = key
				}
				out[i].Value = val
				done = true
				break
			}
		}
		if !done && key != "" {
			out = append(out, Meta{ID: s.st.newMetaID(), Key: key, Value: val})
		}
	}
	return out
}

func (s *Sim) parseAttributes(in []any, variation bool) []Attribute {
	var out []Attribute
	for i, e := range in {
		m, _ := e.(map[string]any)
		if m == nil {
			continue
		}
		a := Attribute{Position: i, Visible: true}
		a.ID, _ = asInt(m["id"])
		a.Name, _ = asString(m["name"])
		switch {
		case a.ID == attrSizeID || strings.EqualFold(a.Name, "size"):
			a.ID, a.Name, a.Slug = attrSizeID, "Size", "pa_size"
		case a.ID == attrVintageID || strings.EqualFold(a.Name, "vintage"):
			a.ID, a.Name, a.Slug = attrVintageID, "Vintage", "pa_vintage"
		default:
			a.Slug = slugify(a.Name)
		}
		if v, ok := m["visible"]; ok {
			a.Visible, _ = asBool(v)
		}
		if v, ok := m["variation"]; ok {
			a.Variation, _ = asBool(v)
		}
		if variation {
			a.Option, _ = asString(m["option"])
		}
		if opts, ok := m["options"].([]any); ok {
			for _, o := range opts {
				sv, _ := asString(o)
				a.Options = append(a.Options, sv)
			}
		}
		out = append(out, a)
	}
	return out
}

// createProduct stores a new product (or variation of parent) from REST fields.
func (s *Sim) createProduct(body map[string]any, parent *Product, now time.Time) (*Product, *restError) {
	p := &Product{Type: "simple", Status: "publish", Backorders: "no", DateCreated: now, DateModified: now}
	if parent != nil {
		p.Type, p.ParentID = "variation", parent.ID
	}
	if e := s.applyProductFields(p, body); e != nil {
		return nil, e
	}
	if parent != nil {
		var names []string
		for _, a := range p.Attributes {
			names = append(names, a.Option)
		}
		p.Name = strings.Join(names, ", ")
		p.Slug = parent.Slug + "-" + slugify(p.Name)
	}
	if p.Slug == "" {
		p.Slug = slugify(p.Name)
	}
	if len(p.Categories) == 0 && parent == nil {
		p.Categories = []Term{categories["Uncategorized"]}
	}
	p.ID = s.st.newPostID()
	s.st.put(p)
	if parent != nil {
		parent.Variations = append(parent.Variations, p.ID)
		s.st.touch(p, now)
	}
	s.st.emit("product.created", p.ID)
	return p, nil
}
