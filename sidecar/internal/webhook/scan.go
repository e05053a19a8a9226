package webhook

import (
	"encoding/json"
	"errors"
)

// topLevelFields returns the raw JSON values of the named members of the
// top-level object in doc (nil where absent; the last one wins, as with
// encoding/json). doc must already be valid JSON: the scan then only needs to
// find member boundaries, which is several times cheaper than decoding a
// 2–8 KiB WooCommerce payload into a struct.
func topLevelFields(doc []byte, names ...string) ([][]byte, error) {
	out := make([][]byte, len(names))
	i := skipSpace(doc, 0)
	if i >= len(doc) || doc[i] != '{' {
		return nil, errors.New("payload is not a JSON object")
	}
	i = skipSpace(doc, i+1)
	if i < len(doc) && doc[i] == '}' {
		return out, nil
	}
	for i < len(doc) {
		keyEnd := skipString(doc, i)
		key := doc[i:keyEnd]
		i = skipSpace(doc, keyEnd)
		i = skipSpace(doc, i+1) // ':'
		valEnd := skipValue(doc, i)
		for n, name := range names {
			if keyEquals(key, name) {
				out[n] = doc[i:valEnd]
			}
		}
		i = skipSpace(doc, valEnd)
		if i >= len(doc) || doc[i] == '}' {
			break
		}
		i = skipSpace(doc, i+1) // ','
	}
	return out, nil
}

// keyEquals compares a quoted JSON key with name, decoding escapes only when
// the key has any.
func keyEquals(quoted []byte, name string) bool {
	inner := quoted[1 : len(quoted)-1]
	if len(inner) < len(name) {
		return false // an escape only ever makes the quoted key longer
	}
	for _, c := range inner {
		if c == '\\' {
			var s string
			return json.Unmarshal(quoted, &s) == nil && s == name
		}
	}
	return string(inner) == name
}

func skipSpace(doc []byte, i int) int {
	for i < len(doc) {
		switch doc[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string starting at doc[i] == '"'.
func skipString(doc []byte, i int) int {
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index after the value starting at doc[i].
func skipValue(doc []byte, i int) int {
	if i >= len(doc) {
		return i
	}
	switch doc[i] {
	case '"':
		return skipString(doc, i)
	case '{', '[':
		depth := 0
		for ; i < len(doc); i++ {
			switch doc[i] {
			case '"':
				i = skipString(doc, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	default: // number, true, false, null
		for ; i < len(doc); i++ {
			switch doc[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
		}
		return i
	}
}
