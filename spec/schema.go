package spec

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/refreshgen/refreshgen/internal/jsonpointer"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Schema is refresh.schema.json: the JSON Schema of the spec's document, for
// editors (refreshgen schema prints it) and for Load, which applies it.
//
//go:embed refresh.schema.json
var Schema []byte

const schemaURL = "https://refreshgen.dev/schema/refresh.schema.json"

// compiledSchema is compiled once per process; it is immutable afterwards.
var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource(schemaURL, bytes.NewReader(Schema)); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

// schemaTree is the schema as plain JSON, for looking up the title and
// description of the subschema an error comes from.
var schemaTree = sync.OnceValue(func() any {
	return decodeJSON(Schema)
})

// validateSchema applies the schema to the document and turns every failed
// keyword into a diagnostic at the source range of the value it judged. It
// also returns the JSON pointers of the rejected values, so the semantic
// rules can leave them alone.
func validateSchema(doc map[string]any, index rangeIndex) (hcl.Diagnostics, map[string]bool) {
	rejected := map[string]bool{}
	schema, err := compiledSchema()
	if err != nil {
		return hcl.Diagnostics{internalError("the embedded schema does not compile: %s", err)}, rejected
	}
	err = schema.Validate(doc)
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		if err != nil {
			return hcl.Diagnostics{internalError("schema validation failed: %s", err)}, rejected
		}
		return nil, rejected
	}
	var diags hcl.Diagnostics
	for _, leaf := range leaves(verr) {
		diags = append(diags, schemaDiagnostic(leaf, doc, index))
		rejected[leaf.InstanceLocation] = true
	}
	return diags, rejected
}

// internal marks a diagnostic that is refreshgen's fault, not the spec's.
type internal struct{}

func internalError(format string, args ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Internal error",
		Detail:   fmt.Sprintf(format, args...) + ". This is a bug in refreshgen; please report it.",
		Extra:    internal{},
	}
}

// IsInternal reports whether a diagnostic is a refreshgen bug rather than a
// problem of the spec (the CLI exits 3 instead of 2).
func IsInternal(d *hcl.Diagnostic) bool {
	_, ok := d.Extra.(internal)
	return ok
}

// leaves returns the errors that name one failed keyword each.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// schemaDiagnostic words one schema error for a person: the summary names
// what is invalid (the subschema's title), the detail shows the value and
// explains the expected form (the subschema's description).
func schemaDiagnostic(e *jsonschema.ValidationError, doc map[string]any, index rangeIndex) *hcl.Diagnostic {
	title, description := describe(e.AbsoluteKeywordLocation)
	keyword := e.KeywordLocation[strings.LastIndexByte(e.KeywordLocation, '/')+1:]
	value, found := lookup(doc, e.InstanceLocation)
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Subject: index.at(e.InstanceLocation)}
	switch {
	case keyword == "required":
		d.Summary, d.Detail = describeMissing(e)
	case strings.Contains(e.KeywordLocation, "/propertyNames") || !found:
		d.Summary = "Invalid " + title
		d.Detail = strings.TrimSpace(fmt.Sprintf("%q is not a valid %s. %s", lastToken(e.InstanceLocation), title, description))
	case keyword == "pattern" || keyword == "not" || keyword == "enum":
		d.Summary = "Invalid " + title
		d.Detail = strings.TrimSpace(fmt.Sprintf("%s is not a valid %s. %s", quoteJSON(value), title, description) + suggestion(value, e))
	default:
		d.Summary = "Invalid " + title
		d.Detail = strings.TrimSpace(fmt.Sprintf("%s: %s. %s", quoteJSON(value), e.Message, description))
	}
	return d
}

// describe finds the title and description of the subschema that holds the
// failed keyword, following the absolute location through $defs.
func describe(absLocation string) (title, description string) {
	_, frag, _ := strings.Cut(absLocation, "#")
	var node any = schemaTree()
	var found []map[string]any
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		m, ok := node.(map[string]any)
		if !ok {
			break
		}
		found = append(found, m)
		node = m[jsonpointer.Unescape(tok)]
	}
	if m, ok := node.(map[string]any); ok {
		found = append(found, m)
	}
	// The innermost subschema with a title speaks for the error.
	for i := len(found) - 1; i >= 0; i-- {
		if t, ok := found[i]["title"].(string); ok {
			d, _ := found[i]["description"].(string)
			return t, d
		}
	}
	return "value", ""
}

// describeMissing words a "required" error from the titles and descriptions
// of the missing properties (at the top level these are blocks, which gohcl
// cannot require when they may repeat).
func describeMissing(e *jsonschema.ValidationError) (summary, detail string) {
	var titles, details []string
	for _, part := range strings.Split(e.Message, "'")[1:] {
		if part == "" || strings.HasPrefix(part, ",") {
			continue
		}
		loc := strings.TrimSuffix(e.AbsoluteKeywordLocation, "/required") + "/properties/" + jsonpointer.Escape(part)
		t, d := describe(loc)
		if t == "value" {
			t = part
		}
		titles = append(titles, t)
		details = append(details, d)
	}
	return "Missing " + strings.Join(titles, " and "), strings.Join(details, " ")
}

// lookup returns the document value at a JSON pointer.
func lookup(doc any, ptr string) (any, bool) {
	node := doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" && ptr == "" {
			break
		}
		switch n := node.(type) {
		case map[string]any:
			v, ok := n[jsonpointer.Unescape(tok)]
			if !ok {
				return nil, false
			}
			node = v
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(n) {
				return nil, false
			}
			node = n[i]
		default:
			return nil, false
		}
	}
	return node, true
}

func lastToken(ptr string) string {
	return jsonpointer.Unescape(ptr[strings.LastIndexByte(ptr, '/')+1:])
}

// quoteJSON shows a value as the user would write it, shortened if long.
func quoteJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return "the value"
	}
	s := string(data)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// suggestion offers the closest allowed word for a misspelt enum value.
func suggestion(value any, e *jsonschema.ValidationError) string {
	s, ok := value.(string)
	if !ok || !strings.Contains(e.Message, "must be one of") {
		return ""
	}
	var options []string
	for _, part := range strings.Split(e.Message, `"`)[1:] {
		if part != "" && !strings.Contains(part, ",") {
			options = append(options, part)
		}
	}
	if best := nameSuggestion(s, options); best != "" {
		return fmt.Sprintf(" Did you mean %q?", best)
	}
	return ""
}
