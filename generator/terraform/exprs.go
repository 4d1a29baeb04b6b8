package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// An expr is one HCL expression as hclwrite tokens.
//
// hclwrite builds literals from cty values (so quoting and the escaping of
// `${` are right), references, function calls, tuples and objects. The
// forms it has no builder for (templates, conditionals, comparisons, for
// expressions, computed indexes) are put together here from those builders
// and fixed punctuation, so no token ever holds text taken from the spec.
type expr = hclwrite.Tokens

// str is a string literal.
func str(s string) expr { return hclwrite.TokensForValue(cty.StringVal(s)) }

// num is a whole-number literal.
func num(n int) expr { return hclwrite.TokensForValue(cty.NumberIntVal(int64(n))) }

// boolean is true or false.
func boolean(b bool) expr { return hclwrite.TokensForValue(cty.BoolVal(b)) }

// null is the null literal.
func null() expr { return hclwrite.TokensForValue(cty.NullVal(cty.String)) }

// strOrNull is s, or null when s is empty (an optional setting left out).
func strOrNull(s string) expr {
	if s == "" {
		return null()
	}
	return str(s)
}

// strs is a tuple of string literals.
func strs(ss []string) expr {
	elems := make([]expr, len(ss))
	for i, s := range ss {
		elems[i] = str(s)
	}
	return hclwrite.TokensForTuple(elems)
}

// tuple is a tuple of expressions.
func tuple(elems ...expr) expr { return hclwrite.TokensForTuple(elems) }

// ident is a bare identifier: a type name such as string, or a variable of
// a for expression.
func ident(name string) expr { return hclwrite.TokensForIdentifier(name) }

// call is a function call.
func call(fn string, args ...expr) expr { return hclwrite.TokensForFunctionCall(fn, args...) }

// ref is a reference written in refreshgen's own source, such as
// "var.tags" or `module.step_functions["orchestrator"].arns`. Keys that come
// from the spec go through index instead, as literals.
func ref(s string) expr {
	t, diags := hclsyntax.ParseTraversalAbs([]byte(s), "", hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("terraform: bad reference %q: %s", s, diags.Error()))
	}
	return hclwrite.TokensForTraversal(t)
}

// index is coll[key].
func index(coll, key expr) expr {
	return join(coll, punct(hclsyntax.TokenOBrack, "["), key, punct(hclsyntax.TokenCBrack, "]"))
}

// get is e.name.
func get(e expr, name string) expr {
	return join(e, punct(hclsyntax.TokenDot, "."), ident(name))
}

// cond is c ? t : f.
func cond(c, t, f expr) expr {
	return join(c, punct(hclsyntax.TokenQuestion, "?"), t, punct(hclsyntax.TokenColon, ":"), f)
}

// operators are the binary operators the modules use.
var operators = map[string]hclsyntax.TokenType{
	"==": hclsyntax.TokenEqualOp,
	"!=": hclsyntax.TokenNotEqual,
	">":  hclsyntax.TokenGreaterThan,
	"&&": hclsyntax.TokenAnd,
}

// binary is a op b.
func binary(a expr, op string, b expr) expr {
	t, ok := operators[op]
	if !ok {
		panic("terraform: unknown operator " + op)
	}
	return join(a, punct(t, op), b)
}

// interpolate is the template "<before>${e}<after>"; the literal parts are
// escaped by hclwrite as any string literal is.
func interpolate(before string, e expr, after string) expr {
	return join(punct(hclsyntax.TokenOQuote, `"`), quotedPart(before),
		punct(hclsyntax.TokenTemplateInterp, "${"), e, punct(hclsyntax.TokenTemplateSeqEnd, "}"),
		quotedPart(after), punct(hclsyntax.TokenCQuote, `"`))
}

// quotedPart is the inside of the string literal s: its tokens without the
// quotes.
func quotedPart(s string) expr {
	lit := str(s)
	return lit[1 : len(lit)-1]
}

// forObject is `{ for k, v in coll : key => value }`, with `if filter`
// when filter is not nil.
func forObject(k, v string, coll, key, value, filter expr) expr {
	e := join(punct(hclsyntax.TokenOBrace, "{"), ident("for"), ident(k), punct(hclsyntax.TokenComma, ","), ident(v),
		ident("in"), coll, punct(hclsyntax.TokenColon, ":"), key, punct(hclsyntax.TokenFatArrow, "=>"), value)
	if filter != nil {
		e = join(e, ident("if"), filter)
	}
	return join(e, punct(hclsyntax.TokenCBrace, "}"))
}

// A field is one attribute of an object constructor or a block.
type field struct {
	name  string
	value expr
}

// object is an object constructor whose attribute names are identifiers
// (a schema's names, never the spec's).
func object(fields ...field) expr {
	attrs := make([]hclwrite.ObjectAttrTokens, len(fields))
	for i, f := range fields {
		attrs[i] = hclwrite.ObjectAttrTokens{Name: ident(f.name), Value: f.value}
	}
	return objectTokens(attrs)
}

// An entry is one element of a map.
type entry struct {
	key   string
	value expr
}

// mapping is a map constructor with quoted keys, so any string the spec
// holds is a safe key, in key order as Terraform shows maps.
func mapping(entries []entry) expr {
	entries = slices.Clone(entries)
	slices.SortStableFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	attrs := make([]hclwrite.ObjectAttrTokens, len(entries))
	for i, e := range entries {
		attrs[i] = hclwrite.ObjectAttrTokens{Name: str(e.key), Value: e.value}
	}
	return objectTokens(attrs)
}

// objectTokens is hclwrite.TokensForObject without its formatting pass,
// which only sets the spaces between tokens: the file's Bytes formats
// every token of the file again, from scratch, so the pass made no
// difference to the output, and it was the renderer's largest cost (each
// object of a nesting was formatted again by each object around it, and
// aligning its "=" counts the grapheme clusters of each line's name).
func objectTokens(attrs []hclwrite.ObjectAttrTokens) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrace, Bytes: []byte{'{'}}}
	if len(attrs) > 0 {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte{'\n'}})
	}
	for _, attr := range attrs {
		toks = append(toks, attr.Name...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte{'='}})
		toks = append(toks, attr.Value...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte{'\n'}})
	}
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte{'}'}})
}

// Type constraints of variables. Like every expr they are built afresh for
// each use: hclwrite's formatter adjusts the spacing of the very tokens it
// is given, so one token must never sit in two places of a file.
func tString() expr { return ident("string") }
func tNumber() expr { return ident("number") }
func tBool() expr   { return ident("bool") }

func listOf(t expr) expr   { return call("list", t) }
func setOf(t expr) expr    { return call("set", t) }
func mapOf(t expr) expr    { return call("map", t) }
func optional(t expr) expr { return call("optional", t) }

func objectOf(fields ...field) expr { return call("object", object(fields...)) }

// punct is one token of fixed punctuation or keyword text.
func punct(t hclsyntax.TokenType, text string) expr {
	return expr{{Type: t, Bytes: []byte(text)}}
}

func join(parts ...expr) expr {
	var out expr
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
