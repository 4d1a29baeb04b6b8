package asl

import (
	"strings"
	"testing"
)

// TestIntrinsicText: every function renders as Step Functions writes it,
// and parsing the text gives back a call that renders the same.
func TestIntrinsicText(t *testing.T) {
	tests := []struct {
		call *Intrinsic
		want string
	}{
		{Format("{} is {}", Ref("$.Name"), Str("ok")), `States.Format('{} is {}', $.Name, 'ok')`},
		{Format("it's {}\\", Ref("$.a")), `States.Format('it\'s {}\\', $.a)`},
		{Call(FnStringToJson, Ref("$.s")), `States.StringToJson($.s)`},
		{Call(FnJsonToString, Ref("$$.Execution.Input")), `States.JsonToString($$.Execution.Input)`},
		{Call(FnArray, Str("{a}"), Num(-2), Bool(false), Null{}), `States.Array('\{a\}', -2, false, null)`},
		{Call(FnArray), `States.Array()`},
		{Call(FnArrayPartition, Ref("$.l"), Num(4)), `States.ArrayPartition($.l, 4)`},
		{Call(FnArrayContains, Ref("$.l"), Str("x")), `States.ArrayContains($.l, 'x')`},
		{Call(FnArrayRange, Num(1), Num(9), Num(2)), `States.ArrayRange(1, 9, 2)`},
		{Call(FnArrayGetItem, Ref("$.l['a,b']"), Ref("$.i[0]")), `States.ArrayGetItem($.l['a,b'], $.i[0])`},
		{Call(FnArrayLength, Ref("$.l")), `States.ArrayLength($.l)`},
		{Call(FnArrayUnique, Ref("$.l")), `States.ArrayUnique($.l)`},
		{Call(FnBase64Encode, Str("a'b")), `States.Base64Encode('a\'b')`},
		{Call(FnBase64Decode, Ref("$.b")), `States.Base64Decode($.b)`},
		{Call(FnHash, Ref("$.d"), Str("SHA-256")), `States.Hash($.d, 'SHA-256')`},
		{Call(FnJsonMerge, Ref("$.a"), Ref("$.b"), Bool(false)), `States.JsonMerge($.a, $.b, false)`},
		{Call(FnMathRandom, Num(1), Num(100)), `States.MathRandom(1, 100)`},
		{Call(FnMathAdd, Ref("$.n"), Num(1)), `States.MathAdd($.n, 1)`},
		{Call(FnStringSplit, Ref("$.csv"), Str(",")), `States.StringSplit($.csv, ',')`},
		{Call(FnUUID), `States.UUID()`},
		{Call(FnArrayGetItem, Call(FnStringSplit, Ref("$.s"), Str(",")), Num(0)), `States.ArrayGetItem(States.StringSplit($.s, ','), 0)`},
	}
	for _, tt := range tests {
		if got := tt.call.expr(); got != tt.want {
			t.Errorf("render: got %s, want %s", got, tt.want)
			continue
		}
		parsed, err := parseExpr(tt.want)
		if err != nil {
			t.Errorf("parse %s: %v", tt.want, err)
			continue
		}
		if got := parsed.expr(); got != tt.want {
			t.Errorf("parse %s: renders back as %s", tt.want, got)
		}
	}
}

// TestParseExprSpacing: any spacing is read, the canonical one is written.
func TestParseExprSpacing(t *testing.T) {
	e, err := parseExpr(`States.MathAdd(  $.n ,2 )`)
	if err != nil || e.expr() != `States.MathAdd($.n, 2)` {
		t.Fatalf("got %v, %v", e, err)
	}
	if e, err := parseExpr(`$.a.b`); err != nil || e != Ref("$.a.b") {
		t.Fatalf("a path: got %v, %v", e, err)
	}
}

func TestParseExprErrors(t *testing.T) {
	for src, want := range map[string]string{
		`Format('x')`:                  `unknown intrinsic function "Format"`,
		`States.Format('x'`:            "want ',' or ')'",
		`States.Format('x`:             "unterminated string",
		`States.MathAdd($.a, one)`:     `bad argument "one"`,
		`States.UUID() + 1`:            "after the call",
		`hello`:                        "not a JSONPath or an intrinsic call",
		`States.Format('\{}', $.a)`:    "escaped braces",
		`States.ArrayLength($.a) $.b)`: "after the call",
	} {
		_, err := parseExpr(src)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", src, want, err)
		}
	}
}
