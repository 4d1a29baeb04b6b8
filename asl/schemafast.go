package asl

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/refreshgen/refreshgen/internal/jsonpointer"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// The validator builds an error, with its full keyword location, for every
// subschema that fails, even one whose failure is expected: each "if" of a
// state's type dispatch that is not the state's type, each "anyOf" branch
// of a template value that is not the value's JSON type, the "oneOf" branch
// of Next/End that is not taken, the branches of a Choice rule's oneOf
// that name another operator. On the definitions refreshgen generates,
// that was most of the validation's cost; each "$ref" is one more level of
// its recursion, with its own bookkeeping, for every value.
//
// So a definition is validated first against fastSchema: schemaJSON with
// those constructs rewritten into equivalent ones that fail only when the
// document is invalid. The rewrite accepts exactly the documents schemaJSON
// accepts; only a document it rejects is validated again against
// schemaJSON, whose error tree the problems are read from, so that they do
// not depend on the rewrite at all. Each rewrite first checks the shape of
// what it replaces and leaves anything else as it is; the leaf defs (those
// that refer to no other) are inlined where they are referred to.
// TestFastSchemaAgrees validates thousands of mutated definitions against
// both schemas.

// fastSchemaURL is the rewritten schema's $id.
const fastSchemaURL = "https://refreshgen.dev/schemas/asl.schema.fast.json"

// fastSchema compiles the rewrite once; it is read-only afterwards.
var fastSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(schemaJSON))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	defs, ok := doc["$defs"].(map[string]any)
	if !ok {
		return nil, errors.New("the schema has no $defs")
	}
	doc["$id"] = fastSchemaURL
	for _, def := range defs {
		if def, ok := def.(map[string]any); ok {
			rewriteTypeSwitch(def)
			rewriteExactlyOne(defs, def)
		}
	}
	rewriteTemplate(defs)
	inlineLeafRefs(defs)
	rewriteAlternatives(defs)
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.RegisterExtension("refreshgen-fast", fastMeta, fastCompiler{})
	if err := c.AddResource(fastSchemaURL, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return c.Compile(fastSchemaURL)
})

// Keywords of the rewrite, validated by fastCompiler.
const (
	// kwSwitch maps each value of one string property to the schema an
	// object with that value must also satisfy: {"property": "Type",
	// "cases": {"Task": {...}, ...}}.
	kwSwitch = "x-refreshgen-switch"
	// kwExactlyOne lists properties of which an object has exactly one.
	kwExactlyOne = "x-refreshgen-exactly-one"
	// kwOneOf and kwAnyOf are oneOf and anyOf whose every branch has a
	// "required": an object lacking one of a branch's required properties
	// fails the branch, which is then not validated at all (the validator
	// would build an error for it).
	kwOneOf = "x-refreshgen-one-of"
	kwAnyOf = "x-refreshgen-any-of"
	// kwTemplate walks a payload template: the value of each key ending
	// in ".$", wherever it is nested, must hold the keyword's schema.
	kwTemplate = "x-refreshgen-template"
)

var fastMeta = jsonschema.MustCompileString("refreshgen-fast-meta.json", `{
	"properties": {
		"x-refreshgen-switch": {
			"type": "object",
			"required": ["property", "cases"],
			"properties": {"property": {"type": "string"}, "cases": {"type": "object"}},
			"additionalProperties": false
		},
		"x-refreshgen-exactly-one": {"type": "array", "items": {"type": "string"}},
		"x-refreshgen-one-of": {"type": "array", "items": {"type": "object", "required": ["required"]}},
		"x-refreshgen-any-of": {"type": "array", "items": {"type": "object", "required": ["required"]}},
		"x-refreshgen-template": {"type": "object"}
	}
}`)

