package spec

import (
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/refreshgen/refreshgen/internal/jsonpointer"
)

// rangeIndex maps a JSON pointer into the spec's JSON document (the shape of
// HCL's JSON syntax: block type, then labels, then attributes) to the source
// range it came from: a block's definition, an attribute's value, or one
// element of a list or map. Schema errors and semantic checks use it to put
// every diagnostic where the user has to make the fix.
type rangeIndex map[string]hcl.Range

func indexRanges(body *hclsyntax.Body) rangeIndex {
	start := body.SrcRange.Start
	ix := rangeIndex{"": {Filename: body.SrcRange.Filename, Start: start, End: start}}
	ix.body("", body)
	return ix
}

func (ix rangeIndex) body(ptr string, body *hclsyntax.Body) {
	for name, attr := range body.Attributes {
		ix.expr(ptr+"/"+jsonpointer.Escape(name), attr.Expr)
	}
	for _, block := range body.Blocks {
		p := ptr + "/" + jsonpointer.Escape(block.Type)
		for _, label := range block.Labels {
			p += "/" + jsonpointer.Escape(label)
		}
		if _, seen := ix[p]; seen {
			continue // a duplicate block: the first one keeps the pointer
		}
		ix[p] = block.DefRange()
		ix.body(p, block.Body)
	}
}

func (ix rangeIndex) expr(ptr string, expr hclsyntax.Expression) {
	ix[ptr] = expr.Range()
	switch e := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		for i, elem := range e.Exprs {
			ix.expr(ptr+"/"+strconv.Itoa(i), elem)
		}
	case *hclsyntax.ObjectConsExpr:
		for _, item := range e.Items {
			if key, ok := staticKey(item.KeyExpr); ok {
				ix.expr(ptr+"/"+jsonpointer.Escape(key), item.ValueExpr)
			}
		}
	}
}

// staticKey returns an object key written as a bare word or a literal string.
func staticKey(expr hclsyntax.Expression) (string, bool) {
	if k, ok := expr.(*hclsyntax.ObjectConsKeyExpr); ok {
		if name := hcl.ExprAsKeyword(k.Wrapped); name != "" && !k.ForceNonLiteral {
			return name, true
		}
		expr = k.Wrapped
	}
	v, diags := expr.Value(nil)
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || !v.Type().IsPrimitiveType() {
		return "", false
	}
	if s, err := stringOf(v); err == nil {
		return s, true
	}
	return "", false
}

// at returns the range of the longest indexed prefix of ptr: a missing
// attribute is reported at its block, an element at its list, and anything
// else at the start of the file.
func (ix rangeIndex) at(ptr string) *hcl.Range {
	for p := ptr; ; {
		if r, ok := ix[p]; ok {
			return &r
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			r := ix[""]
			return &r
		}
		p = p[:i]
	}
}

// attributeAt names the innermost indexed attribute whose value holds r,
// for messages about a value gohcl could not convert.
func (ix rangeIndex) attributeAt(r hcl.Range) string {
	best := ""
	for ptr, rng := range ix {
		if rng.Filename == r.Filename && rng.ContainsOffset(r.Start.Byte) && len(ptr) > len(best) {
			best = ptr
		}
	}
	tokens := strings.Split(best, "/")
	for i := len(tokens) - 1; i > 0; i-- {
		if _, err := strconv.Atoi(tokens[i]); err != nil {
			return jsonpointer.Unescape(tokens[i])
		}
	}
	return "this attribute"
}
