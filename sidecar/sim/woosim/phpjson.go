package woosim

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"
)

// kv is one member of an ordered JSON object.
type kv struct {
	K string
	V any
}

// obj is a JSON object whose members keep their order, like a PHP array.
type obj []kv

// rawJSON is already encoded JSON, written as is.
type rawJSON []byte

// phpFloat is a number PHP holds as a float (json_encode writes 40 for 40.0 only
// when the value came from an int; WooCommerce's line-item price does that).
type phpFloat float64

// only keeps the members named in fields (WordPress' _fields), in o's order.
func (o obj) only(fields map[string]bool) obj {
	out := make(obj, 0, len(fields))
	for _, m := range o {
		if fields[m.K] {
			out = append(out, m)
		}
	}
	return out
}

// phpJSON encodes v like PHP's json_encode with default flags, which is what
// WordPress sends and what WooCommerce signs: "/" escaped as "\/", every
// non-ASCII character as \uXXXX (lower-case hex, surrogate pairs).
func phpJSON(v any) []byte {
	var b bytes.Buffer
	writePHP(&b, v)
	return b.Bytes()
}

func writePHP(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int:
		b.WriteString(strconv.Itoa(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case *int:
		if x == nil {
			b.WriteString("null")
		} else {
			b.WriteString(strconv.Itoa(*x))
		}
	case phpFloat:
		b.WriteString(strconv.FormatFloat(float64(x), 'f', -1, 64))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case string:
		writePHPString(b, x)
	case *string:
		if x == nil {
			b.WriteString("null")
		} else {
			writePHPString(b, *x)
		}
	case time.Time:
		writePHPString(b, x.Format(wcTime))
	case rawJSON:
		b.Write(x)
	case obj:
		if len(x) == 0 {
			// PHP encodes an empty array as [] even where an object is meant.
			b.WriteString("[]")
			return
		}
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writePHPString(b, m.K)
			b.WriteByte(':')
			writePHP(b, m.V)
		}
		b.WriteByte('}')
	case emptyObject:
		b.WriteString("{}")
	case []any:
		writePHPList(b, x, writePHP)
	case []obj:
		writePHPList(b, x, func(b *bytes.Buffer, o obj) { writePHP(b, o) })
	case []string:
		writePHPList(b, x, writePHPString)
	case []int64:
		writePHPList(b, x, func(b *bytes.Buffer, n int64) { b.WriteString(strconv.FormatInt(n, 10)) })
	default:
		panic("woosim: phpJSON cannot encode this type")
	}
}

// writePHPList writes a JSON array of xs, each with write.
func writePHPList[T any](b *bytes.Buffer, xs []T, write func(*bytes.Buffer, T)) {
	b.WriteByte('[')
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(',')
		}
		write(b, x)
	}
	b.WriteByte(']')
}

// emptyObject encodes as {} (a PHP stdClass or an object with no properties).
type emptyObject struct{}

const hexDigits = "0123456789abcdef"

func writePHPString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			case '/':
				b.WriteString(`\/`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				if c < 0x20 {
					b.WriteString(`\u00`)
					b.WriteByte(hexDigits[c>>4])
					b.WriteByte(hexDigits[c&0xf])
				} else {
					b.WriteByte(c)
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			r -= 0x10000
			writeU(b, 0xD800+(r>>10))
			writeU(b, 0xDC00+(r&0x3FF))
			continue
		}
		writeU(b, r)
	}
	b.WriteByte('"')
}

func writeU(b *bytes.Buffer, r rune) {
	b.WriteString(`\u`)
	b.WriteByte(hexDigits[(r>>12)&0xf])
	b.WriteByte(hexDigits[(r>>8)&0xf])
	b.WriteByte(hexDigits[(r>>4)&0xf])
	b.WriteByte(hexDigits[r&0xf])
}

// wcTime is how WooCommerce writes dates in REST answers (site time, no zone).
const wcTime = "2006-01-02T15:04:05"
