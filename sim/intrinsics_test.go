package sim

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

// parseIntrinsic reads an intrinsic call as written in a definition.
func parseIntrinsic(t *testing.T, expr string) *asl.Intrinsic {
	t.Helper()
	doc := fmt.Sprintf(`{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"r.$": %q}, "End": true}}}`, expr)
	m, err := asl.Unmarshal([]byte(doc))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return m.States[0].State.(*asl.Pass).Parameters.Members[0].Value.(*asl.Intrinsic)
}

func testEnv(t *testing.T, input string) env {
	return env{
		input:   mustJSON(t, input),
		context: map[string]any{"Execution": map[string]any{"Name": "exec-1"}},
		rng:     rand.New(rand.NewPCG(1, 2)),
	}
}

const intrinsicInput = `{
	"name": "Arnav", "template": "Hello, my name is {}.", "n": 7, "f": 1.5, "neg": -2.5, "t": true, "nil": null,
	"obj": {"b": 2, "a": [1, "x"]}, "obj2": {"a": 9, "c": 3},
	"escaped": "{\"foo\": \"bar\"}", "notJson": "{foo",
	"list": [1, 2, 3, 3, 3, 4, {"k": 1}, {"k": 1}, 1.0],
	"csv": "a,b,,c", "arn": "arn:aws:states:us-east-1:123456789012:execution:m:e",
	"big": "` + "%s" + `", "b64": "RGF0YSB0byBlbmNvZGU=", "b64raw": "RGF0YSB0byBlbmNvZGU"
}`

func TestIntrinsics(t *testing.T) {
	input := fmt.Sprintf(intrinsicInput, strings.Repeat("x", maxStringChars+1))
	tests := []struct{ expr, want string }{
		{"States.Format('Hello, my name is {}.', $.name)", `"Hello, my name is Arnav."`},
		{"States.Format($.template, $.name)", `"Hello, my name is Arnav."`},
		{"States.Format('{} {} {} {} {}', $.n, $.f, $.t, $.nil, 'it\\'s')", `"7 1.5 true null it's"`},
		{"States.Format('no placeholders')", `"no placeholders"`},
		{"States.Format('{}', $$.Execution.Name)", `"exec-1"`},
		{"States.StringToJson($.escaped)", `{"foo":"bar"}`},
		{"States.JsonToString($.obj)", `"{\"a\":[1,\"x\"],\"b\":2}"`},
		{"States.Array($.n, 'a', true, null, $.obj2)", `[7,"a",true,null,{"a":9,"c":3}]`},
		{"States.Array()", `[]`},
		{"States.ArrayPartition($.list, 4)", `[[1,2,3,3],[3,4,{"k":1},{"k":1}],[1.0]]`},
		{"States.ArrayContains($.list, $.obj2)", `false`},
		{"States.ArrayContains($.list, 4)", `true`},
		{"States.ArrayRange(1, 9, 2)", `[1,3,5,7,9]`},
		{"States.ArrayRange(5, 1, -2)", `[5,3,1]`},
		{"States.ArrayRange(1, 1000, 1)", ``}, // 1000 items: checked below
		{"States.ArrayGetItem($.list, 5)", `4`},
		{"States.ArrayGetItem(States.StringSplit($.arn, ':'), 3)", `"us-east-1"`},
		{"States.ArrayLength($.list)", `9`},
		{"States.ArrayUnique($.list)", `[1,2,3,4,{"k":1}]`},
		{"States.Base64Encode('Data to encode')", `"RGF0YSB0byBlbmNvZGU="`},
		{"States.Base64Decode($.b64)", `"Data to encode"`},
		{"States.Base64Decode($.b64raw)", `"Data to encode"`},
		{"States.Hash('input data', 'SHA-1')", `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{"States.Hash('abc', 'MD5')", `"900150983cd24fb0d6963f7d28e17f72"`},
		{"States.Hash('abc', 'SHA-256')", `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{"States.Hash('abc', 'SHA-384')", `"cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"`},
		{"States.Hash('abc', 'SHA-512')", `"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"`},
		{"States.JsonMerge($.obj, $.obj2, false)", `{"a":9,"b":2,"c":3}`},
		{"States.MathAdd($.n, -1)", `6`},
		{"States.MathAdd($.f, $.neg)", `0`}, // 1.5 -> 2 and -2.5 -> -2, as Java's Math.round
		{"States.MathRandom(5, 5)", `5`},
		{"States.StringSplit($.csv, ',')", `["a","b","c"]`},
		{"States.StringSplit('This.is+a,test=string', '.+,=')", `["This","is","a","test","string"]`},
		{"States.StringSplit('', ',')", `[]`},
	}
	for _, tt := range tests {
		got, err := testEnv(t, input).call(parseIntrinsic(t, tt.expr), "r.$")
		if err != nil {
			t.Errorf("%s: %v", tt.expr, err)
			continue
		}
		if tt.want == "" {
			if n := len(got.([]any)); n != 1000 {
				t.Errorf("%s: %d items", tt.expr, n)
			}
			continue
		}
		if jsonText(got) != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, jsonText(got), tt.want)
		}
	}
}

