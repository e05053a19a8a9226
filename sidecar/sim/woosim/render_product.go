package woosim

import (
	"net/url"
	"strconv"
	"strings"
)

// links renders WordPress' _links: self (with targetHints on WordPress ≥ 6.7),
// collection, and optional extras (already rendered link lists).
func (s *Sim) links(rb restBase, self, collection string, extra ...kv) obj {
	selfLink := obj{{"href", rb.url(self)}}
	if s.modern() {
		selfLink = append(selfLink, kv{"targetHints", obj{{"allow", []string{"GET", "POST", "PUT", "PATCH", "DELETE"}}}})
	}
	o := obj{{"self", []obj{selfLink}}, {"collection", []obj{{{"href", rb.url(collection)}}}}}
	return append(o, extra...)
}

func upLink(rb restBase, route string) kv {
	return kv{"up", []obj{{{"href", rb.url(route)}}}}
}

func renderMeta(ms []Meta) []obj {
	out := make([]obj, 0, len(ms))
	for _, m := range ms {
		out = append(out, obj{{"id", m.ID}, {"key", m.Key}, {"value", metaValue(m.Value)}})
	}
	return out
}

// metaValue makes a request-decoded meta value encodable.
func metaValue(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int, int64, float64, obj:
		return x
	case map[string]any:
		o := obj{}
		for k, e := range x {
			o = append(o, kv{k, metaValue(e)})
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = metaValue(e)
		}
		return out
	}
	return nil
}

func dims() obj { return obj{{"length", ""}, {"width", ""}, {"height", ""}} }

// stockView is what REST shows for manage_stock / stock_quantity / stock_status,
// including the "parent" quirk of variations whose parent manages stock.
func (st *state) stockView(p *Product) (manage any, qty *int, status string) {
	if p.ParentID != 0 && !p.ManageStock {
		if parent := st.products[p.ParentID]; parent != nil && parent.ManageStock {
			return "parent", parent.StockQuantity, parent.StockStatus
		}
	}
	if !p.ManageStock {
		return false, nil, p.StockStatus
	}
	return true, p.StockQuantity, p.StockStatus
}

// permalink is the product's front-end URL; a variation's carries its attributes.
func (s *Sim) permalink(home string, p *Product) string {
	if p.ParentID == 0 {
		if p.Status == "draft" || p.Status == "pending" {
			return home + "/?post_type=product&p=" + strconv.FormatInt(p.ID, 10)
		}
		return home + "/product/" + p.Slug + "/"
	}
	parent := s.st.products[p.ParentID]
	if parent == nil {
		return home + "/"
	}
	var q []string
	for _, a := range p.Attributes {
		q = append(q, "attribute_"+a.Slug+"="+url.QueryEscape(sizeSlug(a.Option)))
	}
	return home + "/product/" + parent.Slug + "/?" + strings.Join(q, "&")
}

func priceSpan(price, hidden string) string {
	return `<span class="woocommerce-Price-amount amount"` + hidden + `><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>` + price + `</bdi></span>`
}

func (s *Sim) priceHTML(p *Product) string {
	if p.Type == "variable" {
		lo, hi := s.st.priceRange(p)
		if lo == "" {
			return ""
		}
		if lo == hi {
			return priceSpan(lo, "")
		}
		hidden := ""
		if s.modern() {
			hidden = ` aria-hidden="true"`
		}
		return priceSpan(lo, hidden) + ` <span aria-hidden="true">&ndash;</span> ` + priceSpan(hi, hidden) +
			`<span class="screen-reader-text">Price range: &#36;` + lo + ` through &#36;` + hi + `</span>`
	}
	if p.SalePrice != "" {
		return `<del aria-hidden="true">` + priceSpan(p.RegularPrice, "") + `</del> <span class="screen-reader-text">Original price was: &#36;` +
			p.RegularPrice + `.</span><ins aria-hidden="true">` + priceSpan(p.SalePrice, "") + `</ins><span class="screen-reader-text">Current price is: &#36;` + p.SalePrice + `.</span>`
	}
	if p.RegularPrice == "" {
		return ""
	}
	return priceSpan(p.RegularPrice, "")
}

