package woosim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const (
	allowCollection = "GET, POST"
	allowItem       = "GET, POST, PUT, PATCH, DELETE"
	allowBatch      = "POST, PUT, PATCH"
	allowRead       = "GET"
)

func isWrite(m string) bool {
	return m == http.MethodPost || m == http.MethodPut || m == http.MethodPatch
}

// dispatch routes an authenticated (or anonymous) REST request.
func (s *Sim) dispatch(req *request) reply {
	if req.route == "/" {
		if req.method != http.MethodGet {
			return errReply(errNoRoute())
		}
		return s.serveIndex(req)
	}
	if req.route == "/wc/v3" {
		if req.method != http.MethodGet {
			return errReply(errNoRoute())
		}
		return s.serveNamespace(req)
	}
	if !strings.HasPrefix(req.route, "/wc/v3/") {
		return errReply(errNoRoute())
	}
	req.parts = strings.Split(strings.TrimPrefix(req.route, "/wc/v3/"), "/")
	if isWrite(req.method) {
		if e := req.readBody(); e != nil {
			return errReply(e)
		}
	}
	var rep reply
	switch req.parts[0] {
	case "system_status":
		rep = s.serveSystemStatus(req)
	case "products":
		rep = s.serveProducts(req)
	case "orders":
		rep = s.serveOrders(req)
	case "customers":
		rep = s.serveCustomers(req)
	case "webhooks":
		rep = s.serveWebhooks(req)
	case "settings":
		rep = s.serveSettings(req)
	case "oncloudwine":
		if s.opts.NoPlugin {
			return errReply(errNoRoute())
		}
		rep = s.servePlugin(req)
	default:
		return errReply(errNoRoute())
	}
	if rep.paged {
		pageLinks(req, &rep)
	}
	return rep
}

func errReply(e *restError) reply { return reply{status: e.status, body: e.body()} }

func withAllow(rep reply, allow string) reply {
	if rep.headers == nil {
		rep.headers = http.Header{}
	}
	if rep.headers.Get("Allow") == "" {
		rep.headers.Set("Allow", allow)
	}
	return rep
}

// readBody decodes a JSON (or form) request body into req.body.
func (req *request) readBody() *restError {
	raw, err := io.ReadAll(io.LimitReader(req.r.Body, 32<<20))
	if err != nil {
		return &restError{400, "rest_invalid_json", "Invalid JSON body passed.", nil}
	}
	req.raw = raw
	req.body = map[string]any{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	if strings.HasPrefix(req.r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		for _, p := range parseQuery(string(raw)) {
			req.body[p.key] = p.value
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return &restError{400, "rest_invalid_json", "Invalid JSON body passed.", obj{{"json_error_code", 4}, {"json_error_message", "Syntax error"}}}
	}
	if m, ok := v.(map[string]any); ok {
		req.body = m
	}
	return nil
}

// Helpers reading loosely typed JSON values the way WordPress' schema casts them.

func asString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		if x {
			return "1", true
		}
		return "", true
	case nil:
		return "", true
	}
	return "", false
}

func asInt(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, true
		}
		if f, err := x.Float64(); err == nil {
			return int64(f), true
		}
	case string:
		if i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return i, true
		}
	case float64:
		return int64(x), true
	case int:
		return int64(x), true
	case int64:
		return x, true
	}
	return 0, false
}

func asBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(x) {
		case "true", "1", "yes":
			return true, true
		case "false", "0", "no", "":
			return false, true
		}
	case json.Number:
		return x.String() != "0", true
	}
	return false, false
}

// plainValue converts decoded JSON to values the renderer can encode.
func plainValue(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		o := obj{}
		for k, e := range x {
			o = append(o, kv{k, plainValue(e)})
		}
		return o
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainValue(e)
		}
		return out
	}
	return v
}

// pageParams validates page and per_page like WordPress' collection params.
func pageParams(q query, maxPerPage int) (page, perPage int, e *restError) {
	page, perPage = 1, 10
	if v, ok := q.get("per_page"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, 0, invalidParam("per_page", "rest_invalid_type", "per_page is not of type integer.")
		}
		if n < 1 || n > maxPerPage {
			return 0, 0, invalidParam("per_page", "rest_out_of_bounds", "per_page must be between 1 (inclusive) and "+strconv.Itoa(maxPerPage)+" (inclusive)")
		}
		perPage = n
	}
	if v, ok := q.get("page"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return 0, 0, invalidParam("page", "rest_invalid_type", "page is not of type integer.")
		}
		if n < 1 {
			return 0, 0, invalidParam("page", "rest_out_of_bounds", "page must be greater than or equal to 1")
		}
		page = n
	}
	return page, perPage, nil
}

// invalidParam is WordPress' 400 rest_invalid_param for one parameter.
func invalidParam(name, code, msg string) *restError {
	return &restError{400, "rest_invalid_param", "Invalid parameter(s): " + name, obj{
		{"params", obj{{name, msg}}},
		{"details", obj{{name, obj{{"code", code}, {"message", msg}, {"data", nil}}}}},
	}}
}

// paginate cuts ids to one page and fills the paging fields of rep.
func paginate[T any](all []T, page, perPage int) (pageItems []T, total, pages int) {
	total = len(all)
	pages = (total + perPage - 1) / perPage
	start := (page - 1) * perPage
	if start >= total {
		return nil, total, pages
	}
	end := start + perPage
	if end > total {
		end = total
	}
	return all[start:end], total, pages
}

// fieldsOf parses _fields (top-level names; "a.b" keeps a).
func fieldsOf(q query) map[string]bool {
	v, ok := q.get("_fields")
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	f := map[string]bool{}
	for _, name := range strings.Split(v, ",") {
		name = strings.TrimSpace(name)
		if top, _, found := strings.Cut(name, "."); found {
			name = top
		}
		if name != "" {
			f[name] = true
		}
	}
	return f
}

// project applies _fields to a rendered object.
func project(o obj, fields map[string]bool) obj {
	if fields == nil {
		return o
	}
	return o.only(fields)
}

// listReply builds a paged collection answer.
func listReply(items []obj, total, pages, page int) reply {
	body := make([]any, len(items))
	for i, it := range items {
		body[i] = it
	}
	return reply{body: body, paged: true, total: total, pages: pages, page: page, items: len(items)}
}

func idPart(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}

func created(rep reply, location string) reply {
	rep.status = http.StatusCreated
	if rep.headers == nil {
		rep.headers = http.Header{}
	}
	rep.headers.Set("Location", location)
	return rep
}
