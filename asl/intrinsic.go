package asl

import (
	"fmt"
	"strconv"
	"strings"
)

// Fn names an intrinsic function.
type Fn string

// The intrinsic functions of the JSONPath query language.
const (
	FnFormat         Fn = "States.Format"
	FnStringToJson   Fn = "States.StringToJson"
	FnJsonToString   Fn = "States.JsonToString"
	FnArray          Fn = "States.Array"
	FnArrayPartition Fn = "States.ArrayPartition"
	FnArrayContains  Fn = "States.ArrayContains"
	FnArrayRange     Fn = "States.ArrayRange"
	FnArrayGetItem   Fn = "States.ArrayGetItem"
	FnArrayLength    Fn = "States.ArrayLength"
	FnArrayUnique    Fn = "States.ArrayUnique"
	FnBase64Encode   Fn = "States.Base64Encode"
	FnBase64Decode   Fn = "States.Base64Decode"
	FnHash           Fn = "States.Hash"
	FnJsonMerge      Fn = "States.JsonMerge"
	FnMathRandom     Fn = "States.MathRandom"
	FnMathAdd        Fn = "States.MathAdd"
	FnStringSplit    Fn = "States.StringSplit"
	FnUUID           Fn = "States.UUID"
)

// Arity returns how many arguments fn takes (max -1: no upper bound) and
// whether fn is an intrinsic function at all.
func (fn Fn) Arity() (min, max int, ok bool) {
	switch fn {
	case FnUUID:
		return 0, 0, true
	case FnStringToJson, FnJsonToString, FnArrayLength, FnArrayUnique, FnBase64Encode, FnBase64Decode:
		return 1, 1, true
	case FnArrayPartition, FnArrayContains, FnArrayGetItem, FnHash, FnMathAdd, FnStringSplit:
		return 2, 2, true
	case FnMathRandom:
		return 2, 3, true
	case FnArrayRange, FnJsonMerge:
		return 3, 3, true
	case FnFormat:
		return 1, -1, true
	case FnArray:
		return 0, -1, true
	}
	return 0, 0, false
}

// Takes reports whether intrinsic function fn takes n arguments.
func (fn Fn) Takes(n int) bool {
	lo, hi, ok := fn.Arity()
	return ok && n >= lo && (hi < 0 || n <= hi)
}

