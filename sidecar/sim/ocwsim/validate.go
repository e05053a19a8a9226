package ocwsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

var (
	decimalRe  = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,6})?$`)
	currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)
)

const maxSKULen = 100

// decodeStrict decodes body into v, refusing unknown fields and trailing data.
func decodeStrict(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &typeErr):
			return errorf(http.StatusBadRequest, "invalid_field", "%s must be %s, not %s", typeErr.Field, jsonType(typeErr.Type.Kind().String()), typeErr.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return errorf(http.StatusBadRequest, "unknown_field", "%s (see docs/oncloudwine-api.md for the fields of this call)", strings.TrimPrefix(err.Error(), "json: "))
		default:
			return errorf(http.StatusBadRequest, "invalid_json", "request body: %v", err)
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(http.StatusBadRequest, "invalid_json", "request body has data after the JSON value")
	}
	return nil
}

func jsonType(kind string) string {
	switch kind {
	case "int", "int64", "int32", "uint", "uint64":
		return "an integer"
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "slice":
		return "an array"
	case "map", "struct":
		return "an object"
	default:
		return kind
	}
}

// requireKeys checks that every item of the array field of body has the
// given keys (JSON cannot tell a missing key from a zero value after decoding).
func requireKeys(body []byte, field string, keys ...string) *apiError {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return errorf(http.StatusBadRequest, "invalid_json", "request body must be a JSON object")
	}
	raw, ok := top[field]
	if !ok {
		return errorf(http.StatusBadRequest, "missing_field", "%s is required", field)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return errorf(http.StatusBadRequest, "invalid_field", "%s must be an array of objects", field)
	}
	for i, it := range items {
		for _, k := range keys {
			if _, ok := it[k]; !ok {
				return errorf(http.StatusBadRequest, "missing_field", "%s[%d].%s is required", field, i, k)
			}
		}
	}
	return nil
}

// requireObjectKeys checks that the body object has the given keys.
func requireObjectKeys(body []byte, keys ...string) *apiError {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return errorf(http.StatusBadRequest, "invalid_json", "request body must be a JSON object")
	}
	for _, k := range keys {
		if _, ok := top[k]; !ok {
			return errorf(http.StatusBadRequest, "missing_field", "%s is required", k)
		}
	}
	return nil
}

// batchSize checks 1..MaxBatch items.
func batchSize(field string, n int) *apiError {
	switch {
	case n == 0:
		return errorf(http.StatusBadRequest, "empty_batch", "%s must not be empty", field)
	case n > MaxBatch:
		return errorf(http.StatusRequestEntityTooLarge, "too_many_items", "%s has %d items; at most %d per request", field, n, MaxBatch)
	}
	return nil
}

func checkSKU(where, sku string) *apiError {
	switch {
	case sku == "":
		return errorf(http.StatusBadRequest, "missing_field", "%s.sku is required", where)
	case len(sku) > maxSKULen:
		return errorf(http.StatusBadRequest, "invalid_field", "%s.sku is longer than %d characters", where, maxSKULen)
	case strings.TrimSpace(sku) != sku:
		return errorf(http.StatusBadRequest, "invalid_field", "%s.sku %q has leading or trailing spaces", where, sku)
	}
	return nil
}

// checkDecimal accepts a non-negative decimal string, or "" when optional.
func checkDecimal(where, v string, optional bool) *apiError {
	if v == "" && optional {
		return nil
	}
	if !decimalRe.MatchString(v) {
		return errorf(http.StatusBadRequest, "invalid_field", "%s must be a decimal string like \"30.50\", not %q", where, v)
	}
	return nil
}

func checkCurrency(where, v string) *apiError {
	if !currencyRe.MatchString(v) {
		return errorf(http.StatusBadRequest, "invalid_field", "%s must be an ISO 4217 code like \"EUR\", not %q", where, v)
	}
	return nil
}

func checkEnum(where, v string, allowed ...string) *apiError {
	if !slices.Contains(allowed, v) {
		return errorf(http.StatusBadRequest, "invalid_field", "%s must be one of %s, not %q", where, strings.Join(allowed, ", "), v)
	}
	return nil
}

func checkURL(where, v string) *apiError {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errorf(http.StatusBadRequest, "invalid_field", "%s must be an absolute http(s) URL, not %q", where, v)
	}
	return nil
}
