package spec

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

var expressionType = reflect.TypeFor[hcl.Expression]()

// toJSONDocument lays the decoded spec out as a JSON value in the shape of
// HCL's JSON syntax ({"account": {"production": {"id": "..."}}}), which is
// what refresh.schema.json describes. A reference is written as its
// traversal ("account.production"); anything else where a reference belongs
// is written as its source text (a quoted "account.production" keeps its
// quotes), for the schema to reject with a hint.
func toJSONDocument(doc *document, src []byte, files *fileReader) (map[string]any, hcl.Diagnostics) {
	w := &docWriter{src: src, files: files}
	return w.body(reflect.ValueOf(doc).Elem()), w.diags
}

type docWriter struct {
	src   []byte
	files *fileReader
	diags hcl.Diagnostics
}

func (w *docWriter) body(v reflect.Value) map[string]any {
	out := map[string]any{}
	t := v.Type()
	for i := range t.NumField() {
		name, kind, ok := strings.Cut(t.Field(i).Tag.Get("hcl"), ",")
		if !ok {
			kind = "attr"
		}
		switch kind {
		case "attr", "optional":
			if val := w.attr(t.Field(i), v.Field(i)); val != nil {
				out[name] = val
			}
		case "block":
			w.blocks(out, name, v.Field(i))
		}
	}
	return out
}

// blocks adds a block field (a pointer or a slice of pointers) under its
// type name, nested under its label when it has one.
func (w *docWriter) blocks(out map[string]any, typeName string, field reflect.Value) {
	var blocks []reflect.Value
	switch field.Kind() {
	case reflect.Slice:
		for i := range field.Len() {
			blocks = append(blocks, field.Index(i).Elem())
		}
	case reflect.Pointer:
		if !field.IsNil() {
			blocks = append(blocks, field.Elem())
		}
	}
	for _, b := range blocks {
		label, hasLabel := blockLabel(b)
		if !hasLabel {
			out[typeName] = w.body(b)
			continue
		}
		byLabel, _ := out[typeName].(map[string]any)
		if byLabel == nil {
			byLabel = map[string]any{}
			out[typeName] = byLabel
		}
		if _, dup := byLabel[label]; !dup { // duplicates are reported by the builder
			byLabel[label] = w.body(b)
		}
	}
}

func blockLabel(b reflect.Value) (string, bool) {
	t := b.Type()
	for i := range t.NumField() {
		if strings.HasSuffix(t.Field(i).Tag.Get("hcl"), ",label") {
			return b.Field(i).String(), true
		}
	}
	return "", false
}

// attr returns the JSON value of one attribute field, nil when absent.
func (w *docWriter) attr(f reflect.StructField, v reflect.Value) any {
	if f.Type != expressionType {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice || v.Kind() == reflect.Map) && v.IsNil() {
			return nil
		}
		return jsonOf(v.Interface())
	}
	expr := v.Interface().(hcl.Expression)
	if expr == nil {
		return nil
	}
	if f.Tag.Get("ref") != "" {
		if trav, diags := hcl.AbsTraversalForExpr(expr); !diags.HasErrors() {
			return traversalString(trav)
		}
		r := expr.Range()
		return string(r.SliceBytes(w.src))
	}
	val, diags := expr.Value(w.files.evalContext())
	w.diags = append(w.diags, diags...)
	if diags.HasErrors() || val.IsNull() || !val.IsWhollyKnown() {
		return nil
	}
	return ctyJSON(val)
}

// traversalString writes a reference the way the user wrote it.
func traversalString(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		default:
			b.WriteString("[...]") // an index step: the schema rejects it
		}
	}
	return b.String()
}

func ctyJSON(v cty.Value) any {
	data, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return nil
	}
	return decodeJSON(data)
}

func jsonOf(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return decodeJSON(data)
}

func decodeJSON(data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil
	}
	return out
}

// stringOf converts a primitive value to its string form.
func stringOf(v cty.Value) (string, error) {
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		return "", err
	}
	return s.AsString(), nil
}