// renderProduct renders p like GET /wc/v3/products/{id} (also for a variation,
// which is how webhooks and products?sku= show variations).
func (s *Sim) renderProduct(rb restBase, p *Product) obj {
	st := s.st
	home := rb.home
	manage, qty, stockStatus := st.stockView(p)
	price := activePrice(p)
	if p.Type == "variable" {
		price, _ = st.priceRange(p)
	}
	isVar := p.ParentID != 0
	var totalSales any = p.TotalSales
	if isVar {
		totalSales = strconv.Itoa(p.TotalSales) // a variation's total_sales comes as a string
	}
	attrs := make([]obj, 0, len(p.Attributes))
	for _, a := range p.Attributes {
		if isVar {
			o := obj{{"id", a.ID}, {"name", a.Name}}
			if s.modern() {
				o = append(o, kv{"slug", a.Slug})
			}
			attrs = append(attrs, append(o, kv{"option", a.Option}))
			continue
		}
		o := obj{{"id", a.ID}, {"name", a.Name}}
		if s.modern() {
			o = append(o, kv{"slug", a.Slug})
		}
		attrs = append(attrs, append(o, kv{"position", a.Position}, kv{"visible", a.Visible}, kv{"variation", a.Variation}, kv{"options", a.Options}))
	}
	defAttrs := make([]obj, 0, len(p.DefaultAttrs))
	for _, a := range p.DefaultAttrs {
		defAttrs = append(defAttrs, obj{{"id", a.ID}, {"name", a.Name}, {"option", a.Option}})
	}
	cats := make([]obj, 0, len(p.Categories))
	for _, c := range p.Categories {
		cats = append(cats, obj{{"id", c.ID}, {"name", c.Name}, {"slug", c.Slug}})
	}
	name := p.Name
	related := []int64{}
	if isVar {
		if parent := st.products[p.ParentID]; parent != nil {
			name = parent.Name + " - " + p.Name
		}
	} else {
		related = s.relatedIDs(p)
	}
	variations := p.Variations
	if variations == nil {
		variations = []int64{}
	}
	o := obj{
		{"id", p.ID}, {"name", name}, {"slug", p.Slug}, {"permalink", s.permalink(home, p)},
		{"date_created", p.DateCreated}, {"date_created_gmt", p.DateCreated},
		{"date_modified", p.DateModified}, {"date_modified_gmt", p.DateModified},
		{"type", p.Type}, {"status", p.Status}, {"featured", false}, {"catalog_visibility", "visible"},
		{"description", p.Description}, {"short_description", p.ShortDescription},
		{"sku", st.reportedSKU(p)}, {"price", price}, {"regular_price", p.RegularPrice}, {"sale_price", p.SalePrice},
		{"date_on_sale_from", nil}, {"date_on_sale_from_gmt", nil}, {"date_on_sale_to", nil}, {"date_on_sale_to_gmt", nil},
		{"on_sale", p.SalePrice != ""}, {"purchasable", price != ""}, {"total_sales", totalSales},
		{"virtual", false}, {"downloadable", false}, {"downloads", []any{}}, {"download_limit", -1}, {"download_expiry", -1},
		{"external_url", ""}, {"button_text", ""}, {"tax_status", "taxable"}, {"tax_class", ""},
		{"manage_stock", manage}, {"stock_quantity", qty}, {"backorders", p.Backorders},
		{"backorders_allowed", p.Backorders != "no"}, {"backordered", false}, {"low_stock_amount", nil},
		{"sold_individually", false}, {"weight", st.weight(p)}, {"dimensions", dims()},
		{"shipping_required", true}, {"shipping_taxable", true}, {"shipping_class", ""}, {"shipping_class_id", 0},
		{"reviews_allowed", !isVar}, {"average_rating", "0.00"}, {"rating_count", 0},
		{"upsell_ids", []int64{}}, {"cross_sell_ids", []int64{}}, {"parent_id", p.ParentID}, {"purchase_note", ""},
		{"categories", cats},
	}
	if s.modern() {
		o = append(o, kv{"brands", []any{}})
	}
	o = append(o,
		kv{"tags", []any{}}, kv{"images", []any{}}, kv{"attributes", attrs}, kv{"default_attributes", defAttrs},
		kv{"variations", variations}, kv{"grouped_products", []int64{}}, kv{"menu_order", p.MenuOrder},
		kv{"price_html", s.priceHTML(p)}, kv{"related_ids", related}, kv{"meta_data", renderMeta(p.MetaData)},
		kv{"stock_status", stockStatus}, kv{"has_options", p.Type == "variable"})
	if s.modern() {
		o = append(o, kv{"post_password", ""}, kv{"global_unique_id", ""})
		if rb.edit {
			o = append(o, kv{"permalink_template", home + "/product/%pagename%/"}, kv{"generated_slug", p.Slug})
		}
	}
	id := strconv.FormatInt(p.ID, 10)
	var extra []kv
	if isVar {
		extra = append(extra, upLink(rb, "/wc/v3/products/"+strconv.FormatInt(p.ParentID, 10)))
	}
	return append(o, kv{"_links", s.links(rb, "/wc/v3/products/"+id, "/wc/v3/products", extra...)})
}

