package sim_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// branch is a Parallel branch that waits, then passes or fails.
func branch(name string, wait int, end asl.State) asl.Branch {
	return asl.Branch{StartAt: name + "Wait", States: asl.States{
		named(name+"Wait", &asl.Wait{Seconds: wait, Next: name}),
		named(name, end),
	}}
}

func TestParallel(t *testing.T) {
	p := &asl.Parallel{
		Parameters: asl.Obj(asl.Field("v", asl.Ref("$.v"))),
		Branches: []asl.Branch{
			branch("A", 20, &asl.Pass{Parameters: asl.Obj(asl.Field("a", asl.Ref("$.v"))), End: true}),
			branch("B", 10, &asl.Pass{Result: asl.Str("b"), End: true}),
		},
		ResultSelector: asl.Obj(asl.Field("first", asl.Ref("$[0].a")), asl.Field("all", asl.Ref("$"))),
		ResultPath:     asl.At("$.out"),
		End:            true,
	}
	x := runJSON(t, machine(named("P", p)), `{"v": 1}`, sim.Options{})
	wantOutput(t, x, `{"out":{"all":[{"a":1},"b"],"first":1},"v":1}`)
	if x.Duration() != 20*s {
		t.Errorf("took %v: branches run side by side, so 20 s", x.Duration())
	}
	types := eventTypes(x)
	if types[2] != sim.ParallelStateStarted || types[len(types)-3] != sim.ParallelStateSucceeded {
		t.Errorf("events %v", types)
	}
}

// TestParallelFailure: a failed branch fails the Parallel with its own
// error; when several fail, the one that failed first counts.
func TestParallelFailure(t *testing.T) {
	p := &asl.Parallel{
		Branches: []asl.Branch{
			branch("Slow", 30, &asl.Fail{Error: "Slow.Failed"}),
			branch("Fast", 10, &asl.Fail{Error: "Fast.Failed", Cause: "first"}),
			branch("Ok", 0, &asl.Succeed{}),
		},
		End: true,
	}
	x := runJSON(t, machine(named("P", p)), `{}`, sim.Options{})
	wantOutcome(t, x, sim.Failed, "Fast.Failed")
	if x.Cause != "first" || x.Duration() != 10*s || !slices.Contains(eventTypes(x), sim.ParallelStateFailed) {
		t.Errorf("cause %q after %v", x.Cause, x.Duration())
	}

	p.Catch = []asl.Catcher{{ErrorEquals: []string{"Fast.Failed"}, ResultPath: asl.At("$.error"), Next: "Caught"}}
	p.Retry = []asl.Retrier{{ErrorEquals: []string{asl.ErrAll}, IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1}}
	x = runJSON(t, machine(named("P", p), named("Caught", &asl.Succeed{})), `{"in": 1}`, sim.Options{})
	wantOutput(t, x, `{"error":{"Cause":"first","Error":"Fast.Failed"},"in":1}`)
	if x.Duration() != 21*s {
		t.Errorf("took %v: 10 s, a 1 s retry interval, 10 s", x.Duration())
	}
}

// mapMachine maps a one-task processor over $.items.
func mapMachine(m *asl.Map) *asl.Machine {
	task := lambda("")
	m.ItemsPath = "$.items"
	m.ItemProcessor = &asl.Processor{StartAt: "Work", States: asl.States{named("Work", task)}}
	m.End = true
	return machine(named("Each", m))
}