// rewriteTypeSwitch turns
//
//	"allOf": [{"if": {"required": ["P"], "properties": {"P": {"const": "A"}}}, "then": S_A}, ...]
//
// into {kwSwitch: {"property": "P", "cases": {"A": S_A, ...}}}. For an
// object, the "if" of case A holds exactly when P is the string A, so
// exactly the "then" of its value applies (none for another value). For
// any other instance every "if" holds and every "then" applies: the
// switch rejects it, which is only stricter, and only where the def
// rejects it anyway by "type": "object".
func rewriteTypeSwitch(def map[string]any) {
	all, ok := def["allOf"].([]any)
	if !ok || len(all) == 0 || def["type"] != "object" {
		return
	}
	property := ""
	cases := map[string]any{}
	for _, branch := range all {
		b, ok := branch.(map[string]any)
		if !ok || len(b) != 2 || b["then"] == nil {
			return
		}
		cond, ok := b["if"].(map[string]any)
		if !ok || len(cond) != 2 {
			return
		}
		required, ok := cond["required"].([]any)
		if !ok || len(required) != 1 {
			return
		}
		p, ok := required[0].(string)
		if !ok || (property != "" && p != property) {
			return
		}
		props, ok := cond["properties"].(map[string]any)
		if !ok || len(props) != 1 {
			return
		}
		test, ok := props[p].(map[string]any)
		if !ok || len(test) != 1 {
			return
		}
		value, ok := test["const"].(string)
		if _, dup := cases[value]; !ok || dup {
			return
		}
		property, cases[value] = p, b["then"]
	}
	delete(def, "allOf")
	def[kwSwitch] = map[string]any{"property": property, "cases": cases}
}

// rewriteExactlyOne turns each member of a def's "allOf" that is
// {"oneOf": [{"required": ["A"]}, {"required": ["B"]}, ...]}, or a
// {"$ref"} to a def that is only that, into {kwExactlyOne: ["A", "B", ...]}.
// The oneOf holds for an object with exactly one of the properties; for
// any other instance every branch holds and the oneOf fails, as
// kwExactlyOne does.
func rewriteExactlyOne(defs, def map[string]any) {
	all, ok := def["allOf"].([]any)
	if !ok {
		return
	}
	for i, branch := range all {
		b, ok := branch.(map[string]any)
		if !ok {
			continue
		}
		if ref, ok := b["$ref"].(string); ok && len(b) == 1 {
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			if !ok || strings.ContainsAny(name, "/~") {
				continue
			}
			if b, ok = defs[name].(map[string]any); !ok {
				continue
			}
		}
		if props, ok := oneOfRequired(b); ok {
			all[i] = map[string]any{kwExactlyOne: props}
		}
	}
}

// oneOfRequired recognises {"oneOf": [{"required": ["A"]}, ...]}, with
// an optional "description", and returns A, ...
func oneOfRequired(s map[string]any) ([]any, bool) {
	one, ok := s["oneOf"].([]any)
	if !ok || len(one) < 2 || len(s) > 2 || (len(s) == 2 && s["description"] == nil) {
		return nil, false
	}
	var props []any
	for _, branch := range one {
		b, ok := branch.(map[string]any)
		if !ok || len(b) != 1 {
			return nil, false
		}
		required, ok := b["required"].([]any)
		if !ok || len(required) != 1 {
			return nil, false
		}
		if _, ok := required[0].(string); !ok {
			return nil, false
		}
		props = append(props, required[0])
	}
	return props, true
}

// rewriteTemplate turns the payload template defs
//
//	"template": {"type": "object", "patternProperties": {"\\.\\$$": E}, "additionalProperties": {"$ref": "#/$defs/templateValue"}}
//	"templateValue": {"anyOf": [{"$ref": "#/$defs/template"}, {"type": "array", "items": {"$ref": "#/$defs/templateValue"}}, {"type": ["string", "number", "boolean", "null"]}]}
//
// into {"type": "object", kwTemplate: E} and {kwTemplate: E}. Either way
// a key ending in ".$" holds E, any other key's value and any array item
// are walked in the same way, and nothing else is checked (every JSON
// value is an object, an array or one of those scalars). kwTemplate walks
// the payload in Go instead of the validator's recursion, with its
// bookkeeping, per value: payloads are most of an orchestrator.
func rewriteTemplate(defs map[string]any) {
	value, _ := defs["templateValue"].(map[string]any)
	template, _ := defs["template"].(map[string]any)
	if value == nil || template == nil || template["type"] != "object" {
		return
	}
	self := map[string]any{"$ref": "#/$defs/templateValue"}
	want := []any{
		map[string]any{"$ref": "#/$defs/template"},
		map[string]any{"type": "array", "items": self},
		map[string]any{"type": []any{"string", "number", "boolean", "null"}},
	}
	patterns, _ := template["patternProperties"].(map[string]any)
	evaluated, ok := patterns[templatePattern]
	if len(value) != 1 || !reflect.DeepEqual(value["anyOf"], want) ||
		!ok || len(patterns) != 1 || !reflect.DeepEqual(template["additionalProperties"], self) {
		return
	}
	for k := range template {
		if k != "type" && k != "patternProperties" && k != "additionalProperties" && k != "description" {
			return
		}
	}
	delete(template, "patternProperties")
	delete(template, "additionalProperties")
	template[kwTemplate] = evaluated
	delete(value, "anyOf")
	value[kwTemplate] = deepCopy(evaluated)
}

