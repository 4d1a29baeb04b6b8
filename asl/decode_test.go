package asl

import (
	"strings"
	"testing"
)

// TestDecodeTypes feeds the decoders wrongly typed JSON directly. Unmarshal
// never gets there, as the schema refuses such documents first; the
// decoders still must not panic when the two disagree.
func TestDecodeTypes(t *testing.T) {
	for doc, want := range map[string]string{
		`[]`:                                  "(machine): want an object",
		`{"StartAt": 1}`:                      "StartAt: want a string",
		`{"States": []}`:                      "States: want an object",
		`{"States": {"A": 1}}`:                "States.A: want a state object",
		`{"States": {"A": {}}}`:               "States.A: missing Type",
		`{"States": {"A": {"Type": "Loop"}}}`: `unknown state type "Loop"`,
		`{"TimeoutSeconds": "1"}`:             "TimeoutSeconds: want an integer",
		`{"TimeoutSeconds": 1.5}`:             "TimeoutSeconds: want an integer",
		`{"States": {"A": {"Type": "Pass", "End": 1}}}`:                                                                "States.A.End: want a boolean",
		`{"States": {"A": {"Type": "Pass", "InputPath": 1}}}`:                                                          "States.A.InputPath: want a JSONPath or null",
		`{"States": {"A": {"Type": "Task", "Retry": {}}}}`:                                                             "States.A.Retry: want an array",
		`{"States": {"A": {"Type": "Task", "Retry": [{"BackoffRate": "2"}]}}}`:                                         "BackoffRate: want a number",
		`{"States": {"A": {"Type": "Pass", "Parameters": []}}}`:                                                        "States.A.Parameters: want an object",
		`{"States": {"A": {"Type": "Pass", "Parameters": {"x.$": 1}}}}`:                                                "want a JSONPath or intrinsic string",
		`{"States": {"A": {"Type": "Choice", "Choices": [1]}}}`:                                                        "Choices[0]: want a Choice rule object",
		`{"States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$", "IsNull": true, "Next": "A", "Foo": 1}]}}}`: `unknown field "Foo"`,
		`{"States": {"A": {"Type": "Choice", "Choices": [{"Not": {"Variable": "$", "IsNull": true, "Next": "A"}}]}}}`:  `Choices[0].Not: unknown field "Next"`,
	} {
		tree, err := parseJSON([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		err = decodeRecord(tree, &Machine{}, "")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: want an error containing %q, got %v", doc, want, err)
		}
	}
}
