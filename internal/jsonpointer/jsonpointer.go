// Package jsonpointer writes and reads the JSON pointers (RFC 6901) by
// which JSON Schema errors locate values and keywords.
package jsonpointer

import "strings"

// From builds an escaped pointer from its tokens: "/a/b~1c" from a, b/c.
func From(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(Escape(t))
	}
	return b.String()
}

// Escape escapes one token: ~ as ~0, / as ~1.
func Escape(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return strings.ReplaceAll(strings.ReplaceAll(token, "~", "~0"), "/", "~1")
}

// Unescape reads one escaped token back.
func Unescape(token string) string {
	return strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
}
