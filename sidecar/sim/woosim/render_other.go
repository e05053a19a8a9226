package woosim

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// restBase builds REST URLs the way WordPress' rest_url() does for the store.
type restBase struct {
	home  string // https://host:port
	plain bool   // plain permalinks: index.php?rest_route=
	edit  bool   // context=edit (answers to writes): a few more fields
}

// editing returns rb for an answer in context "edit".
func (rb restBase) editing() restBase {
	rb.edit = true
	return rb
}

func (rb restBase) url(route string) string {
	if rb.plain {
		return rb.home + "/index.php?rest_route=" + route
	}
	return rb.home + "/wp-json" + route
}

func renderAddress(a Address, withEmail bool) obj {
	o := obj{{"first_name", a.FirstName}, {"last_name", a.LastName}, {"company", a.Company},
		{"address_1", a.Address1}, {"address_2", a.Address2}, {"city", a.City}, {"state", a.State},
		{"postcode", a.Postcode}, {"country", a.Country}}
	if withEmail {
		o = append(o, kv{"email", a.Email})
	}
	return append(o, kv{"phone", a.Phone})
}

func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// attrDisplay maps a line-item attribute meta key to its label.
var attrDisplay = map[string]string{"pa_size": "Size", "pa_vintage": "Vintage"}

func (s *Sim) renderOrder(rb restBase, o *Order) obj {
	var items []obj
	var sum int64
	for _, li := range o.LineItems {
		sum += cents(li.Total)
		metas := make([]obj, 0, len(li.MetaData))
		for _, m := range li.MetaData {
			val := metaValue(m.Value)
			key, display := m.Key, m.Key
			if label, ok := attrDisplay[m.Key]; ok {
				display = label
				if sv, ok := m.Value.(string); ok {
					val = sizeSlug(sv)
				}
			}
			metas = append(metas, obj{{"id", m.ID}, {"key", key}, {"value", val}, {"display_key", display}, {"display_value", metaValue(m.Value)}})
		}
		var image obj
		var parentName any
		if li.VariationID != 0 {
			image = obj{{"id", 0}, {"src", ""}}
			parentName = li.ParentName
		} else {
			image = obj{{"id", ""}, {"src", ""}}
		}
		items = append(items, obj{{"id", li.ID}, {"name", li.Name}, {"product_id", li.ProductID}, {"variation_id", li.VariationID},
			{"quantity", li.Quantity}, {"tax_class", ""}, {"subtotal", li.Subtotal}, {"subtotal_tax", "0.00"},
			{"total", li.Total}, {"total_tax", "0.00"}, {"taxes", []any{}}, {"meta_data", metas}, {"sku", li.SKU},
			{"price", phpFloat(li.Price)}, {"image", image}, {"parent_name", parentName}})
	}
	if items == nil {
		items = []obj{}
	}
	var shipping int64
	ships := []obj{}
	for _, sl := range o.ShippingLines {
		shipping += cents(sl.Total)
		so := obj{{"id", sl.ID}, {"method_title", sl.MethodTitle}, {"method_id", sl.MethodID}, {"instance_id", ""},
			{"total", sl.Total}, {"total_tax", "0.00"}, {"taxes", []any{}}}
		if s.modern() {
			so = append(so, kv{"tax_status", "taxable"})
		}
		ships = append(ships, append(so, kv{"meta_data", []any{}}))
	}
	id := strconv.FormatInt(o.ID, 10)
	paid := o.DatePaid != nil
	version := o.Version
	if version == "" {
		version = s.opts.WCVersion
	}
	out := obj{
		{"id", o.ID}, {"parent_id", 0}, {"status", o.Status}, {"currency", o.Currency}, {"version", version},
		{"prices_include_tax", false}, {"date_created", o.DateCreated}, {"date_modified", o.DateModified},
		{"discount_total", "0.00"}, {"discount_tax", "0.00"}, {"shipping_total", money(shipping)}, {"shipping_tax", "0.00"},
		{"cart_tax", "0.00"}, {"total", money(sum + shipping)}, {"total_tax", "0.00"}, {"customer_id", o.CustomerID},
		{"order_key", o.OrderKey}, {"billing", renderAddress(o.Billing, true)}, {"shipping", renderAddress(o.Shipping, false)},
		{"payment_method", o.PaymentMethod}, {"payment_method_title", o.PaymentMethodTitle}, {"transaction_id", o.TransactionID},
		{"customer_ip_address", ""}, {"customer_user_agent", ""}, {"created_via", o.CreatedVia}, {"customer_note", o.CustomerNote},
		{"date_completed", optTime(o.DateCompleted)}, {"date_paid", optTime(o.DatePaid)}, {"cart_hash", ""}, {"number", id},
		{"meta_data", renderMeta(o.MetaData)}, {"line_items", items}, {"tax_lines", []any{}}, {"shipping_lines", ships},
		{"fee_lines", []any{}}, {"coupon_lines", []any{}}, {"refunds", renderRefunds(o.Refunds)},
		{"payment_url", rb.home + "/checkout/order-pay/" + id + "/?pay_for_order=true&key=" + o.OrderKey},
		{"is_editable", o.Status == "pending" || o.Status == "on-hold"}, {"needs_payment", !paid && o.Status == "pending"},
		{"needs_processing", true},
		{"date_created_gmt", o.DateCreated}, {"date_modified_gmt", o.DateModified},
		{"date_completed_gmt", optTime(o.DateCompleted)}, {"date_paid_gmt", optTime(o.DatePaid)}, {"currency_symbol", "$"},
	}
	var extra []kv
	if s.modern() {
		extra = append(extra, kv{"email_templates", []obj{{{"embeddable", true}, {"href", rb.url("/wc/v3/orders/" + id + "/actions/email_templates")}}}})
	}
	if o.CustomerID != 0 {
		extra = append(extra, kv{"customer", []obj{{{"href", rb.url("/wc/v3/customers/" + strconv.FormatInt(o.CustomerID, 10))}}}})
	}
	return append(out, kv{"_links", s.links(rb, "/wc/v3/orders/"+id, "/wc/v3/orders", extra...)})
}

