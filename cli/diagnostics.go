package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcled"
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
		props := []string{}
		if d.Subject != nil && d.Subject.Filename != "" {
			r := d.Subject
			props = append(props,
				"file="+escapeProperty(r.Filename),
				fmt.Sprintf("line=%d", r.Start.Line), fmt.Sprintf("col=%d", r.Start.Column),
				fmt.Sprintf("endLine=%d", r.End.Line), fmt.Sprintf("endColumn=%d", r.End.Column))
		}
		props = append(props, "title="+escapeProperty(d.Summary))
		msg := d.Summary
		if d.Detail != "" {
			msg = d.Detail
		}
		fmt.Fprintf(w, "::%s %s::%s\n", severityName(d.Severity), strings.Join(props, ","), escapeData(msg))
	}
}

// escapeData and escapeProperty follow the workflow command encoding.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// writeJSON writes v as indented JSON without HTML escaping.
func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // only a broken stdout fails here, and there is nowhere left to say so
}
