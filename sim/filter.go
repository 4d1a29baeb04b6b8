package sim

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
)

// filter is a JSONPath filter selector, [?(expr)]. On an array it keeps
// the elements for which expr holds; on an object it keeps the object
// itself when expr holds for it (Jayway's rule).
//
// Expressions compare operands with == != < <= > >= and =~ (a /regex/
// with an optional i flag), combine them with && || ! and parentheses,
// and test existence with a bare path ([?(@.isbn)]). Operands are paths
// relative to the current node (@.x) or from the document root ($.x),
// strings, numbers, true, false and null.
type filter struct {
	text string
	expr predicate
}

func (filter) single() bool     { return false }
func (f filter) String() string { return "[" + f.text + "]" }

func (f filter) pick(node, root any, out []any) []any {
	switch n := node.(type) {
	case []any:
		for _, e := range n {
			if f.expr.test(e, root) {
				out = append(out, e)
			}
		}
	case map[string]any:
		if f.expr.test(n, root) {
			out = append(out, n)
		}
	}
	return out
}

type predicate interface {
	test(node, root any) bool
}

type (
	anyOf   []predicate
	allOf   []predicate
	negated struct{ p predicate }
	// comparison applies op; with op "" it tests that left exists. rel
	// is the order an ordering operator (<, <=, >, >=) wants.
	comparison struct {
		left, right operand
		op          string
		rel         asl.Comparison
	}
)

func (ps anyOf) test(node, root any) bool {
	for _, p := range ps {
		if p.test(node, root) {
			return true
		}
	}
	return false
}

func (ps allOf) test(node, root any) bool {
	for _, p := range ps {
		if !p.test(node, root) {
			return false
		}
	}
	return true
}

func (n negated) test(node, root any) bool { return !n.p.test(node, root) }

// test compares like Choice rules do: numbers with numbers, strings with
// strings; a missing operand or a type mismatch is false.
func (c comparison) test(node, root any) bool {
	l, ok := c.left.value(node, root)
	if !ok || c.op == "" {
		return ok && l != false
	}
	if re, ok := c.right.(pattern); ok {
		s, isString := l.(string)
		return isString && re.MatchString(s)
	}
	r, ok := c.right.value(node, root)
	switch {
	case !ok:
		return false
	case c.op == "==":
		return equalJSON(l, r)
	case c.op == "!=":
		return !equalJSON(l, r)
	}
	kind := asl.KindString
	if _, isNumber := l.(json.Number); isNumber {
		kind = asl.KindNumeric
	}
	order, comparable := orderOf(kind, l, r)
	return comparable && holds(c.rel, order)
}

// operand is a value in a filter expression: a path, a literal, or (as the
// right side of =~) a pattern.
type operand interface {
	value(node, root any) (any, bool)
}

// relativePath reads from the current node (@), absolutePath from the
// document root ($).
type (
	relativePath struct{ *jsonPath }
	absolutePath struct{ *jsonPath }
	literal      struct{ v any }
	pattern      struct{ *regexp.Regexp }
)

func (r relativePath) value(node, _ any) (any, bool) { return r.eval(node) }
func (a absolutePath) value(_, root any) (any, bool) { return a.eval(root) }
func (l literal) value(_, _ any) (any, bool)         { return l.v, true }

// value is undefined: a pattern is only matched against.
func (pattern) value(_, _ any) (any, bool) { return nil, false }

// parseFilter parses the inside of a [?(...)] selector.
func parseFilter(inner string) (filter, error) {
	body := strings.TrimSpace(strings.TrimPrefix(inner, "?"))
	if !strings.HasPrefix(body, "(") || !strings.HasSuffix(body, ")") {
		return filter{}, fmt.Errorf("filter %q: want ?(expression)", inner)
	}
	p := &filterParser{src: body[1 : len(body)-1]}
	e, err := p.or()
	if err == nil && p.skip() < len(p.src) {
		err = fmt.Errorf("unexpected %q", p.src[p.pos:])
	}
	if err != nil {
		return filter{}, fmt.Errorf("filter %q: %w", inner, err)
	}
	return filter{text: inner, expr: e}, nil
}

// filterParser is a recursive-descent parser: or := and ('||' and)*;
// and := unary ('&&' unary)*; unary := '!' unary | '(' or ')' | comparison.
type filterParser struct {
	src string
	pos int
}

