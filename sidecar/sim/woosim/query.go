package woosim

import (
	"net/url"
	"strings"
)

// qparam is one query parameter, kept in request order like PHP's $_GET.
type qparam struct {
	key, value string
	bare       bool // written without "=" (e.g. the "wp-json/wc/" marker)
}

type query []qparam

// parseQuery splits a raw query string the way PHP fills $_GET (order kept,
// a later duplicate replaces an earlier one in place).
func parseQuery(raw string) query {
	var q query
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, hasEq := strings.Cut(part, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			dk = k
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			dv = v
		}
		q = q.set(dk, dv, !hasEq)
	}
	return q
}

func (q query) get(k string) (string, bool) {
	for _, p := range q {
		if p.key == k {
			return p.value, true
		}
	}
	return "", false
}

func (q query) value(k string) string {
	v, _ := q.get(k)
	return v
}

// set replaces k in place or appends it (WordPress' add_query_arg).
func (q query) set(k, v string, bare bool) query {
	for i := range q {
		if q[i].key == k {
			out := append(query(nil), q...)
			out[i] = qparam{k, v, bare}
			return out
		}
	}
	return append(append(query(nil), q...), qparam{k, v, bare})
}

// phpURLEncode is PHP's urlencode (spaces as +, ~ encoded).
func phpURLEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "~", "%7E")
}

// rawURLEncode is PHP's rawurlencode (RFC 3986).
func rawURLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&0xf])
	}
	return b.String()
}

// addQueryArgs appends q to base like add_query_arg(urlencode_deep(q), base):
// keys as given, values urlencoded, parameters already in base replaced in place.
func addQueryArgs(base string, q query) string {
	path, rawQ, _ := strings.Cut(base, "?")
	merged := parseQuery(rawQ)
	for _, p := range q {
		merged = merged.set(p.key, p.value, p.bare)
	}
	if len(merged) == 0 {
		return path
	}
	var b strings.Builder
	b.WriteString(path)
	b.WriteByte('?')
	for i, p := range merged {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		if p.bare && p.value == "" {
			continue
		}
		b.WriteByte('=')
		b.WriteString(phpURLEncode(p.value))
	}
	return b.String()
}
