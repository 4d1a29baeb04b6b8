package asl

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// TestFastSchemaRewrites checks that every rewrite of fastSchema applies
// to schemaJSON as it is: a schema edit that stops one from applying only
// costs speed, but should be noticed.
func TestFastSchemaRewrites(t *testing.T) {
	fast, err := fastSchema()
	if err != nil {
		t.Fatal(err)
	}
	states := deref(deref(fast).Properties["States"])
	state := deref(states.AdditionalProperties.(*jsonschema.Schema))
	if len(state.AllOf) != 0 || !hasExt(state, func(e fastExt) bool { return len(e.cases) == 8 }) {
		t.Fatalf("the state's type dispatch is not rewritten")
	}
	cases := state.Extensions["refreshgen-fast"].(fastExt).cases
	for _, name := range []string{"Task", "Pass", "Wait", "Parallel", "Map"} {
		n := 0
		for _, sub := range deref(cases[name]).AllOf {
			if hasExt(deref(sub), func(e fastExt) bool { return len(e.exactlyOne) > 0 }) {
				n++
			}
		}
		if want := map[string]int{"Wait": 2}[name]; n != max(want, 1) {
			t.Errorf("%s: %d oneOf of required properties rewritten, want %d", name, n, max(want, 1))
		}
	}
	template := deref(deref(cases["Pass"]).Properties["Parameters"])
	if template.AdditionalProperties != nil || !hasExt(template, func(e fastExt) bool { return e.template != nil }) {
		t.Errorf("the payload template is not rewritten")
	}
	if deref(cases["Task"]).Properties["Resource"].Ref != nil {
		t.Errorf("the leaf defs are not inlined")
	}
	rule := deref(deref(cases["Choice"]).Properties["Choices"]).Items2020.Ref // the rule, which has a $ref itself
	if len(rule.OneOf) != 0 || !hasExt(rule, func(e fastExt) bool { return len(e.alternatives) == 1 }) {
		t.Errorf("the oneOf of a Choice rule is not rewritten")
	}
}

func deref(s *jsonschema.Schema) *jsonschema.Schema {
	for s.Ref != nil {
		s = s.Ref
	}
	return s
}

func hasExt(s *jsonschema.Schema, ok func(fastExt) bool) bool {
	e, found := s.Extensions["refreshgen-fast"].(fastExt)
	return found && ok(e)
}

// TestFastSchemaAgrees validates mutations of the committed definitions
// (every member removed, every value replaced by one of each JSON type and
// by likely strings, every state given every type, unknown members added)
// against both schemas: they must accept exactly the same documents.
func TestFastSchemaAgrees(t *testing.T) {
	fast, err := fastSchema()
	if err != nil {
		t.Fatal(err)
	}
	orig, err := compiledSchema()
	if err != nil {
		t.Fatal(err)
	}
	docs, valid := 0, 0
	check := func(doc any, what string) {
		docs++
		f, o := fast.Validate(doc) == nil, orig.Validate(doc) == nil
		if f != o {
			t.Errorf("%s: fast schema says valid=%v, schema says valid=%v", what, f, o)
		}
		if o {
			valid++
		}
	}
	replacements := []any{"x", "$.a", "arn:aws:states:::x", json.Number("1"), json.Number("-1"), true, nil,
		[]any{}, []any{"x"}, map[string]any{}, map[string]any{"Next": "x"}}
	// Each member gets a few of the replacements, in turn, to keep the
	// test quick (the schema's error trees are what takes the time).
	turn := 0
	some := func() []any {
		turn++
		out := make([]any, 4)
		for i := range out {
			out[i] = clone(replacements[(turn*4+i)%len(replacements)])
		}
		return out
	}
	types := []any{"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map", "Bogus"}
	for _, path := range mustGlob(t, "testdata/*.asl.json") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		base := decodeAny(t, data)
		check(base, path)
		var walk func(node any, at string)
		walk = func(node any, at string) {
			switch n := node.(type) {
			case map[string]any:
				for _, k := range sortedKeys(n) {
					v := n[k]
					delete(n, k)
					check(base, at+" without "+k)
					for _, r := range some() {
						n[k] = r
						check(base, at+"."+k+" replaced")
					}
					if k == "Type" {
						for _, typ := range types {
							n[k] = typ
							check(base, at+".Type = "+typ.(string))
						}
					}
					n[k] = v
					walk(v, at+"."+k)
				}
				for _, k := range []string{"Bogus", "Next", "End", "Bogus.$", "Default"} {
					if _, ok := n[k]; !ok {
						for _, r := range replacements[:3] {
							n[k] = r
							check(base, at+" with "+k)
						}
						delete(n, k)
					}
				}
			case []any:
				for i, v := range n {
					for _, r := range some() {
						n[i] = r
						check(base, at+" item replaced")
					}
					n[i] = v
					walk(v, at+"[]")
				}
			}
		}
		walk(base, path)
	}
	t.Logf("%d documents, %d valid", docs, valid)
	if valid < 50 || docs-valid < 500 {
		t.Errorf("%d documents, %d valid: too few of either to compare", docs, valid)
	}
}

func decodeAny(t *testing.T, data []byte) any {
	t.Helper()
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = clone(e)
		}
		return out
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}
