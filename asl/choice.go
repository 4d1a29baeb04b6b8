package asl

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Choice moves to the Next of the first rule that matches, or to Default.
// A Choice has no End: it always transitions.
type Choice struct {
	Comment    string
	Choices    []Rule
	InputPath  Path
	OutputPath Path
	// Default is taken when no rule matches; without it such an execution
	// fails with States.NoChoiceMatched.
	Default string
}

func (*Choice) Type() string { return "Choice" }

func (c *Choice) fields() []field {
	choices := listField("Choices", &c.Choices, encodeRule, decodeRule)
	choices.reads = func(at string) []Read {
		var out []Read
		for i, r := range c.Choices {
			out = append(out, conditionReads(r.Condition, fmt.Sprintf("%s[%d]", at, i))...)
		}
		return out
	}
	choices.check = func(ck *checker, at string) {
		for i, r := range c.Choices {
			ck.condition(fmt.Sprintf("%s[%d]", at, i), r.Condition)
		}
	}
	return concat(
		[]field{stringField("Comment", &c.Comment), choices},
		ioFields(&c.InputPath, &c.OutputPath),
		[]field{stringField("Default", &c.Default)},
	)
}

// Rule is a top-level Choice rule: a condition and the state to go to.
type Rule struct {
	Condition Condition
	Next      string
}

// When returns the rule "if c, go to next".
func When(c Condition, next string) Rule { return Rule{Condition: c, Next: next} }

// Condition is a Boolean expression of a Choice rule: a comparison of
// Variable by Operator with Value, a type test, or And/Or/Not of Operands.
type Condition struct {
	Variable string
	Operator Operator
	// Value is a string, float64 or bool as the operator wants; for the
	// *Path operators it is the JSONPath of the other operand.
	Value    any
	Operands []Condition
}

// Operator is the key naming a Choice comparison, e.g. "StringEquals".
type Operator string

// Logical operators and type tests. Comparison operators are composed by
// the constructors from a Kind and a Comparison.
const (
	OpAnd       Operator = "And"
	OpOr        Operator = "Or"
	OpNot       Operator = "Not"
	IsNull      Operator = "IsNull"
	IsPresent   Operator = "IsPresent"
	IsNumeric   Operator = "IsNumeric"
	IsString    Operator = "IsString"
	IsBoolean   Operator = "IsBoolean"
	IsTimestamp Operator = "IsTimestamp"
)

// Kind is the type of the values an operator compares.
type Kind string

// The comparable kinds; each is the prefix of its operators' names.
const (
	KindString    Kind = "String"
	KindNumeric   Kind = "Numeric"
	KindTimestamp Kind = "Timestamp"
	KindBoolean   Kind = "Boolean"
)

// Comparison is the relation an operator tests.
type Comparison string

// Comparisons; Boolean operators only have Equals.
const (
	Equals            Comparison = "Equals"
	LessThan          Comparison = "LessThan"
	GreaterThan       Comparison = "GreaterThan"
	LessThanEquals    Comparison = "LessThanEquals"
	GreaterThanEquals Comparison = "GreaterThanEquals"
)

// CompareString compares the string at variable with value.
func CompareString(variable string, c Comparison, value string) Condition {
	return compare(KindString, c, variable, value)
}

// CompareNumber compares the number at variable with value.
func CompareNumber(variable string, c Comparison, value float64) Condition {
	return compare(KindNumeric, c, variable, value)
}

// CompareTimestamp compares the RFC 3339 timestamp at variable with value.
func CompareTimestamp(variable string, c Comparison, value string) Condition {
	return compare(KindTimestamp, c, variable, value)
}

// BooleanEquals tests the boolean at variable.
func BooleanEquals(variable string, value bool) Condition {
	return compare(KindBoolean, Equals, variable, value)
}

// StringMatches matches the string at variable against a pattern in which
// "*" stands for any run of characters.
func StringMatches(variable, pattern string) Condition {
	return Condition{Variable: variable, Operator: "StringMatches", Value: pattern}
}

// ComparePaths compares the values at two paths, e.g.
// ComparePaths(KindNumeric, "$.Done", LessThan, "$.Total").
func ComparePaths(k Kind, variable string, c Comparison, other string) Condition {
	return Condition{Variable: variable, Operator: Operator(string(k) + string(c) + "Path"), Value: other}
}

// TypeTest applies a type test (IsPresent, IsNull, ...) to variable; want
// false tests the opposite. IsPresent is the only way to read an optional
// field: any other operator on a missing path fails the execution.
func TypeTest(test Operator, variable string, want bool) Condition {
	return Condition{Variable: variable, Operator: test, Value: want}
}

// And is true when every condition is.
func And(cs ...Condition) Condition { return Condition{Operator: OpAnd, Operands: cs} }

// Or is true when any condition is.
func Or(cs ...Condition) Condition { return Condition{Operator: OpOr, Operands: cs} }

// Not negates c.
func Not(c Condition) Condition { return Condition{Operator: OpNot, Operands: []Condition{c}} }

