package sim

import (
	"cmp"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// choose returns the Next of the first rule that matches, or Default.
// Without a Default, no match raises States.NoChoiceMatched.
func (e env) choose(c *asl.Choice) (string, error) {
	for _, r := range c.Choices {
		ok, err := e.test(r.Condition)
		if err != nil {
			return "", err
		}
		if ok {
			return r.Next, nil
		}
	}
	if c.Default == "" {
		return "", fail(asl.ErrNoChoiceMatched, "no Choice rule matched and there is no Default")
	}
	return c.Default, nil
}

// test evaluates a condition. A Variable that does not resolve fails the
// execution with States.Runtime for every operator but IsPresent: it does
// not count as a non-match.
func (e env) test(c asl.Condition) (bool, error) {
	switch c.Operator {
	case asl.OpAnd, asl.OpOr:
		for _, o := range c.Operands {
			ok, err := e.test(o)
			if err != nil || ok == (c.Operator == asl.OpOr) {
				return ok, err
			}
		}
		return c.Operator == asl.OpAnd, nil
	case asl.OpNot:
		if len(c.Operands) != 1 {
			return false, runtimeError("Not takes one condition, not %d", len(c.Operands))
		}
		ok, err := e.test(c.Operands[0])
		return !ok, err
	}
	v, found, err := e.operand(c.Variable)
	if err != nil {
		return false, err
	}
	if c.Operator == asl.IsPresent {
		return found == (c.Value == true), nil
	}
	if !found {
		return false, runtimeError("Invalid path '%s': The choice state's condition path references an invalid value.", c.Variable)
	}
	if want, isTest := typeTest(c.Operator, v); isTest {
		return want == (c.Value == true), nil
	}
	return e.compare(c, v)
}

// operand reads a reference path from the input or the context object.
func (e env) operand(path string) (v any, found bool, err error) {
	v, p, found, err := e.lookup(path)
	if err == nil && !p.definite() {
		err = runtimeError("'%s' is not a reference path: it can select more than one node", path)
	}
	return v, found, err
}

// typeTest applies a type-test operator; isTest is false for the others.
func typeTest(op asl.Operator, v any) (result, isTest bool) {
	switch op {
	case asl.IsNull:
		return v == nil, true
	case asl.IsNumeric:
		_, ok := float(v)
		return ok, true
	case asl.IsString:
		_, ok := v.(string)
		return ok, true
	case asl.IsBoolean:
		_, ok := v.(bool)
		return ok, true
	case asl.IsTimestamp:
		_, ok := timestamp(v)
		return ok, true
	}
	return false, false
}

// compare applies a comparison operator, e.g. NumericLessThan or
// TimestampGreaterThanEqualsPath. Values of the wrong type never match.
func (e env) compare(c asl.Condition, v any) (bool, error) {
	op := string(c.Operator)
	other := c.Value
	if name, isPath := strings.CutSuffix(op, "Path"); isPath {
		op = name
		path, _ := c.Value.(string)
		w, found, err := e.operand(path)
		if err != nil {
			return false, err
		}
		if !found {
			return false, runtimeError("Invalid path '%s': The choice state's condition path references an invalid value.", path)
		}
		other = w
	}
	if op == "StringMatches" {
		s, ok1 := v.(string)
		pattern, ok2 := other.(string)
		return ok1 && ok2 && wildcardMatch(pattern, s), nil
	}
	for _, kind := range []asl.Kind{asl.KindString, asl.KindNumeric, asl.KindTimestamp, asl.KindBoolean} {
		if rel, ok := strings.CutPrefix(op, string(kind)); ok {
			order, comparable := orderOf(kind, v, other)
			return comparable && holds(asl.Comparison(rel), order), nil
		}
	}
	return false, runtimeError("unknown Choice operator %q", c.Operator)
}

// orderOf compares a and b as kind: -1, 0 or 1, and whether both are of
// that kind (booleans only compare for equality: 0 or 1).
func orderOf(kind asl.Kind, a, b any) (int, bool) {
	switch kind {
	case asl.KindString:
		x, ok1 := a.(string)
		y, ok2 := b.(string)
		return strings.Compare(x, y), ok1 && ok2
	case asl.KindNumeric:
		x, ok1 := float(a)
		y, ok2 := numeric(b)
		return cmp.Compare(x, y), ok1 && ok2
	case asl.KindTimestamp:
		x, ok1 := timestamp(a)
		y, ok2 := timestamp(b)
		return x.Compare(y), ok1 && ok2
	}
	x, ok1 := a.(bool)
	y, ok2 := b.(bool)
	if x == y {
		return 0, ok1 && ok2
	}
	return 1, ok1 && ok2
}

// numeric reads a Choice operand: a float64 from the definition or a
// JSON number from a *Path operand.
func numeric(v any) (float64, bool) {
	if f, ok := v.(float64); ok {
		return f, true
	}
	return float(v)
}

func holds(rel asl.Comparison, order int) bool {
	switch rel {
	case asl.Equals:
		return order == 0
	case asl.LessThan:
		return order < 0
	case asl.GreaterThan:
		return order > 0
	case asl.LessThanEquals:
		return order <= 0
	case asl.GreaterThanEquals:
		return order >= 0
	}
	return false
}

// timestamp parses an RFC 3339 timestamp such as 2026-01-02T03:04:05Z;
// the instants are compared, so offsets and fractions are honoured.
func timestamp(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// wildcardMatch matches s against a StringMatches pattern: "*" stands for
// any run of characters, "\*" for a literal star and "\\" for a
// backslash.
func wildcardMatch(pattern, s string) bool {
	type token struct {
		r    rune
		star bool
	}
	var tokens []token
	for runes := []rune(pattern); len(runes) > 0; runes = runes[1:] {
		switch {
		case runes[0] == '\\' && len(runes) > 1:
			runes = runes[1:]
			tokens = append(tokens, token{r: runes[0]})
		case runes[0] == '*':
			tokens = append(tokens, token{star: true})
		default:
			tokens = append(tokens, token{r: runes[0]})
		}
	}
	// match[j] reports whether tokens[:i] match text[:j], row by row.
	text := []rune(s)
	match := make([]bool, len(text)+1)
	match[0] = true
	for _, tok := range tokens {
		next := make([]bool, len(text)+1)
		for j := range next {
			switch {
			case tok.star:
				next[j] = match[j] || j > 0 && next[j-1]
			case j > 0:
				next[j] = match[j-1] && text[j-1] == tok.r
			}
		}
		match = next
	}
	return match[len(text)]
}