func TestIntrinsicErrors(t *testing.T) {
	input := fmt.Sprintf(intrinsicInput, strings.Repeat("x", maxStringChars+1))
	tests := []struct{ expr, name, cause string }{
		{"States.Format('{} and {}', $.name)", asl.ErrIntrinsicFailure, "2 placeholders for 1 arguments"},
		{"States.Format('{}', $.obj)", asl.ErrIntrinsicFailure, "cannot format a object"},
		{"States.Format($.n)", asl.ErrIntrinsicFailure, "not a string"},
		{"States.StringToJson($.notJson)", asl.ErrIntrinsicFailure, "is not JSON"},
		{"States.StringToJson($.n)", asl.ErrIntrinsicFailure, "not a string"},
		{"States.ArrayPartition($.list, 0)", asl.ErrIntrinsicFailure, "must be positive"},
		{"States.ArrayPartition($.obj, 2)", asl.ErrIntrinsicFailure, "not an array"},
		{"States.ArrayPartition($.list, $.f)", asl.ErrIntrinsicFailure, "not an integer"},
		{"States.ArrayRange(1, 1001, 1)", asl.ErrIntrinsicFailure, "1001 items, more than 1000"},
		{"States.ArrayRange(1, 9, 0)", asl.ErrIntrinsicFailure, "must not be zero"},
		{"States.ArrayRange(1, $.f, 1)", asl.ErrIntrinsicFailure, "not an integer"},
		{"States.ArrayGetItem($.list, 9)", asl.ErrIntrinsicFailure, "outside the array"},
		{"States.ArrayGetItem($.list, -1)", asl.ErrIntrinsicFailure, "outside the array"},
		{"States.ArrayLength($.name)", asl.ErrIntrinsicFailure, "not an array"},
		{"States.ArrayUnique($.n)", asl.ErrIntrinsicFailure, "not an array"},
		{"States.Base64Encode($.big)", asl.ErrIntrinsicFailure, "10001 characters, more than 10000"},
		{"States.Base64Decode('%%%')", asl.ErrIntrinsicFailure, "not base64"},
		{"States.Hash($.big, 'MD5')", asl.ErrIntrinsicFailure, "more than 10000"},
		{"States.Hash('x', 'SHA-224')", asl.ErrIntrinsicFailure, "is not MD5"},
		{"States.Hash($.n, 'MD5')", asl.ErrIntrinsicFailure, "not a string"},
		{"States.JsonMerge($.obj, $.obj2, true)", asl.ErrIntrinsicFailure, "only shallow merging"},
		{"States.JsonMerge($.obj, $.list, false)", asl.ErrIntrinsicFailure, "argument 2 is a array"},
		{"States.MathAdd($.name, 1)", asl.ErrIntrinsicFailure, "not a number"},
		{"States.MathRandom(9, 1)", asl.ErrIntrinsicFailure, "start 9 is greater than end 1"},
		{"States.StringSplit($.n, ',')", asl.ErrIntrinsicFailure, "takes two strings"},
		{"States.UUID(1)", asl.ErrIntrinsicFailure, "takes 0 arguments, got 1"},
		{"States.MathAdd(1)", asl.ErrIntrinsicFailure, "takes 2 arguments, got 1"},
		{"States.MathRandom(1)", asl.ErrIntrinsicFailure, "takes 2 to 3 arguments, got 1"},
		{"States.ArrayLength($.missing)", asl.ErrRuntime, "The JSONPath '$.missing' specified for the field 'r.$' could not be found in the input"},
		{"States.ArrayGetItem(States.Array($.missing, 'default'), 0)", asl.ErrRuntime, "'$.missing'"},
	}
	for _, tt := range tests {
		_, err := testEnv(t, input).call(parseIntrinsic(t, tt.expr), "r.$")
		f, ok := err.(*Failure)
		if !ok || f.Name != tt.name || !strings.Contains(f.Cause, tt.cause) {
			t.Errorf("%s: got %v, want %s containing %q", tt.expr, err, tt.name, tt.cause)
		}
	}
}

// TestRandomIntrinsics: UUID and MathRandom come from the seeded
// generator, so the same seed gives the same values; a MathRandom seed
// argument fixes the value on its own.
func TestRandomIntrinsics(t *testing.T) {
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	draw := func(seed uint64, expr string) string {
		e := testEnv(t, `{}`)
		e.rng = rand.New(rand.NewPCG(seed, 0))
		v, err := e.call(parseIntrinsic(t, expr), "r.$")
		if err != nil {
			t.Fatal(err)
		}
		return jsonText(v)
	}
	a, b := draw(1, "States.UUID()"), draw(2, "States.UUID()")
	if !uuid.MatchString(strings.Trim(a, `"`)) || a != draw(1, "States.UUID()") || a == b {
		t.Errorf("UUIDs %s %s: want v4, reproducible per seed, different across seeds", a, b)
	}
	if draw(1, "States.MathRandom(1, 1000, 42)") != draw(2, "States.MathRandom(1, 1000, 42)") {
		t.Error("MathRandom with a seed argument must not depend on the execution")
	}
	for seed := range uint64(50) {
		n := draw(seed, "States.MathRandom(3, 5)")
		if n != "3" && n != "4" && n != "5" {
			t.Fatalf("MathRandom(3, 5) = %s", n)
		}
	}
}