// templatePattern is the pattern of the keys a template evaluates, which
// kwTemplate tests with strings.HasSuffix(key, ".$"): in Go's regexp, as
// the validator runs patterns, "$" without the m flag matches at the end
// of the text only.
const templatePattern = `\.\$$`

// rewriteAlternatives turns, anywhere in v, each "oneOf" or "anyOf"
// whose every branch is an object schema with a "required" list into
// kwOneOf or kwAnyOf, which validate the same way but skip a branch whose
// required properties an object lacks (it fails the branch whatever the
// rest of it says).
func rewriteAlternatives(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "const" || k == "enum" || k == "required" {
				continue // values, not schemas
			}
			rewriteAlternatives(e)
		}
		for kw, ext := range map[string]string{"oneOf": kwOneOf, "anyOf": kwAnyOf} {
			if branches, ok := v[kw].([]any); ok && allRequire(branches) {
				delete(v, kw)
				v[ext] = branches
			}
		}
	case []any:
		for _, e := range v {
			rewriteAlternatives(e)
		}
	}
}

func allRequire(branches []any) bool {
	for _, b := range branches {
		m, ok := b.(map[string]any)
		if !ok {
			return false
		}
		required, ok := m["required"].([]any)
		if !ok || len(required) == 0 {
			return false
		}
		for _, p := range required {
			if _, ok := p.(string); !ok {
				return false
			}
		}
	}
	return len(branches) > 0
}

// fastCompiler compiles the rewrite's keywords.
type fastCompiler struct{}

func (fastCompiler) Compile(ctx jsonschema.CompilerContext, m map[string]any) (jsonschema.ExtSchema, error) {
	var ext fastExt
	if sw, ok := m[kwSwitch].(map[string]any); ok {
		ext.property = sw["property"].(string)
		ext.cases = map[string]*jsonschema.Schema{}
		ext.paths = map[string]string{}
		for value, c := range sw["cases"].(map[string]any) {
			path := kwSwitch + "/cases/" + jsonpointer.Escape(value)
			var s *jsonschema.Schema
			var err error
			if ref, ok := c.(map[string]any)["$ref"].(string); ok && len(c.(map[string]any)) == 1 {
				s, err = ctx.CompileRef(ref, path+"/$ref", true) // the def itself, one level less
			} else {
				s, err = ctx.Compile(path, true)
			}
			if err != nil {
				return nil, err
			}
			ext.cases[value], ext.paths[value] = s, path
		}
	}
	for kw, atLeastOne := range map[string]bool{kwOneOf: false, kwAnyOf: true} {
		branches, ok := m[kw].([]any)
		if !ok {
			continue
		}
		alt := &alternatives{atLeastOne: atLeastOne, keyword: kw}
		for i, b := range branches {
			path := kw + "/" + strconv.Itoa(i)
			s, err := ctx.Compile(path, true)
			if err != nil {
				return nil, err
			}
			var required []string
			for _, p := range b.(map[string]any)["required"].([]any) {
				required = append(required, p.(string))
			}
			alt.branches = append(alt.branches, s)
			alt.paths = append(alt.paths, path)
			alt.required = append(alt.required, required)
		}
		ext.alternatives = append(ext.alternatives, alt)
	}
	if _, ok := m[kwTemplate]; ok {
		s, err := ctx.Compile(kwTemplate, false)
		if err != nil {
			return nil, err
		}
		ext.template = s
	}
	if one, ok := m[kwExactlyOne].([]any); ok {
		for _, p := range one {
			ext.exactlyOne = append(ext.exactlyOne, p.(string))
		}
	}
	if ext.cases == nil && ext.exactlyOne == nil && ext.alternatives == nil && ext.template == nil {
		return nil, nil
	}
	return ext, nil
}

type fastExt struct {
	property     string
	cases        map[string]*jsonschema.Schema
	paths        map[string]string // the keyword path of each case
	exactlyOne   []string
	alternatives []*alternatives
	template     *jsonschema.Schema // what an evaluated value of a template holds
}

// alternatives is a kwOneOf (exactly one branch holds) or kwAnyOf (one
// at least).
type alternatives struct {
	atLeastOne bool
	keyword    string
	branches   []*jsonschema.Schema
	paths      []string
	required   [][]string
}

