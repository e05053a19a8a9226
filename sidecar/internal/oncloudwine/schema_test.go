package oncloudwine

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// jsonSchema is a small validator for the JSON Schema subset that
// docs/openapi/oncloudwine.yaml uses. It refuses schemas with keywords it
// does not know, so the OpenAPI file cannot silently outgrow the check.
type jsonSchema struct {
	root map[string]any // the whole OpenAPI document, for $ref
}

var knownKeywords = map[string]bool{
	"$ref": true, "type": true, "enum": true, "const": true, "properties": true, "required": true,
	"additionalProperties": true, "items": true, "minItems": true, "maxItems": true, "minLength": true,
	"maxLength": true, "pattern": true, "minimum": true, "maximum": true, "format": true, "oneOf": true,
	"anyOf": true, "description": true, "example": true, "default": true,
}

// validate returns the problems of value v against schema s ("" = valid).
func (j jsonSchema) validate(at string, s map[string]any, v any) []string {
	var errs []string
	for k := range s {
		if !knownKeywords[k] {
			errs = append(errs, fmt.Sprintf("%s: schema keyword %q not supported by the test validator", at, k))
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		target, err := j.resolve(ref)
		if err != nil {
			return append(errs, fmt.Sprintf("%s: %v", at, err))
		}
		errs = append(errs, j.validate(at, target, v)...)
	}
	if t, ok := s["type"]; ok && !typeMatches(t, v) {
		return append(errs, fmt.Sprintf("%s: %s is not of type %v", at, describe(v), t))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return equalJSON(e, v) }) {
		errs = append(errs, fmt.Sprintf("%s: %s not in %v", at, describe(v), enum))
	}
	if c, ok := s["const"]; ok && !equalJSON(c, v) {
		errs = append(errs, fmt.Sprintf("%s: %s is not %v", at, describe(v), c))
	}
	switch val := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := val[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", at, r))
			}
		}
		for k, pv := range val {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, j.validate(at+"."+k, ps, pv)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					errs = append(errs, fmt.Sprintf("%s: property %q not allowed", at, k))
				}
			case map[string]any:
				errs = append(errs, j.validate(at+"."+k, ap, pv)...)
			}
		}
	case []any:
		if n, ok := number(s["minItems"]); ok && float64(len(val)) < n {
			errs = append(errs, fmt.Sprintf("%s: %d items, fewer than %v", at, len(val), n))
		}
		if n, ok := number(s["maxItems"]); ok && float64(len(val)) > n {
			errs = append(errs, fmt.Sprintf("%s: %d items, more than %v", at, len(val), n))
		}
		if is, ok := s["items"].(map[string]any); ok {
			for i, item := range val {
				errs = append(errs, j.validate(fmt.Sprintf("%s[%d]", at, i), is, item)...)
			}
		}
	case string:
		if n, ok := number(s["minLength"]); ok && float64(len([]rune(val))) < n {
			errs = append(errs, fmt.Sprintf("%s: %q shorter than %v", at, val, n))
		}
		if n, ok := number(s["maxLength"]); ok && float64(len([]rune(val))) > n {
			errs = append(errs, fmt.Sprintf("%s: %q longer than %v", at, val, n))
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(val) {
			errs = append(errs, fmt.Sprintf("%s: %q does not match %s", at, val, p))
		}
		if s["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, val); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not an RFC 3339 date-time", at, val))
			}
		}
	case float64:
		if n, ok := number(s["minimum"]); ok && val < n {
			errs = append(errs, fmt.Sprintf("%s: %v below minimum %v", at, val, n))
		}
		if n, ok := number(s["maximum"]); ok && val > n {
			errs = append(errs, fmt.Sprintf("%s: %v above maximum %v", at, val, n))
		}
	}
	if one := asList(s["oneOf"]); len(one) > 0 {
		matches := 0
		for _, sub := range one {
			if len(j.validate(at, sub.(map[string]any), v)) == 0 {
				matches++
			}
		}
		if matches != 1 {
			errs = append(errs, fmt.Sprintf("%s: %s matches %d of oneOf, want exactly 1", at, describe(v), matches))
		}
	}
	if anyOf := asList(s["anyOf"]); len(anyOf) > 0 && !slices.ContainsFunc(anyOf, func(sub any) bool {
		return len(j.validate(at, sub.(map[string]any), v)) == 0
	}) {
		errs = append(errs, fmt.Sprintf("%s: %s matches none of anyOf", at, describe(v)))
	}
	return errs
}

// resolve follows a local $ref such as "#/components/schemas/Variant".
func (j jsonSchema) resolve(ref string) (map[string]any, error) {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("only local $ref supported, got %q", ref)
	}
	var cur any = j.root
	for _, part := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: %q is not an object", ref, part)
		}
		if cur, ok = m[part]; !ok {
			return nil, fmt.Errorf("$ref %q: no %q", ref, part)
		}
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("$ref %q is not an object", ref)
	}
	if _, chained := m["$ref"]; chained && len(m) == 1 {
		return j.resolve(m["$ref"].(string))
	}
	return m, nil
}

func typeMatches(t any, v any) bool {
	for _, name := range asList(t) {
		if typeIs(name.(string), v) {
			return true
		}
	}
	if name, ok := t.(string); ok {
		return typeIs(name, v)
	}
	return false
}

func typeIs(name string, v any) bool {
	switch name {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "null":
		return v == nil
	}
	return false
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// equalJSON compares a YAML scalar with a JSON-decoded value.
func equalJSON(a, b any) bool {
	if fa, ok := number(a); ok {
		fb, ok := b.(float64)
		return ok && fa == fb
	}
	return a == b
}

func describe(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%#v", v)
}
