package asl

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestAppendIndentedMatchesEncoder pins the fast writer to encoding/json's
// layout, on every committed definition and on values that need escaping.
func TestAppendIndentedMatchesEncoder(t *testing.T) {
	trees := map[string]any{
		"scalars": object{{"s", "plain"}, {"n", json.Number("-1.5e+3")}, {"t", true}, {"f", false}, {"null", nil}},
		"escapes": object{{"q\"uote", "back\\slash"}, {"ctl", "a\nb\tc\x01\x1f\b\f\r\x7f"}, {"html", "<a href='x'>&amp;</a>"},
			{"unicode", "é, 日本, \u2028\u2029, \xff bad utf-8, emoji 🙂"}},
		"nesting": object{{"empty object", object{}}, {"empty array", []any{}}, {"nil array", []any(nil)},
			{"deep", []any{object{{"a", []any{[]any{}, object{{"b", object{}}}}}}, "x", json.Number("0")}}},
		"empty": object{},
	}
	for _, path := range mustGlob(t, "testdata/*.asl.json") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := parseJSON(data)
		if err != nil {
			t.Fatal(err)
		}
		trees[filepath.Base(path)] = tree
	}
	for name, tree := range trees {
		want, err := encodeJSON(tree)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendIndented(nil, tree, 0)
		if !ok {
			t.Errorf("%s: the fast writer gave up", name)
			continue
		}
		if got = append(got, '\n'); !bytes.Equal(got, want) {
			t.Errorf("%s: got\n%s\nwant\n%s", name, got, want)
		}
	}
}

// TestAppendIndentedGivesUp checks that values encoding/json treats its own
// way are left to it.
func TestAppendIndentedGivesUp(t *testing.T) {
	for _, v := range []any{json.Number(""), json.Number("01"), json.Number("1e"), 3, 1.5, map[string]any{}, object{{"k", 7}}} {
		if _, ok := appendIndented(nil, v, 0); ok {
			t.Errorf("%#v: written, want a fallback", v)
		}
	}
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		t.Fatalf("%s: %v (%d files)", pattern, err, len(paths))
	}
	return paths
}

// TestJSONDocMatchesDecoding checks that the document the schema check
// takes from the tree is what decoding Marshal's output gives.
func TestJSONDocMatchesDecoding(t *testing.T) {
	trees := map[string]any{
		"escapes": object{{"q\"uote", "back\\slash"}, {"ctl", "a\nb\x01"}, {"unicode", "é \u2028"}, {"dup", "first"}, {"dup", "last"}},
		"nesting": object{{"o", object{}}, {"a", []any{}}, {"nil", []any(nil)}, {"n", json.Number("-1.5e3")}, {"b", false}, {"null", nil}},
	}
	for _, path := range mustGlob(t, "testdata/*.asl.json") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if trees[path], err = parseJSON(data); err != nil {
			t.Fatal(err)
		}
	}
	for name, tree := range trees {
		data, err := encodeJSON(tree)
		if err != nil {
			t.Fatal(err)
		}
		var want any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		got, ok := jsonDoc(tree)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: jsonDoc gives %#v (%v), decoding gives %#v", name, got, ok, want)
		}
	}
	for _, bad := range []any{"\xff", object{{"\xff", "x"}}, []any{json.Number("01")}, 3} {
		if _, ok := jsonDoc(bad); ok {
			t.Errorf("%#v: taken as is, want a fallback to decoding", bad)
		}
	}
}