func (p *filterParser) skip() int {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	return p.pos
}

// eat consumes tok if it comes next.
func (p *filterParser) eat(tok string) bool {
	p.skip()
	if strings.HasPrefix(p.src[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *filterParser) or() (predicate, error) {
	return p.chain("||", p.and, func(ps []predicate) predicate { return anyOf(ps) })
}

func (p *filterParser) and() (predicate, error) {
	return p.chain("&&", p.unary, func(ps []predicate) predicate { return allOf(ps) })
}

// chain parses operands separated by sep and joins two or more with join.
func (p *filterParser) chain(sep string, next func() (predicate, error), join func([]predicate) predicate) (predicate, error) {
	first, err := next()
	if err != nil {
		return nil, err
	}
	ps := []predicate{first}
	for p.eat(sep) {
		q, err := next()
		if err != nil {
			return nil, err
		}
		ps = append(ps, q)
	}
	if len(ps) == 1 {
		return first, nil
	}
	return join(ps), nil
}

func (p *filterParser) unary() (predicate, error) {
	switch {
	case p.eat("!") && !strings.HasPrefix(p.src[p.pos:], "="):
		inner, err := p.unary()
		return negated{inner}, err
	case p.eat("("):
		inner, err := p.or()
		if err == nil && !p.eat(")") {
			err = fmt.Errorf("missing ')'")
		}
		return inner, err
	}
	return p.comparison()
}

func (p *filterParser) comparison() (predicate, error) {
	left, err := p.operand(false)
	if err != nil {
		return nil, err
	}
	operators := []struct {
		tok string
		rel asl.Comparison
	}{
		{"==", asl.Equals}, {"!=", ""}, {"<=", asl.LessThanEquals}, {">=", asl.GreaterThanEquals},
		{"=~", ""}, {"<", asl.LessThan}, {">", asl.GreaterThan},
	}
	for _, op := range operators {
		if p.eat(op.tok) {
			right, err := p.operand(op.tok == "=~")
			return comparison{left: left, right: right, op: op.tok, rel: op.rel}, err
		}
	}
	return comparison{left: left}, nil
}

// operand reads a path, a quoted string, a /regex/ (when regex is true)
// or a bare word: a number, true, false or null.
func (p *filterParser) operand(regex bool) (operand, error) {
	p.skip()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("missing operand")
	}
	rest := p.src[p.pos:]
	switch c := rest[0]; {
	case c == '@' || c == '$':
		text := rest[:p.pathEnd(rest)]
		p.pos += len(text)
		if c == '@' {
			path, err := parsePath("$" + text[1:])
			return relativePath{path}, err
		}
		path, err := parsePath(text)
		return absolutePath{path}, err
	case c == '\'' || c == '"':
		s, after, err := quotedString(rest)
		p.pos = len(p.src) - len(after)
		return literal{s}, err
	case c == '/' && regex:
		return p.regex(rest)
	}
	end := strings.IndexAny(rest, " =!<>&|)")
	if end < 0 {
		end = len(rest)
	}
	p.pos += end
	v, err := parseJSON([]byte(rest[:end]))
	if err != nil {
		return nil, fmt.Errorf("bad operand %q", rest[:end])
	}
	return literal{v}, nil
}

// pathEnd returns the length of the path at the front of s: up to a space
// or an operator outside brackets and quotes.
func (p *filterParser) pathEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '[':
			if end := closingBracket(s[i:]); end > 0 {
				i += end
			}
		case strings.IndexByte(" =!<>&|)", c) >= 0:
			return i
		}
	}
	return len(s)
}

// regex reads /pattern/ or /pattern/i; "\/" stands for a slash.
func (p *filterParser) regex(rest string) (operand, error) {
	end := 1
	for end < len(rest) && rest[end] != '/' {
		if rest[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(rest) {
		return nil, fmt.Errorf("unterminated regex %q", rest)
	}
	expr := strings.ReplaceAll(rest[1:end], `\/`, "/")
	p.pos += end + 1
	if p.pos < len(p.src) && p.src[p.pos] == 'i' {
		expr, p.pos = "(?i)"+expr, p.pos+1
	}
	re, err := regexp.Compile(expr)
	return pattern{re}, err
}