func (s *Sim) renderCustomer(rb restBase, c *Customer) obj {
	// WordPress ≥ 6.8 hashes the e-mail with SHA-256 for Gravatar, older with MD5.
	email := []byte(strings.ToLower(strings.TrimSpace(c.Email)))
	var hash string
	if s.modern() {
		sum := sha256.Sum256(email)
		hash = hex.EncodeToString(sum[:])
	} else {
		sum := md5.Sum(email)
		hash = hex.EncodeToString(sum[:])
	}
	id := strconv.FormatInt(c.ID, 10)
	return obj{
		{"id", c.ID}, {"date_created", c.DateCreated}, {"date_created_gmt", c.DateCreated},
		{"date_modified", c.DateModified}, {"date_modified_gmt", c.DateModified},
		{"email", c.Email}, {"first_name", c.FirstName}, {"last_name", c.LastName}, {"role", c.Role}, {"username", c.Username},
		{"billing", renderAddress(c.Billing, true)}, {"shipping", renderAddress(c.Shipping, false)},
		{"is_paying_customer", c.IsPayingCustomer},
		{"avatar_url", "https://secure.gravatar.com/avatar/" + hash + "?s=96&d=mm&r=g"},
		{"meta_data", renderMeta(c.MetaData)},
		{"_links", s.links(rb, "/wc/v3/customers/"+id, "/wc/v3/customers")},
	}
}

// webhookHooks are the WordPress actions WooCommerce lists for each topic.
var webhookHooks = map[string][]string{
	"product.created":  {"woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation"},
	"product.updated":  {"woocommerce_process_product_meta", "woocommerce_update_product", "woocommerce_update_product_variation"},
	"product.deleted":  {"wp_trash_post"},
	"product.restored": {"untrashed_post"},
	"order.created":    {"woocommerce_new_order"},
	"order.updated":    {"woocommerce_update_order", "woocommerce_order_refunded"},
	"order.deleted":    {"wp_trash_post", "woocommerce_trash_order"},
	"order.restored":   {"untrashed_post", "woocommerce_untrash_order"},
	"customer.created": {"user_register", "woocommerce_created_customer", "woocommerce_new_customer"},
	"customer.updated": {"updated_user_meta", "woocommerce_update_customer"},
	"customer.deleted": {"delete_user"},
}

func (s *Sim) renderWebhook(rb restBase, w *Webhook) obj {
	resource, event, _ := strings.Cut(w.Topic, ".")
	hooks := webhookHooks[w.Topic]
	if hooks == nil {
		hooks = []string{}
	}
	id := strconv.FormatInt(w.ID, 10)
	return obj{
		{"id", w.ID}, {"name", w.Name}, {"status", w.Status}, {"topic", w.Topic}, {"resource", resource}, {"event", event},
		{"hooks", hooks}, {"delivery_url", w.DeliveryURL},
		{"date_created", w.DateCreated}, {"date_created_gmt", w.DateCreated},
		{"date_modified", optTime(w.DateModified)}, {"date_modified_gmt", optTime(w.DateModified)},
		{"_links", s.links(rb, "/wc/v3/webhooks/"+id, "/wc/v3/webhooks")},
	}
}
