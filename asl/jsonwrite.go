package asl

import (
	"encoding/json"
	"unicode/utf8"
)

// appendIndented appends v to buf exactly as encodeJSON lays it out (the
// 2-space indent of json.Encoder.SetIndent, no HTML escaping), without the
// trailing newline, for the values encodeRecord and encodeValue build:
// object, []any, string, json.Number, bool and nil. It reports false for
// anything else, for which the caller falls back to encodeJSON. Going
// through encoding/json costs a compaction and a re-indentation of every
// nested object per level; this writes each byte once.
func appendIndented(buf []byte, v any, depth int) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(buf, "null"...), true
	case bool:
		if v {
			return append(buf, "true"...), true
		}
		return append(buf, "false"...), true
	case string:
		return appendString(buf, v), true
	case json.Number:
		if !validNumber(string(v)) {
			return buf, false // encoding/json has its own rules ("" is 0, junk an error)
		}
		return append(buf, v...), true
	case object:
		if len(v) == 0 {
			return append(buf, "{}"...), true
		}
		buf = append(buf, '{')
		for i, m := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = newline(buf, depth+1)
			buf = appendString(buf, m.key)
			buf = append(buf, ": "...)
			var ok bool
			if buf, ok = appendIndented(buf, m.value, depth+1); !ok {
				return buf, false
			}
		}
		return append(newline(buf, depth), '}'), true
	case []any:
		if v == nil {
			return append(buf, "null"...), true
		}
		if len(v) == 0 {
			return append(buf, "[]"...), true
		}
		buf = append(buf, '[')
		for i, e := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = newline(buf, depth+1)
			var ok bool
			if buf, ok = appendIndented(buf, e, depth+1); !ok {
				return buf, false
			}
		}
		return append(newline(buf, depth), ']'), true
	}
	return buf, false
}

func newline(buf []byte, depth int) []byte {
	buf = append(buf, '\n')
	for range depth {
		buf = append(buf, "  "...)
	}
	return buf
}

// appendString quotes s as encoding/json does with HTML escaping off.
// Printable ASCII is copied, quotes and backslashes escaped; anything else
// (control characters, non-ASCII, which may need \u2028 or \ufffd) goes
// through encoding/json itself.
func appendString(buf []byte, s string) []byte {
	start := len(buf)
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			buf = append(buf, '\\', c)
		case c < 0x20 || c >= utf8.RuneSelf:
			return appendStringSlow(buf[:start], s)
		default:
			buf = append(buf, c)
		}
	}
	return append(buf, '"')
}

func appendStringSlow(buf []byte, s string) []byte {
	var b jsonBuffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)                   // a string always encodes
	return append(buf, b[:len(b)-1]...) // without Encode's newline
}

type jsonBuffer []byte

func (b *jsonBuffer) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}

// validNumber reports whether s is a JSON number, as encoding/json checks
// a json.Number before writing it as is.
func validNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}
