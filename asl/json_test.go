package asl_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

var update = flag.Bool("update", false, "rewrite testdata/*.asl.json from the test machines")

// testMachines are the machines every whole-document test runs on; the
// first two are also golden files.
func testMachines() map[string]*asl.Machine {
	return map[string]*asl.Machine{
		"poll_cluster": pollClusterMachine(),
		"kitchen_sink": kitchenSinkMachine(),
		"simple":       simpleMachine(),
		"loop":         loopMachine(),
		"nested":       nestedMachine(),
	}
}

func mustMarshal(t *testing.T, m *asl.Machine) []byte {
	t.Helper()
	data, err := asl.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGolden(t *testing.T) {
	for _, name := range []string{"poll_cluster", "kitchen_sink"} {
		t.Run(name, func(t *testing.T) {
			got := mustMarshal(t, testMachines()[name])
			path := filepath.Join("testdata", name+".asl.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with: go test ./asl -run TestGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Marshal differs from %s; review the diff, then: go test ./asl -run TestGolden -update\ngot:\n%s", path, got)
			}
		})
	}
}

// TestRoundTrip: Marshal(Unmarshal(x)) == x for every document Marshal
// writes, golden files included.
func TestRoundTrip(t *testing.T) {
	for name, m := range testMachines() {
		t.Run(name, func(t *testing.T) {
			data := mustMarshal(t, m)
			back, err := asl.Unmarshal(data)
			if err != nil {
				t.Fatal(err)
			}
			if again := mustMarshal(t, back); !bytes.Equal(again, data) {
				t.Fatalf("round trip changed the document:\nbefore:\n%s\nafter:\n%s", data, again)
			}
			if err := back.Check(asl.CheckOptions{}); err != nil {
				t.Fatalf("the read-back machine fails Check: %v", err)
			}
		})
	}
}

// TestDeterministic marshals the same model concurrently under different
// GOMAXPROCS and wants the same bytes every time.
func TestDeterministic(t *testing.T) {
	want := mustMarshal(t, kitchenSinkMachine())
	for _, procs := range []int{1, runtime.NumCPU()} {
		old := runtime.GOMAXPROCS(procs)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if got, _ := asl.Marshal(kitchenSinkMachine()); !bytes.Equal(got, want) {
					t.Errorf("GOMAXPROCS=%d: Marshal is not deterministic", procs)
				}
			})
		}
		wg.Wait()
		runtime.GOMAXPROCS(old)
	}
}

func TestMarshalLayout(t *testing.T) {
	data := mustMarshal(t, kitchenSinkMachine())
	text := string(data)
	switch {
	case !strings.HasSuffix(text, "}\n") || strings.HasSuffix(text, "\n\n"):
		t.Error("want exactly one trailing newline")
	case strings.Contains(text, "\r"):
		t.Error("want LF line ends only")
	case strings.Contains(text, `\u003c`) || !strings.Contains(text, `<b>&</b>`):
		t.Error("want no HTML escaping")
	case !strings.HasPrefix(text, "{\n  \"Comment\": "):
		t.Error("want 2-space indent and Comment first")
	}
	keys := []string{`"Comment"`, `"StartAt"`, `"States"`, `"TimeoutSeconds"`, `"Version"`}
	last := -1
	for _, k := range keys {
		i := strings.Index(text, "\n  "+k)
		if i < last {
			t.Errorf("top-level key %s out of order", k)
		}
		last = i
	}
}

// TestNullPaths: absent, a path and JSON null stay three different
// things through Marshal and Unmarshal.
func TestNullPaths(t *testing.T) {
	m := simpleMachine()
	call := state[*asl.Task](m, "Call")
	call.ResultPath = asl.Discard()
	call.OutputPath = asl.At("$.Kept")
	data := mustMarshal(t, m)
	text := string(data)
	if !strings.Contains(text, `"ResultPath": null`) || !strings.Contains(text, `"OutputPath": "$.Kept"`) || strings.Contains(text, `"InputPath"`) {
		t.Fatalf("want ResultPath null, OutputPath set, InputPath absent:\n%s", data)
	}
	back, err := asl.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	got := state[*asl.Task](back, "Call")
	if got.ResultPath.String() != "null" || got.OutputPath.String() != "$.Kept" || got.InputPath.String() != "" {
		t.Errorf("String: %q %q %q", got.ResultPath, got.OutputPath, got.InputPath)
	}
	if !got.ResultPath.IsNull() || got.OutputPath.Expr() != "$.Kept" || got.InputPath.IsSet() {
		t.Fatalf("read back ResultPath=%q OutputPath=%q InputPath=%q", got.ResultPath, got.OutputPath, got.InputPath)
	}
}

// TestUnmarshalDefaults: a retrier without its numbers gets the AWS
// defaults, and a Wait with "Seconds": 0 keeps it.
func TestUnmarshalDefaults(t *testing.T) {
	m, err := asl.Unmarshal([]byte(`{"StartAt": "T", "States": {
		"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["States.ALL"]}], "Next": "W"},
		"W": {"Seconds": 0, "Type": "Wait", "End": true}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if r := state[*asl.Task](m, "T").Retry[0]; r.IntervalSeconds != 1 || r.MaxAttempts != 3 || r.BackoffRate != 2 {
		t.Errorf("retrier defaults: %+v", r)
	}
	if !strings.Contains(string(mustMarshal(t, m)), `"Seconds": 0`) {
		t.Error(`"Seconds": 0 was dropped`)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	wrap := func(state string) string { return `{"StartAt": "A", "States": {"A": ` + state + `}}` }
	tests := []struct{ name, doc, want string }{
		{"not JSON", `{"StartAt": `, "json: unexpected EOF"},
		{"trailing data", `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}} {}`, "data after the document"},
		{"Choice with End", wrap(`{"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "A"}], "End": true}`),
			"States.A: schema: additionalProperties 'End' not allowed"},
		{"misspelt field", wrap(`{"Type": "Pass", "ResultPth": "$.x", "End": true}`), "States.A: schema: additionalProperties 'ResultPth' not allowed"},
		{"duplicate key", wrap(`{"Type": "Pass", "End": true, "End": true}`), `States.A: duplicate field "End"`},
		{"unknown intrinsic", wrap(`{"Type": "Pass", "Parameters": {"x.$": "States.Concat($.a)"}, "End": true}`), "States.A.Parameters.x.$: schema"},
		{"two operators", wrap(`{"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "IsNull": true, "Next": "A"}]}`),
			"States.A.Choices[0]: schema"},
		{"escaped brace in Format", wrap(`{"Type": "Pass", "Parameters": {"x.$": "States.Format('\\{{}', $.a)"}, "End": true}`),
			"escaped braces in a States.Format template are not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := asl.Unmarshal([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("want an error containing %q, got %v", tt.want, err)
			}
		})
	}
}