func (a *alternatives) validate(ctx jsonschema.ValidationContext, v any) error {
	obj, isObject := v.(map[string]any)
	held := 0
	for i, b := range a.branches {
		if isObject && !hasAll(obj, a.required[i]) {
			continue // fails its "required"
		}
		if ctx.Validate(b, a.paths[i], v, "") == nil {
			held++
		}
	}
	if (a.atLeastOne && held == 0) || (!a.atLeastOne && held != 1) {
		return ctx.Error(a.keyword, "%d of the branches hold", held)
	}
	return nil
}

func hasAll(obj map[string]any, props []string) bool {
	for _, p := range props {
		if _, ok := obj[p]; !ok {
			return false
		}
	}
	return true
}

func (e fastExt) Validate(ctx jsonschema.ValidationContext, v any) error {
	obj, ok := v.(map[string]any)
	if e.cases != nil {
		if !ok {
			return ctx.Error(kwSwitch, "not an object")
		}
		if value, ok := obj[e.property].(string); ok {
			if s := e.cases[value]; s != nil {
				if err := ctx.Validate(s, e.paths[value], v, ""); err != nil {
					return err
				}
			}
		}
	}
	for _, a := range e.alternatives {
		if err := a.validate(ctx, v); err != nil {
			return err
		}
	}
	if e.template != nil {
		if err := e.walkTemplate(ctx, v, nil); err != nil {
			return err
		}
	}
	if e.exactlyOne != nil {
		if !ok {
			return ctx.Error(kwExactlyOne, "not an object")
		}
		n := 0
		for _, p := range e.exactlyOne {
			if _, present := obj[p]; present {
				n++
			}
		}
		if n != 1 {
			return ctx.Error(kwExactlyOne, "%d of %q", n, e.exactlyOne)
		}
	}
	return nil
}

// walkTemplate validates a payload template as kwTemplate says; at is
// the path of v from the template. An evaluated value is validated on its
// own (the expression schema refers to nothing). The first problem
// it meets ends the walk: the fast schema only tells valid from invalid,
// the problems are read from the schema itself.
func (e fastExt) walkTemplate(ctx jsonschema.ValidationContext, v any, at []string) error {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			path := append(at, k)
			if !strings.HasSuffix(k, ".$") {
				if err := e.walkTemplate(ctx, x, path); err != nil {
					return err
				}
			} else if err := e.template.Validate(x); err != nil {
				return ctx.Error(kwTemplate, "%s: %v", jsonpointer.From(path...), err)
			}
		}
	case []any:
		for i, x := range v {
			if err := e.walkTemplate(ctx, x, append(at, strconv.Itoa(i))); err != nil {
				return err
			}
		}
	}
	return nil
}

// inlineLeafRefs replaces each schema that is only {"$ref": "#/$defs/X"}
// by a copy of X, for every X that holds no "$ref" itself (after the
// defs it refers to were inlined, in turn): each $ref is one more level
// of the validator's recursion, with its bookkeeping, for every value.
// A schema and its inlined copy accept the same values.
func inlineLeafRefs(defs map[string]any) {
	for {
		leaves := map[string]any{}
		for name, def := range defs {
			if !hasRef(def) {
				leaves["#/$defs/"+name] = def
			}
		}
		changed := false
		for _, def := range defs {
			if replaceRefs(def, leaves) {
				changed = true
			}
		}
		if !changed {
			return
		}
	}
}

func hasRef(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["$ref"]; ok {
			return true
		}
		for _, e := range v {
			if hasRef(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if hasRef(e) {
				return true
			}
		}
	}
	return false
}

// replaceRefs inlines, below v, every {"$ref"} to one of leaves.
func replaceRefs(v any, leaves map[string]any) bool {
	changed := false
	inline := func(e any) (any, bool) {
		if m, ok := e.(map[string]any); ok && len(m) == 1 {
			if ref, ok := m["$ref"].(string); ok {
				if leaf, ok := leaves[ref]; ok {
					return deepCopy(leaf), true
				}
			}
		}
		return e, replaceRefs(e, leaves)
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "const" || k == "enum" {
				continue // values, not schemas
			}
			var c bool
			v[k], c = inline(e)
			changed = changed || c
		}
	case []any:
		for i, e := range v {
			var c bool
			v[i], c = inline(e)
			changed = changed || c
		}
	}
	return changed
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}
