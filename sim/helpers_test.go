package sim_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// runJSON runs m on a JSON input and fails the test if it cannot start.
func runJSON(t *testing.T, m *asl.Machine, input string, opts sim.Options) *sim.Execution {
	t.Helper()
	x, err := sim.Run(m, json.RawMessage(input), opts)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// machine builds a machine starting at its first state.
func machine(states ...asl.NamedState) *asl.Machine {
	return &asl.Machine{StartAt: states[0].Name, States: states}
}

func named(name string, s asl.State) asl.NamedState { return asl.NamedState{Name: name, State: s} }

// lambda is a Lambda task; callers set its fields.
func lambda(next string) *asl.Task {
	t := &asl.Task{Resource: asl.LambdaInvoke().ARN("aws"), Next: next}
	t.End = next == ""
	return t
}

// jsonOf is the compact JSON of v, keys sorted.
func jsonOf(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(data)
}

// wantOutcome checks the status and error of x.
func wantOutcome(t *testing.T, x *sim.Execution, status sim.Status, errName string) {
	t.Helper()
	if x.Status != status || x.Error != errName {
		t.Fatalf("got %s %s (%s), want %s %s", x.Status, x.Error, x.Cause, status, errName)
	}
}

// wantOutput checks the output of a succeeded execution.
func wantOutput(t *testing.T, x *sim.Execution, want string) {
	t.Helper()
	wantOutcome(t, x, sim.Succeeded, "")
	if got := jsonOf(x.Output); got != want {
		t.Fatalf("output %s, want %s", got, want)
	}
}

// ok is a successful result with output v.
func ok(v any) sim.Result { return sim.Result{Output: v} }

// failure is a failed result.
func failure(name, cause string) sim.Result {
	return sim.Result{Err: &sim.Failure{Name: name, Cause: cause}}
}

// script returns an executor replaying results per state.
func script(results map[string][]sim.Result) *sim.Script { return &sim.Script{Results: results} }

// offsets are the call times of x relative to its start.
func offsets(x *sim.Execution) []time.Duration {
	var out []time.Duration
	for _, c := range x.Calls {
		out = append(out, c.Time.Sub(x.Start))
	}
	return out
}

// eventTypes lists the event types of x.
func eventTypes(x *sim.Execution) []sim.EventType {
	var out []sim.EventType
	for _, ev := range x.Events {
		out = append(out, ev.Type)
	}
	return out
}