func compare(k Kind, c Comparison, variable string, value any) Condition {
	return Condition{Variable: variable, Operator: Operator(string(k) + string(c)), Value: value}
}

// operand is what an operator's value must be.
type operand int

const (
	badOperand operand = iota
	stringOperand
	numberOperand
	boolOperand
	timestampOperand
	pathOperand
	testOperand
	logicOperand
)

func (op Operator) operand() operand {
	switch op {
	case OpAnd, OpOr, OpNot:
		return logicOperand
	case IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp:
		return testOperand
	case "StringMatches":
		return stringOperand
	}
	name, isPath := strings.CutSuffix(string(op), "Path")
	kinds := []struct {
		kind    Kind
		operand operand
	}{{KindString, stringOperand}, {KindNumeric, numberOperand}, {KindTimestamp, timestampOperand}, {KindBoolean, boolOperand}}
	for _, k := range kinds {
		c, ok := strings.CutPrefix(name, string(k.kind))
		if !ok || !validComparison(k.kind, Comparison(c)) {
			continue
		}
		if isPath {
			return pathOperand
		}
		return k.operand
	}
	return badOperand
}

func validComparison(k Kind, c Comparison) bool {
	switch c {
	case Equals:
		return true
	case LessThan, GreaterThan, LessThanEquals, GreaterThanEquals:
		return k != KindBoolean
	}
	return false
}

func encodeRule(r Rule) any {
	return append(encodeCondition(r.Condition), member{key: "Next", value: r.Next})
}

func encodeCondition(c Condition) object {
	switch c.Operator {
	case OpAnd, OpOr:
		list := make([]any, len(c.Operands))
		for i, o := range c.Operands {
			list[i] = encodeCondition(o)
		}
		return object{{key: string(c.Operator), value: list}}
	case OpNot:
		var inner any // nil when Operands is empty: Check reports it
		if len(c.Operands) > 0 {
			inner = encodeCondition(c.Operands[0])
		}
		return object{{key: "Not", value: inner}}
	}
	value := c.Value
	if f, ok := value.(float64); ok {
		value = json.Number(formatNumber(f))
	}
	return object{{key: "Variable", value: c.Variable}, {key: string(c.Operator), value: value}}
}

func decodeRule(v any, at string) (Rule, error) {
	c, next, err := decodeCondition(v, at, true)
	return Rule{Condition: c, Next: next}, err
}

// decodeCondition reads a condition; only a top-level rule may have Next.
func decodeCondition(v any, at string, top bool) (c Condition, next string, err error) {
	o, ok := v.(object)
	if !ok {
		return c, "", typeError(at, "a Choice rule object")
	}
	for _, m := range o {
		key := join(at, m.key)
		switch op := Operator(m.key); {
		case m.key == "Variable":
			err = decodeString(m.value, key, &c.Variable)
		case m.key == "Next" && top:
			err = decodeString(m.value, key, &next)
		case c.Operator != "" && op.operand() != badOperand:
			err = fmt.Errorf("%s: second operator %q after %q", at, m.key, c.Operator)
		case op == OpNot:
			var inner Condition
			inner, _, err = decodeCondition(m.value, key, false)
			c.Operator, c.Operands = op, []Condition{inner}
		case op == OpAnd || op == OpOr:
			c.Operator = op
			err = listField(m.key, &c.Operands, nil, decodeNested).decode(m.value, key)
		case op.operand() != badOperand:
			c.Operator, c.Value, err = op, decodeOperand(m.value), nil
		default:
			err = fmt.Errorf("%s: unknown field %q", at, m.key)
		}
		if err != nil {
			return c, next, err
		}
	}
	return c, next, nil
}

func decodeNested(v any, at string) (Condition, error) {
	c, _, err := decodeCondition(v, at, false)
	return c, err
}

// decodeOperand keeps the JSON type of a comparison value, so that Check
// can report a mismatch with the operator.
func decodeOperand(v any) any {
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		if err == nil {
			return f
		}
	}
	return v
}

// operandAt locates the i-th operand of an And, Or or Not condition at
// at, as its JSON nests it: Not holds one condition, the others a list.
func operandAt(at string, op Operator, i int) string {
	if op == OpNot {
		return at + ".Not"
	}
	return fmt.Sprintf("%s.%s[%d]", at, op, i)
}

// conditionReads lists the paths a condition reads.
func conditionReads(c Condition, at string) []Read {
	switch c.Operator {
	case OpAnd, OpOr, OpNot:
		var out []Read
		for i, o := range c.Operands {
			out = append(out, conditionReads(o, operandAt(at, c.Operator, i))...)
		}
		return out
	}
	r := newRead(at+".Variable", c.Variable, Input)
	r.Optional = c.Operator == IsPresent
	out := []Read{r}
	if other, ok := c.Value.(string); ok && c.Operator.operand() == pathOperand {
		out = append(out, newRead(at+"."+string(c.Operator), other, Input))
	}
	return out
}
