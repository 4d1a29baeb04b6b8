// Package templates holds the text templates of refreshgen's prose
// artifacts: the starter spec that `refreshgen init` writes and the README of
// the rendered tree. Structured outputs (Terraform, ASL, IAM) are built with
// typed builders instead, never with templates.
package templates

import (
	"bytes"
	"embed"
	"text/template"
)

//go:embed *.tmpl
var files embed.FS

// Render executes the named template with data.
func Render(name string, data any) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").ParseFS(files, name)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
