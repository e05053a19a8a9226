package woosim

import "net/http"

// setting is one WooCommerce setting option the simulator knows.
type setting struct {
	group, label, desc, typ, def string
	options                      obj
}

func (s *Sim) settings() map[string]setting {
	unitDesc := "This controls what unit you will define weights in."
	return map[string]setting{
		"woocommerce_weight_unit": {"products", "Weight unit", unitDesc, "select", "kg",
			obj{{"kg", "kg"}, {"g", "g"}, {"lbs", "lbs"}, {"oz", "oz"}}},
		"woocommerce_dimension_unit": {"products", "Dimensions unit", "This controls what unit you will define lengths in.", "select", "cm",
			obj{{"m", "m"}, {"cm", "cm"}, {"mm", "mm"}, {"in", "in"}, {"yd", "yd"}}},
		"woocommerce_currency": {"general", "Currency", "This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.", "select", "USD",
			obj{{"EUR", "Euro (&euro;)"}, {"GBP", "Pound sterling (&pound;)"}, {"USD", "United States (US) dollar (&#36;)"}}},
	}
}

// serveSettings answers GET /wc/v3/settings/{group}/{id} for the few options
// the sidecar reads (weight and dimension units, currency).
func (s *Sim) serveSettings(req *request) reply {
	p := req.parts
	if len(p) != 3 || req.method != http.MethodGet {
		return errReply(errNoRoute())
	}
	if !req.authed {
		return errCannotView()
	}
	group, id := p[1], p[2]
	if group != "products" && group != "general" {
		return errReply(&restError{404, "rest_setting_setting_group_invalid", "Invalid setting group.", nil})
	}
	st, ok := s.settings()[id]
	if !ok || st.group != group {
		return errReply(&restError{404, "rest_setting_setting_invalid", "Invalid setting.", nil})
	}
	value := st.def
	if id == "woocommerce_weight_unit" && s.opts.WeightUnit != "" {
		value = s.opts.WeightUnit
	}
	body := obj{{"id", id}, {"label", st.label}, {"description", st.desc}, {"type", st.typ}, {"default", st.def},
		{"options", st.options}, {"tip", st.desc}, {"value", value}, {"group_id", group},
		{"_links", obj{
			{"self", []obj{{{"href", req.rb.url("/wc/v3/settings/" + group + "/" + id)}}}},
			{"collection", []obj{{{"href", req.rb.url("/wc/v3/settings/" + group)}}}},
		}}}
	return withAllow(reply{body: body}, "GET, POST, PUT, PATCH")
}
