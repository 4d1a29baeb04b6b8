package cli

import (
	"encoding/json"
	"io"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
	"github.com/refreshgen/refreshgen/internal/ghactions"
)

// report writes diagnostics in the chosen format: text with source snippets
// to stderr; JSON or GitHub workflow annotations to stdout, where tools read.
func (e *Env) report(o *options, files map[string]*hcl.File, diags hcl.Diagnostics) {
	switch o.format {
	case "json":
		writeJSONDiagnostics(e.Stdout, files, diags)
	case "github":
		writeGitHubDiagnostics(e.Stdout, diags)
	default:
		width := uint(0) // no wrapping in logs: lines stay greppable
		if isTerminal(e.Stderr) {
			width = terminalWidth(e.Getenv("COLUMNS"))
		}
		wr := hcl.NewDiagnosticTextWriter(e.Stderr, files, width, e.color(o, e.Stderr))
		_ = wr.WriteDiagnostics(diags) // a broken stderr leaves nothing to report to
	}
}

func terminalWidth(columns string) uint {
	if n, err := strconv.Atoi(columns); err == nil && n > 20 {
		return uint(n)
	}
	return 80
}

// jsonDiagnostics is the --format json document: the shape Terraform uses
// for `validate -json`, so existing tooling can read it.
type jsonDiagnostics struct {
	Valid        bool             `json:"valid"`
	ErrorCount   int              `json:"error_count"`
	WarningCount int              `json:"warning_count"`
	Diagnostics  []jsonDiagnostic `json:"diagnostics"`
}

type jsonDiagnostic struct {
	Severity string       `json:"severity"`
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail,omitempty"`
	Range    *jsonRange   `json:"range,omitempty"`
	Snippet  *jsonSnippet `json:"snippet,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type jsonSnippet struct {
	Context              string `json:"context,omitempty"`
	Code                 string `json:"code"`
	StartLine            int    `json:"start_line"`
	HighlightStartOffset int    `json:"highlight_start_offset"`
	HighlightEndOffset   int    `json:"highlight_end_offset"`
}

func writeJSONDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics) {
	out := jsonDiagnostics{Valid: !diags.HasErrors(), Diagnostics: []jsonDiagnostic{}}
	for _, d := range diags {
		jd := jsonDiagnostic{Severity: severityName(d.Severity), Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagError {
			out.ErrorCount++
		} else {
			out.WarningCount++
		}
		if d.Subject != nil && d.Subject.Filename != "" {
			r := *d.Subject
			jd.Range = &jsonRange{Filename: r.Filename, Start: jsonPosOf(r.Start), End: jsonPosOf(r.End)}
			jd.Snippet = snippet(files[r.Filename], r)
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	writeJSON(w, out)
}

func jsonPosOf(p hcl.Pos) jsonPos { return jsonPos{Line: p.Line, Column: p.Column, Byte: p.Byte} }

// snippet returns the source lines of r, with the highlighted part given as
// byte offsets into Code.
func snippet(file *hcl.File, r hcl.Range) *jsonSnippet {
	if file == nil || r.Start.Byte > len(file.Bytes) || r.End.Byte > len(file.Bytes) {
		return nil
	}
	src := file.Bytes
	lineStart := r.Start.Byte
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	lineEnd := r.End.Byte
	for lineEnd < len(src) && src[lineEnd] != '\n' {
		lineEnd++
	}
	return &jsonSnippet{
		Context:              hcled.ContextString(file, r.Start.Byte),
		Code:                 string(src[lineStart:lineEnd]),
		StartLine:            r.Start.Line,
		HighlightStartOffset: r.Start.Byte - lineStart,
		HighlightEndOffset:   r.End.Byte - lineStart,
	}
}

func severityName(s hcl.DiagnosticSeverity) string {
	if s == hcl.DiagWarning {
		return "warning"
	}
	return "error"
}

// writeGitHubDiagnostics writes one workflow command per diagnostic, so a
// GitHub Actions run annotates the spec's lines.
func writeGitHubDiagnostics(w io.Writer, diags hcl.Diagnostics) {
	for _, d := range diags {
		var props []ghactions.Property
		if d.Subject != nil && d.Subject.Filename != "" {
			r := d.Subject
			props = append(props, ghactions.Property{Name: "file", Value: r.Filename},
				ghactions.Property{Name: "line", Value: strconv.Itoa(r.Start.Line)},
				ghactions.Property{Name: "col", Value: strconv.Itoa(r.Start.Column)},
				ghactions.Property{Name: "endLine", Value: strconv.Itoa(r.End.Line)},
				ghactions.Property{Name: "endColumn", Value: strconv.Itoa(r.End.Column)})
		}
		props = append(props, ghactions.Property{Name: "title", Value: d.Summary})
		msg := d.Summary
		if d.Detail != "" {
			msg = d.Detail
		}
		ghactions.Annotate(w, severityName(d.Severity), props, msg)
	}
}

// writeJSON writes v as indented JSON without HTML escaping.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // only a broken stdout fails here, and there is nowhere left to say so
}
