package sim_test

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

const pipelineInput = `{"id": "c-1", "sub": {"k": "v"}, "keep": 1, "s": "text"}`

// TestResultPath: absent and "$" replace the input with the result, null
// discards the result, a path merges it into the raw input (not the
// InputPath-filtered one).
func TestResultPath(t *testing.T) {
	tests := []struct {
		name       string
		inputPath  asl.Path
		resultPath asl.Path
		want       string
	}{
		{"absent", asl.Path{}, asl.Path{}, `{"r":1}`},
		{"dollar", asl.Path{}, asl.At("$"), `{"r":1}`},
		{"null", asl.Path{}, asl.Discard(), `{"id":"c-1","keep":1,"s":"text","sub":{"k":"v"}}`},
		{"merge", asl.Path{}, asl.At("$.res"), `{"id":"c-1","keep":1,"res":{"r":1},"s":"text","sub":{"k":"v"}}`},
		{"merge nested", asl.Path{}, asl.At("$.sub.res"), `{"id":"c-1","keep":1,"s":"text","sub":{"k":"v","res":{"r":1}}}`},
		{"create parents", asl.Path{}, asl.At("$.a.b"), `{"a":{"b":{"r":1}},"id":"c-1","keep":1,"s":"text","sub":{"k":"v"}}`},
		{"into the raw input", asl.At("$.sub"), asl.At("$.res"), `{"id":"c-1","keep":1,"res":{"r":1},"s":"text","sub":{"k":"v"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := lambda("")
			task.InputPath, task.ResultPath = tt.inputPath, tt.resultPath
			exec := script(map[string][]sim.Result{"T": {ok(map[string]any{"r": 1})}})
			wantOutput(t, runJSON(t, machine(named("T", task)), pipelineInput, sim.Options{Executor: exec}), tt.want)
		})
	}
}

// TestResultPathMismatch: a ResultPath through a non-object fails with
// States.ResultPathMatchFailure, which a Catch can handle.
func TestResultPathMismatch(t *testing.T) {
	task := lambda("")
	task.ResultPath = asl.At("$.s.x")
	exec := script(map[string][]sim.Result{"T": {ok(1)}})
	x := runJSON(t, machine(named("T", task)), pipelineInput, sim.Options{Executor: exec})
	wantOutcome(t, x, sim.Failed, asl.ErrResultPathMatchFailure)

	task.Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: "Caught"}}
	m := machine(named("T", task), named("Caught", &asl.Succeed{}))
	x = runJSON(t, m, pipelineInput, sim.Options{Executor: script(map[string][]sim.Result{"T": {ok(1)}})})
	wantOutput(t, x, `{"Cause":"Unable to apply ResultPath '$.s.x' to input '{\"id\":\"c-1\",\"keep\":1,\"s\":\"text\",\"sub\":{\"k\":\"v\"}}'","Error":"States.ResultPathMatchFailure"}`)
}

func TestInputOutputPath(t *testing.T) {
	tests := []struct {
		name                  string
		inputPath, outputPath asl.Path
		params, want          string
	}{
		{"InputPath", asl.At("$.sub"), asl.Path{}, `{"k":"v"}`, `{"r":1}`},
		{"InputPath null", asl.Discard(), asl.Path{}, `{}`, `{"r":1}`},
		{"OutputPath", asl.Path{}, asl.At("$.r"), `{"id":"c-1","keep":1,"s":"text","sub":{"k":"v"}}`, `1`},
		{"OutputPath null", asl.Path{}, asl.Discard(), `{"id":"c-1","keep":1,"s":"text","sub":{"k":"v"}}`, `{}`},
		{"OutputPath context", asl.Path{}, asl.At("$$.State.Name"), `{"id":"c-1","keep":1,"s":"text","sub":{"k":"v"}}`, `"T"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := lambda("")
			task.InputPath, task.OutputPath = tt.inputPath, tt.outputPath
			x := runJSON(t, machine(named("T", task)), pipelineInput, sim.Options{Executor: script(map[string][]sim.Result{"T": {ok(map[string]any{"r": 1})}})})
			wantOutput(t, x, tt.want)
			if got := jsonOf(x.Calls[0].Parameters); got != tt.params {
				t.Errorf("parameters %s, want %s", got, tt.params)
			}
		})
	}
}