// ArityText says how many arguments fn takes: "2", "2 to 3", "at least 1".
func (fn Fn) ArityText() string {
	lo, hi, _ := fn.Arity()
	switch {
	case hi < 0:
		return "at least " + strconv.Itoa(lo)
	case lo == hi:
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// returnsString reports whether fn may stand where Step Functions wants a
// string-valued intrinsic (Fail ErrorPath and CausePath).
func (fn Fn) returnsString() bool {
	switch fn {
	case FnFormat, FnJsonToString, FnArrayGetItem, FnBase64Encode, FnBase64Decode, FnHash, FnUUID:
		return true
	}
	return false
}

// Intrinsic is a call of an intrinsic function, evaluated at run time.
type Intrinsic struct {
	Fn   Fn
	Args []Arg
}

// Call returns a call of fn; Check verifies the argument count.
func Call(fn Fn, args ...Arg) *Intrinsic { return &Intrinsic{Fn: fn, Args: args} }

// Format returns States.Format(template, args...); every "{}" in template
// takes the next argument.
func Format(template string, args ...Arg) *Intrinsic {
	return Call(FnFormat, append([]Arg{Template(template)}, args...)...)
}

// Template is the first argument of States.Format. Unlike Str its braces
// are placeholders, so only quote and backslash are escaped.
type Template string

func (t Template) argText() string { return "'" + escapeArg(string(t), `'\`) + "'" }

func (c *Intrinsic) expr() string { return c.argText() }
func (c *Intrinsic) argText() string {
	args := make([]string, len(c.Args))
	for i, a := range c.Args {
		if a == nil {
			args[i] = "null"
			continue
		}
		args[i] = a.argText()
	}
	return string(c.Fn) + "(" + strings.Join(args, ", ") + ")"
}

// parseExpr reads the value of a ".$" field (or ErrorPath/CausePath): a
// JSONPath or an intrinsic call.
func parseExpr(s string) (Expr, error) {
	if strings.HasPrefix(s, "$") {
		return Ref(s), nil
	}
	p := exprParser{src: s}
	c, err := p.call()
	if err == nil && p.pos < len(p.src) {
		err = p.errorf("unexpected %q after the call", p.src[p.pos:])
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// exprParser is a recursive-descent parser for intrinsic calls.
type exprParser struct {
	src string
	pos int
}

func (p *exprParser) errorf(format string, args ...any) error {
	return fmt.Errorf("intrinsic %q at offset %d: %s", p.src, p.pos, fmt.Sprintf(format, args...))
}

func (p *exprParser) skipSpace() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *exprParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *exprParser) call() (*Intrinsic, error) {
	open := strings.IndexByte(p.src[p.pos:], '(')
	if open < 0 {
		return nil, p.errorf("not a JSONPath or an intrinsic call")
	}
	fn := Fn(p.src[p.pos : p.pos+open])
	if _, _, ok := fn.Arity(); !ok {
		return nil, p.errorf("unknown intrinsic function %q", fn)
	}
	p.pos += open + 1
	c := &Intrinsic{Fn: fn}
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
		return c, nil
	}
	for {
		p.skipSpace()
		a, err := p.arg(fn == FnFormat && len(c.Args) == 0)
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, a)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return c, nil
		default:
			return nil, p.errorf("want ',' or ')'")
		}
	}
}

func (p *exprParser) arg(template bool) (Arg, error) {
	switch c := p.peek(); {
	case c == '\'':
		s, err := p.quoted(template)
		if template {
			return Template(s), err
		}
		return Str(s), err
	case c == '$':
		return p.path(), nil
	case strings.HasPrefix(p.src[p.pos:], "States."):
		return p.call()
	}
	return p.literal()
}

// quoted reads a single-quoted string. In a Format template an escaped
// brace cannot be told apart from a placeholder once unescaped, so it is
// refused rather than silently changed.
func (p *exprParser) quoted(template bool) (string, error) {
	var b strings.Builder
	for p.pos++; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		switch {
		case c == '\'':
			p.pos++
			return b.String(), nil
		case c == '\\' && p.pos+1 < len(p.src):
			p.pos++
			if template && strings.IndexByte("{}", p.src[p.pos]) >= 0 {
				return "", p.errorf("escaped braces in a States.Format template are not supported")
			}
			b.WriteByte(p.src[p.pos])
		default:
			b.WriteByte(c)
		}
	}
	return "", p.errorf("unterminated string")
}

// path reads a JSONPath argument up to the ',' or ')' that ends it; commas
// and parentheses inside brackets or quotes belong to the path.
func (p *exprParser) path() Ref {
	start, depth, quoted := p.pos, 0, false
	for ; p.pos < len(p.src); p.pos++ {
		switch c := p.src[p.pos]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '[' || c == '(':
			depth++
		case (c == ']' || c == ')') && depth > 0:
			depth--
		case (c == ',' || c == ')') && depth == 0:
			return Ref(strings.TrimRight(p.src[start:p.pos], " "))
		}
	}
	return Ref(p.src[start:])
}

func (p *exprParser) literal() (Arg, error) {
	end := p.pos
	for end < len(p.src) && !strings.ContainsRune(", )", rune(p.src[end])) {
		end++
	}
	word := p.src[p.pos:end]
	p.pos = end
	switch word {
	case "true", "false":
		return Bool(word == "true"), nil
	case "null":
		return Null{}, nil
	}
	f, err := strconv.ParseFloat(word, 64)
	if err != nil {
		return nil, p.errorf("bad argument %q", word)
	}
	return Num(f), nil
}