func TestMap(t *testing.T) {
	echo := sim.ExecutorFunc(func(c sim.Call) sim.Result {
		return sim.Result{Output: c.Parameters, Duration: 10 * s}
	})
	tests := []struct {
		name string
		m    *asl.Map
		want string
		took time.Duration
	}{
		{"item only", &asl.Map{}, `["a","b","c","d","e"]`, 10 * s},
		{"ItemSelector", &asl.Map{ItemSelector: asl.Obj(
			asl.Field("Item", asl.Ref("$$.Map.Item.Value")),
			asl.Field("Index", asl.Ref("$$.Map.Item.Index")),
			asl.Field("Shared", asl.Ref("$.shared")),
		)}, `[{"Index":0,"Item":"a","Shared":"s"},{"Index":1,"Item":"b","Shared":"s"},{"Index":2,"Item":"c","Shared":"s"},` +
			`{"Index":3,"Item":"d","Shared":"s"},{"Index":4,"Item":"e","Shared":"s"}]`, 10 * s},
		{"MaxConcurrency 2", &asl.Map{MaxConcurrency: 2}, `["a","b","c","d","e"]`, 30 * s},
		{"MaxConcurrency 1", &asl.Map{MaxConcurrency: 1, ResultSelector: asl.Obj(asl.Field("n", asl.Call(asl.FnArrayLength, asl.Ref("$"))))}, `{"n":5}`, 50 * s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := runJSON(t, mapMachine(tt.m), `{"items": ["a", "b", "c", "d", "e"], "shared": "s"}`, sim.Options{Executor: echo})
			wantOutput(t, x, tt.want)
			if x.Duration() != tt.took {
				t.Errorf("took %v, want %v", x.Duration(), tt.took)
			}
		})
	}
}

func TestMapFailures(t *testing.T) {
	items := `{"items": [1, 2, 3, 4]}`
	failOn := func(bad ...float64) sim.Executor {
		return sim.ExecutorFunc(func(c sim.Call) sim.Result {
			n, _ := c.Parameters.(json.Number).Float64()
			if slices.Contains(bad, n) {
				return sim.Result{Err: &sim.Failure{Name: "Item.Failed"}, Duration: time.Duration(10-n) * s}
			}
			return sim.Result{Output: n, Duration: s}
		})
	}
	x := runJSON(t, mapMachine(&asl.Map{}), items, sim.Options{Executor: failOn(2, 3)})
	wantOutcome(t, x, sim.Failed, "Item.Failed")
	if x.Duration() != 7*s || !slices.Contains(eventTypes(x), sim.MapIterationFailed) {
		t.Errorf("took %v: item 3 fails first, after 7 s", x.Duration())
	}

	x = runJSON(t, mapMachine(&asl.Map{}), `{"items": {"not": "an array"}}`, sim.Options{Executor: failOn()})
	wantOutcome(t, x, sim.Failed, asl.ErrRuntime)

	distributed := func(m *asl.Map) *asl.Machine {
		mm := mapMachine(m)
		m.ItemProcessor.Config = &asl.ProcessorConfig{Mode: asl.Distributed, ExecutionType: "STANDARD"}
		return mm
	}
	x = runJSON(t, distributed(&asl.Map{ToleratedFailureCount: 1}), items, sim.Options{Executor: failOn(2)})
	wantOutput(t, x, `[1,{"Error":"Item.Failed"},3,4]`)
	if slices.Contains(eventTypes(x), sim.MapIterationStarted) || !slices.Contains(eventTypes(x), sim.MapRunSucceeded) {
		t.Errorf("a Distributed Map keeps its iterations out of the history: %v", eventTypes(x))
	}
	for _, tt := range []struct {
		m   *asl.Map
		bad []float64
	}{
		{&asl.Map{ToleratedFailureCount: 1}, []float64{1, 2}},
		{&asl.Map{ToleratedFailurePercentage: 25}, []float64{1, 2}},
		{&asl.Map{ToleratedFailureCountPath: "$.tolerated"}, []float64{1, 2}},
		{&asl.Map{}, []float64{4}},
	} {
		x := runJSON(t, distributed(tt.m), `{"items": [1, 2, 3, 4], "tolerated": 1}`, sim.Options{Executor: failOn(tt.bad...)})
		wantOutcome(t, x, sim.Failed, asl.ErrExceedToleratedFailureThreshold)
	}
	x = runJSON(t, distributed(&asl.Map{ToleratedFailurePercentage: 50}), items, sim.Options{Executor: failOn(1, 2)})
	wantOutcome(t, x, sim.Succeeded, "")
}