func TestMissingPaths(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*asl.Task)
		cause string
	}{
		{"InputPath", func(task *asl.Task) { task.InputPath = asl.At("$.nope") }, "Invalid path '$.nope' : No results for path: $['nope']"},
		{"OutputPath", func(task *asl.Task) { task.OutputPath = asl.At("$.nope.x") }, "Invalid path '$.nope.x' : No results for path: $['nope']['x']"},
		{"Parameters", func(task *asl.Task) { task.Parameters = asl.Obj(asl.Field("Id", asl.Ref("$.nope"))) },
			`The JSONPath '$.nope' specified for the field 'Id.$' could not be found in the input '{"id":"c-1","keep":1,"s":"text","sub":{"k":"v"}}'`},
		{"ResultSelector", func(task *asl.Task) { task.ResultSelector = asl.Obj(asl.Field("S", asl.Ref("$.Status"))) },
			`The JSONPath '$.Status' specified for the field 'S.$' could not be found in the input '{"r":1}'`},
		{"TimeoutSecondsPath", func(task *asl.Task) { task.TimeoutSecondsPath = "$.nope" }, "Invalid path '$.nope'"},
		{"Credentials", func(task *asl.Task) { task.Credentials = &asl.Credentials{RoleArn: asl.Ref("$.nope")} }, "specified for the field 'RoleArn.$'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := lambda("")
			tt.edit(task)
			// States.ALL does not catch States.Runtime.
			task.Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: "Caught"}}
			m := machine(named("T", task), named("Caught", &asl.Succeed{}))
			x := runJSON(t, m, pipelineInput, sim.Options{Executor: script(map[string][]sim.Result{"T": {ok(map[string]any{"r": 1})}})})
			wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
			if !strings.Contains(x.Cause, tt.cause) {
				t.Errorf("cause %q, want %q", x.Cause, tt.cause)
			}
		})
	}
}

// TestParameters: static values, ".$" paths into the input and the
// context object, intrinsics, nested objects and arrays.
func TestParameters(t *testing.T) {
	task := lambda("")
	task.Parameters = asl.Obj(
		asl.Field("Static", asl.Str("x")),
		asl.Field("Id", asl.Ref("$.id")),
		asl.Field("Exec", asl.Ref("$$.Execution.Name")),
		asl.Field("ExecId", asl.Ref("$$.Execution.Id")),
		asl.Field("Machine", asl.Ref("$$.StateMachine.Name")),
		asl.Field("Start", asl.Ref("$$.Execution.StartTime")),
		asl.Field("Entered", asl.Ref("$$.State.EnteredTime")),
		asl.Field("Nested", asl.Obj(asl.Field("State", asl.Ref("$$.State.Name")), asl.Field("Retry", asl.Ref("$$.State.RetryCount")))),
		asl.Field("List", asl.Array{asl.Num(1), asl.Ref("$.keep"), asl.Null{}, asl.Bool(false)}),
		asl.Field("Name", asl.Format("{}-{}", asl.Ref("$.id"), asl.Ref("$$.Execution.Name"))),
		asl.Field("Input", asl.Ref("$$.Execution.Input.sub")),
	)
	m := machine(named("W", &asl.Wait{Seconds: 90, Next: "T"}), named("T", task))
	opts := sim.Options{
		Executor:        script(map[string][]sim.Result{"T": {ok(nil)}}),
		Name:            "exec-1",
		StateMachineArn: "arn:aws:states:eu-west-1:111122223333:stateMachine:refresh",
	}
	x := runJSON(t, m, pipelineInput, opts)
	want := `{"Entered":"2026-01-01T00:01:30.000Z","Exec":"exec-1","ExecId":"arn:aws:states:eu-west-1:111122223333:execution:refresh:exec-1",` +
		`"Id":"c-1","Input":{"k":"v"},"List":[1,1,null,false],"Machine":"refresh","Name":"c-1-exec-1",` +
		`"Nested":{"Retry":0,"State":"T"},"Start":"2026-01-01T00:00:00.000Z","Static":"x"}`
	if got := jsonOf(x.Calls[0].Parameters); got != want {
		t.Errorf("parameters\n%s\nwant\n%s", got, want)
	}
}

