package sim

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

const choiceInput = `{
	"s": "available", "n": 5, "m": 5.0, "b": true, "nil": null, "arr": [1],
	"ts": "2026-01-02T03:04:05Z", "tsOffset": "2026-01-02T05:04:05+02:00", "tsFrac": "2026-01-02T03:04:05.5Z",
	"notTs": "2026-01-02 03:04:05", "star": "a*b", "back": "a\\b"
}`

func TestChoiceConditions(t *testing.T) {
	s, n, ts := "$.s", "$.n", "$.ts"
	tests := []struct {
		name string
		cond asl.Condition
		want bool
	}{
		{"StringEquals", asl.CompareString(s, asl.Equals, "available"), true},
		{"StringLessThan", asl.CompareString(s, asl.LessThan, "b"), true},
		{"StringGreaterThanEquals", asl.CompareString(s, asl.GreaterThanEquals, "available"), true},
		{"string op on a number", asl.CompareString(n, asl.Equals, "5"), false},
		{"NumericEquals int and float", asl.CompareNumber("$.m", asl.Equals, 5), true},
		{"NumericLessThan", asl.CompareNumber(n, asl.LessThan, 5.5), true},
		{"NumericGreaterThan", asl.CompareNumber(n, asl.GreaterThan, 5), false},
		{"NumericLessThanEquals", asl.CompareNumber(n, asl.LessThanEquals, 5), true},
		{"numeric op on a string", asl.CompareNumber(s, asl.Equals, 5), false},
		{"BooleanEquals", asl.BooleanEquals("$.b", true), true},
		{"BooleanEquals false", asl.BooleanEquals("$.b", false), false},
		{"TimestampEquals across offsets", asl.CompareTimestamp("$.tsOffset", asl.Equals, "2026-01-02T03:04:05Z"), true},
		{"TimestampLessThan fraction", asl.CompareTimestamp(ts, asl.LessThan, "2026-01-02T03:04:05.5Z"), true},
		{"TimestampGreaterThanEquals", asl.CompareTimestamp("$.tsFrac", asl.GreaterThanEquals, "2026-01-02T03:04:05Z"), true},
		{"timestamp op on a non-timestamp", asl.CompareTimestamp("$.notTs", asl.LessThan, "2030-01-01T00:00:00Z"), false},
		{"NumericEqualsPath", asl.ComparePaths(asl.KindNumeric, n, asl.Equals, "$.m"), true},
		{"StringLessThanPath", asl.ComparePaths(asl.KindString, "$.star", asl.LessThan, s), true},
		{"TimestampLessThanPath", asl.ComparePaths(asl.KindTimestamp, ts, asl.LessThan, "$.tsFrac"), true},
		{"BooleanEqualsPath", asl.ComparePaths(asl.KindBoolean, "$.b", asl.Equals, "$.b"), true},
		{"StringMatches prefix", asl.StringMatches(s, "avail*"), true},
		{"StringMatches middle", asl.StringMatches(s, "a*l*e"), true},
		{"StringMatches no match", asl.StringMatches(s, "*x*"), false},
		{"StringMatches escaped star", asl.StringMatches("$.star", `a\*b`), true},
		{"StringMatches escaped star is literal", asl.StringMatches(s, `a\*`), false},
		{"StringMatches escaped backslash", asl.StringMatches("$.back", `a\\b`), true},
		{"IsPresent", asl.TypeTest(asl.IsPresent, "$.missing", false), true},
		{"IsPresent on null", asl.TypeTest(asl.IsPresent, "$.nil", true), true},
		{"IsNull", asl.TypeTest(asl.IsNull, "$.nil", true), true},
		{"IsNumeric", asl.TypeTest(asl.IsNumeric, n, true), true},
		{"IsString", asl.TypeTest(asl.IsString, n, false), true},
		{"IsBoolean", asl.TypeTest(asl.IsBoolean, "$.b", true), true},
		{"IsTimestamp", asl.TypeTest(asl.IsTimestamp, ts, true), true},
		{"IsTimestamp false", asl.TypeTest(asl.IsTimestamp, "$.notTs", true), false},
		{"context Variable", asl.CompareString("$$.Execution.Name", asl.Equals, "exec-1"), true},
		{"And", asl.And(asl.BooleanEquals("$.b", true), asl.CompareNumber(n, asl.Equals, 5)), true},
		{"Or", asl.Or(asl.BooleanEquals("$.b", false), asl.CompareNumber(n, asl.Equals, 5)), true},
		{"Not", asl.Not(asl.BooleanEquals("$.b", true)), false},
		// IsPresent guards a later comparison: And stops at the first false.
		{"guarded", asl.And(asl.TypeTest(asl.IsPresent, "$.missing", true), asl.CompareString("$.missing", asl.Equals, "x")), false},
	}
	for _, tt := range tests {
		got, err := testEnv(t, choiceInput).test(tt.cond)
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

// TestChoiceMissingPath: a comparison on a path that does not exist is a
// States.Runtime failure, never a fall through to Default.
func TestChoiceMissingPath(t *testing.T) {
	c := &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.CompareString("$.missing", asl.Equals, "x"), "A")},
		Default: "B",
	}
	for _, cond := range []asl.Condition{
		asl.CompareString("$.missing", asl.Equals, "x"),
		asl.TypeTest(asl.IsNull, "$.missing", true),
		asl.ComparePaths(asl.KindNumeric, "$.n", asl.Equals, "$.missing"),
	} {
		c.Choices[0].Condition = cond
		_, err := testEnv(t, choiceInput).choose(c)
		f, ok := err.(*Failure)
		if !ok || f.Name != asl.ErrRuntime || !strings.Contains(f.Cause, "Invalid path '$.missing': The choice state's condition path references an invalid value.") {
			t.Errorf("%s: got %v", cond.Operator, err)
		}
	}
}

func TestChoiceDefault(t *testing.T) {
	c := &asl.Choice{Choices: []asl.Rule{asl.When(asl.BooleanEquals("$.b", false), "A")}}
	if _, err := testEnv(t, choiceInput).choose(c); err == nil || err.(*Failure).Name != asl.ErrNoChoiceMatched {
		t.Errorf("no match without Default: got %v", err)
	}
	c.Default = "B"
	if next, err := testEnv(t, choiceInput).choose(c); next != "B" || err != nil {
		t.Errorf("Default: got %q, %v", next, err)
	}
}
