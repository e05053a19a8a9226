package woosim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// shape is the JSON type structure of one or more values: the types seen, the
// keys of the objects seen, and the merged shape of array elements.
type shape struct {
	types map[string]bool
	keys  map[string]*shape
	elem  *shape
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case map[string]any:
		if len(x) == 0 {
			return "empty"
		}
		return "object"
	case []any:
		if len(x) == 0 {
			return "empty"
		}
		return "array"
	}
	return fmt.Sprintf("%T", v)
}

func shapeOf(v any) *shape {
	s := &shape{types: map[string]bool{jsonType(v): true}}
	switch x := v.(type) {
	case map[string]any:
		s.keys = map[string]*shape{}
		for k, e := range x {
			s.keys[k] = shapeOf(e)
		}
	case []any:
		for _, e := range x {
			s.elem = mergeShape(s.elem, shapeOf(e))
		}
	}
	return s
}

func mergeShape(a, b *shape) *shape {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	out := &shape{types: map[string]bool{}}
	for t := range a.types {
		out.types[t] = true
	}
	for t := range b.types {
		out.types[t] = true
	}
	if a.keys != nil || b.keys != nil {
		out.keys = map[string]*shape{}
		for k, v := range a.keys {
			out.keys[k] = v
		}
		for k, v := range b.keys {
			out.keys[k] = mergeShape(out.keys[k], v)
		}
	}
	out.elem = mergeShape(a.elem, b.elem)
	return out
}

// covers lists where sim's shape lacks something of real's: a key, a JSON
// type, or array elements. null is compatible with every type (the value is
// state, not shape), and PHP's empty array [] stands for an empty object too.
func covers(real, sim *shape, path string) []string {
	var errs []string
	for t := range real.types {
		if t == "null" || t == "empty" || sim.types[t] {
			continue
		}
		if sim.types["null"] && len(sim.types) == 1 {
			continue
		}
		if (t == "object" || t == "array") && sim.types["empty"] {
			errs = append(errs, fmt.Sprintf("%s: real is a non-empty %s, simulator's is empty", path, t))
			continue
		}
		errs = append(errs, fmt.Sprintf("%s: real type %s, simulator has %s", path, t, typeList(sim.types)))
	}
	if real.types["object"] && sim.keys != nil {
		keys := make([]string, 0, len(real.keys))
		for k := range real.keys {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sk, ok := sim.keys[k]
			if !ok {
				errs = append(errs, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			errs = append(errs, covers(real.keys[k], sk, path+"."+k)...)
		}
	}
	if real.elem != nil {
		if sim.elem == nil {
			if !sim.types["null"] {
				errs = append(errs, fmt.Sprintf("%s[]: real array has elements, simulator's is empty", path))
			}
		} else {
			errs = append(errs, covers(real.elem, sim.elem, path+"[]")...)
		}
	}
	return errs
}

func typeList(m map[string]bool) string {
	var out []string
	for t := range m {
		out = append(out, t)
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}
