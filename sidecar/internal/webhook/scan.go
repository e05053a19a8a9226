package webhook

import (
	"encoding/json"
	"errors"
	"strings"
)

// maxDepth is encoding/json's nesting limit; deeper documents are invalid there too.
const maxDepth = 10000

// errInvalid is any syntax error; callers only need to know the body is not JSON.
var errInvalid = errors.New("not valid JSON")

// topLevelFields validates doc as JSON (exactly what json.Valid accepts) and
// returns the raw values of the named members of its top-level object (nil
// where absent; the last one wins, as with encoding/json). One pass does
// both: encoding/json's validator alone cost 15 % of the ingest CPU on
// 2 KiB payloads.
func topLevelFields(doc []byte, names ...string) ([][]byte, error) {
	s := scanner{doc: doc, names: names, found: make([][]byte, len(names))}
	s.space()
	if s.i >= len(doc) || doc[s.i] != '{' {
		if s.value(0) && s.end() {
			return nil, errors.New("payload is not a JSON object")
		}
		return nil, errInvalid
	}
	if !s.value(0) || !s.end() {
		return nil, errInvalid
	}
	return s.found, nil
}

type scanner struct {
	doc   []byte
	i     int
	names []string
	found [][]byte
}

func (s *scanner) space() {
	for s.i < len(s.doc) {
		switch s.doc[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// end reports whether only white space is left.
func (s *scanner) end() bool {
	s.space()
	return s.i == len(s.doc)
}

// value scans one value at s.i (after white space); depth is the nesting of
// the container it is in (0 = top level).
func (s *scanner) value(depth int) bool {
	s.space()
	if s.i >= len(s.doc) {
		return false
	}
	switch c := s.doc[s.i]; {
	case c == '{':
		return s.object(depth + 1)
	case c == '[':
		return s.array(depth + 1)
	case c == '"':
		return s.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

func (s *scanner) object(depth int) bool {
	if depth > maxDepth {
		return false
	}
	s.i++ // '{'
	s.space()
	if s.i < len(s.doc) && s.doc[s.i] == '}' {
		s.i++
		return true
	}
	for {
		s.space()
		if s.i >= len(s.doc) || s.doc[s.i] != '"' {
			return false
		}
		keyStart := s.i
		if !s.str() {
			return false
		}
		key := s.doc[keyStart:s.i]
		s.space()
		if s.i >= len(s.doc) || s.doc[s.i] != ':' {
			return false
		}
		s.i++
		s.space()
		valStart := s.i
		if !s.value(depth) {
			return false
		}
		if depth == 1 {
			for n, name := range s.names {
				if keyEquals(key, name) {
					s.found[n] = s.doc[valStart:s.i]
				}
			}
		}
		s.space()
		if s.i >= len(s.doc) {
			return false
		}
		switch s.doc[s.i] {
		case ',':
			s.i++
		case '}':
			s.i++
			return true
		default:
			return false
		}
	}
}

func (s *scanner) array(depth int) bool {
	if depth > maxDepth {
		return false
	}
	s.i++ // '['
	s.space()
	if s.i < len(s.doc) && s.doc[s.i] == ']' {
		s.i++
		return true
	}
	for {
		if !s.value(depth) {
			return false
		}
		s.space()
		if s.i >= len(s.doc) {
			return false
		}
		switch s.doc[s.i] {
		case ',':
			s.i++
		case ']':
			s.i++
			return true
		default:
			return false
		}
	}
}

// str scans a string; like encoding/json it checks escapes and control
// characters but not UTF-8.
func (s *scanner) str() bool {
	s.i++ // '"'
	for s.i < len(s.doc) {
		c := s.doc[s.i]
		switch {
		case c == '"':
			s.i++
			return true
		case c == '\\':
			s.i++
			if s.i >= len(s.doc) {
				return false
			}
			switch s.doc[s.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				if s.i+4 >= len(s.doc) {
					return false
				}
				for _, h := range s.doc[s.i+1 : s.i+5] {
					if !isHex(h) {
						return false
					}
				}
				s.i += 5
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			s.i++
		}
	}
	return false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func (s *scanner) digits() bool {
	start := s.i
	for s.i < len(s.doc) && s.doc[s.i] >= '0' && s.doc[s.i] <= '9' {
		s.i++
	}
	return s.i > start
}

func (s *scanner) number() bool {
	if s.doc[s.i] == '-' {
		s.i++
	}
	if s.i >= len(s.doc) {
		return false
	}
	if s.doc[s.i] == '0' {
		s.i++
	} else if !s.digits() {
		return false
	}
	if s.i < len(s.doc) && s.doc[s.i] == '.' {
		s.i++
		if !s.digits() {
			return false
		}
	}
	if s.i < len(s.doc) && (s.doc[s.i] == 'e' || s.doc[s.i] == 'E') {
		s.i++
		if s.i < len(s.doc) && (s.doc[s.i] == '+' || s.doc[s.i] == '-') {
			s.i++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

func (s *scanner) literal(word string) bool {
	if len(s.doc)-s.i < len(word) || string(s.doc[s.i:s.i+len(word)]) != word {
		return false
	}
	s.i += len(word)
	return true
}

// keyEquals compares a quoted JSON key with name, decoding escapes only when
// the key has any. Like encoding/json it ignores case ("iD" is "id"), so the
// scan reads exactly what json.Unmarshal into a struct would.
func keyEquals(quoted []byte, name string) bool {
	inner := quoted[1 : len(quoted)-1]
	if len(inner) < len(name) {
		return false // an escape only ever makes the quoted key longer
	}
	for _, c := range inner {
		if c == '\\' {
			var s string
			return json.Unmarshal(quoted, &s) == nil && strings.EqualFold(s, name)
		}
	}
	return strings.EqualFold(string(inner), name)
}