// relatedIDs picks up to 5 other published products of the same category,
// deterministically (WooCommerce picks them at random).
func (s *Sim) relatedIDs(p *Product) []int64 {
	out := []int64{}
	if len(p.Categories) == 0 {
		return out
	}
	cat := p.Categories[0].ID
	for i := len(s.st.top) - 1; i >= 0 && len(out) < 5 && i >= len(s.st.top)-200; i-- {
		q := s.st.products[s.st.top[i]]
		if q == nil || q.ID == p.ID || q.Status != "publish" || len(q.Categories) == 0 || q.Categories[0].ID != cat {
			continue
		}
		out = append(out, q.ID)
	}
	return out
}

// renderVariation renders v like GET /wc/v3/products/{parent}/variations/{id}.
func (s *Sim) renderVariation(rb restBase, v *Product) obj {
	st := s.st
	manage, qty, stockStatus := st.stockView(v)
	attrs := make([]obj, 0, len(v.Attributes))
	for _, a := range v.Attributes {
		o := obj{{"id", a.ID}, {"name", a.Name}}
		if s.modern() {
			o = append(o, kv{"slug", a.Slug})
		}
		attrs = append(attrs, append(o, kv{"option", a.Option}))
	}
	desc := v.Description
	if desc == "" && v.ParentID != 0 {
		if parent := st.products[v.ParentID]; parent != nil && len(v.Attributes) == 2 {
			desc = "<p>" + parent.Name + " " + v.Attributes[1].Option + ", " + v.Attributes[0].Option + "</p>\n"
		}
	}
	price := activePrice(v)
	o := obj{{"id", v.ID}}
	if s.modern() {
		o = append(o, kv{"type", "variation"})
	}
	o = append(o,
		kv{"date_created", v.DateCreated}, kv{"date_created_gmt", v.DateCreated},
		kv{"date_modified", v.DateModified}, kv{"date_modified_gmt", v.DateModified},
		kv{"description", desc}, kv{"permalink", s.permalink(rb.home, v)}, kv{"sku", st.reportedSKU(v)})
	if s.modern() {
		o = append(o, kv{"global_unique_id", ""})
	}
	o = append(o,
		kv{"price", price}, kv{"regular_price", v.RegularPrice}, kv{"sale_price", v.SalePrice},
		kv{"date_on_sale_from", nil}, kv{"date_on_sale_from_gmt", nil}, kv{"date_on_sale_to", nil}, kv{"date_on_sale_to_gmt", nil},
		kv{"on_sale", v.SalePrice != ""}, kv{"status", v.Status}, kv{"purchasable", price != "" && v.Status == "publish"},
		kv{"virtual", false}, kv{"downloadable", false}, kv{"downloads", []any{}}, kv{"download_limit", -1}, kv{"download_expiry", -1},
		kv{"tax_status", "taxable"}, kv{"tax_class", ""},
		kv{"manage_stock", manage}, kv{"stock_quantity", qty}, kv{"stock_status", stockStatus},
		kv{"backorders", v.Backorders}, kv{"backorders_allowed", v.Backorders != "no"}, kv{"backordered", false},
		kv{"low_stock_amount", nil}, kv{"weight", st.weight(v)}, kv{"dimensions", dims()},
		kv{"shipping_class", ""}, kv{"shipping_class_id", 0}, kv{"image", nil}, kv{"attributes", attrs},
		kv{"menu_order", v.MenuOrder}, kv{"meta_data", renderMeta(v.MetaData)})
	if s.modern() {
		o = append(o, kv{"name", v.Name}, kv{"parent_id", v.ParentID})
	}
	parent := "/wc/v3/products/" + strconv.FormatInt(v.ParentID, 10)
	return append(o, kv{"_links", s.links(rb, parent+"/variations/"+strconv.FormatInt(v.ID, 10), parent+"/variations", upLink(rb, parent))})
}