// TestResultSelector reshapes the raw result before ResultPath.
func TestResultSelector(t *testing.T) {
	task := lambda("")
	task.ResultSelector = asl.Obj(
		asl.Field("Status", asl.Ref("$.DbClusters[0].Status")),
		asl.Field("Count", asl.Call(asl.FnArrayLength, asl.Ref("$.DbClusters"))),
		asl.Field("State", asl.Ref("$$.State.Name")),
	)
	task.ResultPath = asl.At("$.Describe")
	result := map[string]any{"DbClusters": []any{map[string]any{"Status": "available"}}}
	x := runJSON(t, machine(named("T", task)), `{"id": 1}`, sim.Options{Executor: script(map[string][]sim.Result{"T": {ok(result)}})})
	wantOutput(t, x, `{"Describe":{"Count":1,"State":"T","Status":"available"},"id":1}`)
}

func TestPass(t *testing.T) {
	tests := []struct {
		name string
		pass *asl.Pass
		want string
	}{
		{"passthrough", &asl.Pass{}, `{"a":1}`},
		{"Result", &asl.Pass{Result: asl.Obj(asl.Field("x", asl.Num(1.5)))}, `{"x":1.5}`},
		{"Result with ResultPath", &asl.Pass{Result: asl.Str("r"), ResultPath: asl.At("$.r")}, `{"a":1,"r":"r"}`},
		{"Parameters", &asl.Pass{Parameters: asl.Obj(asl.Field("b", asl.Ref("$.a")))}, `{"b":1}`},
		{"Result wins over Parameters", &asl.Pass{Parameters: asl.Obj(asl.Field("b", asl.Ref("$.a"))), Result: asl.Null{}}, `null`},
		{"InputPath and OutputPath", &asl.Pass{InputPath: asl.At("$.a"), ResultPath: asl.At("$.copy"), OutputPath: asl.At("$.copy")}, `1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.pass.End = true
			wantOutput(t, runJSON(t, machine(named("P", tt.pass)), `{"a":1}`, sim.Options{}), tt.want)
		})
	}
}

// TestPayloadLimit: more than 256 KiB in a result, a state output or the
// parameters is States.DataLimitExceeded, which States.ALL does not
// catch but its own name does.
func TestPayloadLimit(t *testing.T) {
	big := strings.Repeat("x", sim.MaxPayloadBytes)
	for _, catchAll := range []bool{true, false} {
		task := lambda("")
		errs := []string{asl.ErrDataLimitExceeded}
		if catchAll {
			errs = []string{asl.ErrAll}
		}
		task.Catch = []asl.Catcher{{ErrorEquals: errs, Next: "Caught"}}
		m := machine(named("T", task), named("Caught", &asl.Succeed{}))
		x := runJSON(t, m, `{}`, sim.Options{Executor: script(map[string][]sim.Result{"T": {ok(big)}})})
		if catchAll {
			wantOutcome(t, x, sim.Failed, asl.ErrDataLimitExceeded)
		} else {
			wantOutcome(t, x, sim.Succeeded, "")
		}
	}
	// Parameters built from two halves that fit on their own.
	half := strings.Repeat("y", sim.MaxPayloadBytes/2)
	task := lambda("")
	task.Parameters = asl.Obj(asl.Field("A", asl.Ref("$.h")), asl.Field("B", asl.Ref("$.h")))
	x := runJSON(t, machine(named("T", task)), `{"h": "`+half+`"}`, sim.Options{Executor: script(map[string][]sim.Result{"T": {ok(1)}})})
	wantOutcome(t, x, sim.Failed, asl.ErrDataLimitExceeded)

	if _, err := sim.Run(machine(named("P", &asl.Pass{End: true})), big, sim.Options{}); err == nil {
		t.Error("an oversized execution input must not start")
	}
}
