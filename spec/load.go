package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Options are what Load needs from the world outside the spec's bytes.
type Options struct {
	// ToolVersion is refreshgen's own version, checked against
	// refreshgen { required_version }.
	ToolVersion string
	// ReadFile reads a file named by file(), given as a slash-separated path
	// relative to the spec's folder (validation keeps it inside that folder).
	ReadFile func(rel string) ([]byte, error)
}

// Result is the outcome of Load. Files holds every parsed file by name, for
// rendering diagnostics with source snippets.
type Result struct {
	Spec        *Spec // nil when Diagnostics has errors
	Files       map[string]*hcl.File
	Diagnostics hcl.Diagnostics
}

// Load parses, decodes and validates one refresh.hcl and returns its
// normalised model. It collects every diagnostic a stage can find before
// stopping: syntax, then the structure of blocks and attributes, then the
// JSON Schema and the semantic rules together (the rules skip values the
// schema already rejected, so one mistake gives one diagnostic). It never panics on bad input
// and does no I/O except through opts.ReadFile.
func Load(filename string, src []byte, opts Options) Result {
	parser := hclparse.NewParser()
	file, diags := parser.ParseHCL(src, filename)
	res := Result{Files: parser.Files()}
	if diags.HasErrors() {
		res.Diagnostics = sorted(diags)
		return res
	}
	body := file.Body.(*hclsyntax.Body)

	if d := checkRequiredVersion(body, opts.ToolVersion); d != nil {
		res.Diagnostics = hcl.Diagnostics{d}
		return res
	}

	files := newFileReader(opts.ReadFile)
	index := indexRanges(body)
	var doc document
	diags = append(diags, tidyDecodeDiagnostics(gohcl.DecodeBody(body, files.evalContext(), &doc), index)...)
	if diags.HasErrors() {
		res.Diagnostics = sorted(diags)
		return res
	}

	jsonDoc, docDiags := toJSONDocument(&doc, src, files)
	diags = append(diags, docDiags...)
	schemaDiags, rejected := validateSchema(jsonDoc, index)
	diags = append(diags, schemaDiags...)

	b := &builder{files: files, filename: filename}
	s := b.build(&doc)
	diags = append(diags, b.diags...)
	diags = append(diags, check(s, index, rejected)...)
	res.Diagnostics = sorted(diags)
	if !res.Diagnostics.HasErrors() {
		res.Spec = s
	}
	return res
}

// tidyDecodeDiagnostics words gohcl's type errors for this language and
// drops those that merely repeat an earlier error at the same place (an
// expression that failed to evaluate is then also "unsuitable"): one
// mistake, one diagnostic.
func tidyDecodeDiagnostics(diags hcl.Diagnostics, index rangeIndex) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Summary != "Unsuitable value type" || d.Subject == nil {
			out = append(out, d)
			continue
		}
		if overlapsEarlier(out, *d.Subject) {
			continue
		}
		reason := strings.TrimPrefix(d.Detail, "Unsuitable value: ")
		out = append(out, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Incorrect value type",
			Detail:   fmt.Sprintf("The value of %s is unsuitable: %s. %s", index.attributeAt(*d.Subject), reason, typeHint(reason)),
			Subject:  d.Subject,
			Context:  d.Context,
		})
	}
	return out
}

// typeHint says how to write a value of the type a conversion asked for.
func typeHint(reason string) string {
	switch {
	case strings.Contains(reason, "number"):
		return "Write a number without quotes, such as 2."
	case strings.Contains(reason, "bool"):
		return "Write true or false, without quotes."
	case strings.Contains(reason, "list") || strings.Contains(reason, "set"):
		return `Write a list in brackets, such as ["a", "b"].`
	case strings.Contains(reason, "map") || strings.Contains(reason, "object"):
		return `Write a map in braces, such as { key = "value" }.`
	default:
		return `Write a quoted string, such as "value".`
	}
}

func overlapsEarlier(diags hcl.Diagnostics, r hcl.Range) bool {
	for _, d := range diags {
		if d.Subject != nil && d.Subject.Filename == r.Filename && d.Subject.Overlaps(r) {
			return true
		}
	}
	return false
}

// sorted orders diagnostics by position, so output never depends on the
// order in which checks (or gohcl's map iteration) produced them.
func sorted(diags hcl.Diagnostics) hcl.Diagnostics {
	out := slices.Clone(diags)
	slices.SortStableFunc(out, func(a, b *hcl.Diagnostic) int {
		ra, rb := subjectOf(a), subjectOf(b)
		return cmp.Or(
			cmp.Compare(ra.Filename, rb.Filename),
			cmp.Compare(ra.Start.Byte, rb.Start.Byte),
			cmp.Compare(ra.End.Byte, rb.End.Byte),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Summary, b.Summary),
			cmp.Compare(a.Detail, b.Detail),
		)
	})
	return slices.CompactFunc(out, func(a, b *hcl.Diagnostic) bool {
		return a.Summary == b.Summary && a.Detail == b.Detail && subjectOf(a) == subjectOf(b)
	})
}

func subjectOf(d *hcl.Diagnostic) hcl.Range {
	if d.Subject == nil {
		return hcl.Range{}
	}
	return *d.Subject
}
