package woo

import (
	"reflect"
	"strings"
)

// jsonFields lists the JSON names of a struct's fields: the _fields
// projection that asks WooCommerce for exactly what the model decodes
// (smaller pages; measured 0.35 s instead of 0.6 s for 100 products).
func jsonFields(t reflect.Type) []string {
	out := make([]string, 0, t.NumField())
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// catalogFields returns the projections Catalog uses on the REST path.
func catalogFields() (product, variation []string) {
	return jsonFields(reflect.TypeFor[Product]()), jsonFields(reflect.TypeFor[Variation]())
}
