// Package templates holds the text templates of refreshgen's prose
// artifacts: the starter spec that `refreshgen init` writes and the README of
// the rendered tree. Structured outputs (Terraform, ASL, IAM) are built with
// typed builders instead, never with templates.
package templates

import (
	"bytes"
	"embed"
	"strings"
	"text/template"

	"github.com/refreshgen/refreshgen/internal/english"
)

//go:embed *.tmpl
var files embed.FS

// funcs are the helpers templates may call: list formatting only, so that
// what a document says stays in the template and what it is about in the
// data.
var funcs = template.FuncMap{
	// join writes a list as "a, b, c".
	"join": func(items []string) string { return strings.Join(items, ", ") },
	// plural writes a count with its noun: "1 script", "2 scripts".
	"plural": english.Plural,
	// noun is a noun for a count of things: "role" for 1, "roles" else.
	"noun": english.Noun,
	// codes writes a list as code spans: "`a`, `b`, `c`".
	"codes": func(items []string) string {
		if len(items) == 0 {
			return ""
		}
		return "`" + strings.Join(items, "`, `") + "`"
	},
}

// Render executes the named template with data.
func Render(name string, data any) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(funcs).ParseFS(files, name)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
