package sim_test

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

func TestWait(t *testing.T) {
	tests := []struct {
		name string
		wait *asl.Wait
		took time.Duration
	}{
		{"Seconds", &asl.Wait{Seconds: 90}, 90 * s},
		{"zero", &asl.Wait{}, 0},
		{"SecondsPath", &asl.Wait{SecondsPath: "$.delay"}, 42 * s},
		{"Timestamp", &asl.Wait{Timestamp: "2026-01-01T01:00:00Z"}, time.Hour},
		{"Timestamp in the past", &asl.Wait{Timestamp: "2025-01-01T00:00:00Z"}, 0},
		{"TimestampPath with offset", &asl.Wait{TimestampPath: "$.until"}, 30 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.wait.End = true
			start := time.Now() // the simulator never sleeps
			x := runJSON(t, machine(named("W", tt.wait)), `{"delay": 42, "until": "2026-01-01T01:30:00+01:00"}`, sim.Options{})
			wantOutcome(t, x, sim.Succeeded, "")
			if x.Duration() != tt.took || time.Since(start) > time.Second {
				t.Errorf("took %v, want %v", x.Duration(), tt.took)
			}
			if got := eventTypes(x); !slices.Equal(got, []sim.EventType{sim.ExecutionStarted, sim.WaitStateEntered, sim.WaitStateExited, sim.ExecutionSucceeded}) {
				t.Errorf("events %v", got)
			}
		})
	}
	for _, input := range []string{`{"delay": -1}`, `{"delay": "5"}`, `{"delay": 1.5}`, `{}`} {
		x := runJSON(t, machine(named("W", &asl.Wait{SecondsPath: "$.delay", End: true})), input, sim.Options{})
		wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
	}
}

// TestMachineTimeout: the execution times out at TimeoutSeconds whatever
// it is doing, and no Catch sees it.
func TestMachineTimeout(t *testing.T) {
	task := lambda("")
	task.Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: "Caught"}}
	task.Retry = []asl.Retrier{asl.RetryOn(asl.ErrAll)}
	m := machine(named("W", &asl.Wait{Seconds: 50, Next: "T"}), named("T", task), named("Caught", &asl.Succeed{}))
	m.TimeoutSeconds = 60
	x := runJSON(t, m, `{}`, sim.Options{Executor: script(map[string][]sim.Result{"T": {{Err: &sim.Failure{Name: "Boom"}, Duration: 5 * s}}})})
	wantOutcome(t, x, sim.TimedOut, asl.ErrTimeout)
	last := x.Events[len(x.Events)-1]
	if x.Duration() != 60*s || last.Type != sim.ExecutionTimedOut || !last.Time.Equal(x.Stop) {
		t.Errorf("duration %v, last event %+v", x.Duration(), last)
	}
	if want := []time.Duration{50 * s, 56 * s}; !slices.Equal(offsets(x), want) {
		t.Errorf("calls at %v, want %v (the second retry would start after the deadline)", offsets(x), want)
	}
}

func TestFailState(t *testing.T) {
	tests := []struct {
		name         string
		fail         *asl.Fail
		error, cause string
	}{
		{"static", &asl.Fail{Error: "Refresh.Failed", Cause: "because"}, "Refresh.Failed", "because"},
		{"paths", &asl.Fail{ErrorPath: asl.Ref("$.e"), CausePath: asl.Ref("$.c")}, "E", "C"},
		{"intrinsic cause", &asl.Fail{Error: "X", CausePath: asl.Format("cluster {} is {}", asl.Ref("$.id"), asl.Ref("$.status"))}, "X", "cluster c-1 is failed"},
		{"non-string path", &asl.Fail{ErrorPath: asl.Ref("$.n")}, asl.ErrRuntime, "The ErrorPath does not resolve to a string: 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := runJSON(t, machine(named("F", tt.fail)), `{"e": "E", "c": "C", "id": "c-1", "status": "failed", "n": 1}`, sim.Options{})
			wantOutcome(t, x, sim.Failed, tt.error)
			if x.Cause != tt.cause {
				t.Errorf("cause %q, want %q", x.Cause, tt.cause)
			}
		})
	}
}

// pollMachine is a bounded poll loop of MaxAttempts 5, 30 s apart.
func pollMachine() *asl.Machine {
	describe := &asl.Task{
		Resource:       asl.SDKCall("rds", "describeDBClusters").ARN("aws"),
		Parameters:     asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.Cluster"))),
		ResultSelector: asl.Obj(asl.Field("Status", asl.Ref("$.DbClusters[0].Status"))),
		ResultPath:     asl.At("$.Describe"),
	}
	loop := asl.PollLoop{
		Name: "Poll", Action: describe, Counter: "$.Poll", MaxAttempts: 5, IntervalSeconds: 30,
		Until: []asl.Rule{asl.When(asl.CompareString("$.Describe.Status", asl.Equals, "available"), "Done")},
	}
	m := &asl.Machine{StartAt: loop.Entry(), States: loop.States()}
	m.States.Add("Done", &asl.Succeed{})
	return m
}

func status(s string) sim.Result {
	return ok(map[string]any{"DbClusters": []any{map[string]any{"Status": s}}})
}

func TestPollLoop(t *testing.T) {
	m := pollMachine()
	if err := m.Check(asl.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
	x := runJSON(t, m, `{"Cluster": "c-1"}`, sim.Options{Executor: script(map[string][]sim.Result{"Poll": {status("creating"), status("creating"), status("available")}})})
	wantOutput(t, x, `{"Cluster":"c-1","Describe":{"Status":"available"},"Poll":{"Attempt":3}}`)
	if want := []time.Duration{0, 30 * s, 60 * s}; !slices.Equal(offsets(x), want) {
		t.Errorf("calls at %v, want %v", offsets(x), want)
	}

	x = runJSON(t, m, `{"Cluster": "c-1"}`, sim.Options{Executor: script(map[string][]sim.Result{"Poll": {status("creating")}})})
	wantOutcome(t, x, sim.Failed, asl.ErrPollTimeout)
	if len(x.Calls) != 5 || x.Duration() != 4*30*s || x.Cause != "Poll did not finish after 5 attempts 30 s apart" {
		t.Errorf("%d calls in %v, cause %q", len(x.Calls), x.Duration(), x.Cause)
	}
}

// TestHistoryLimit: a loop without a bound ends at the 25,000th event,
// which is an ExecutionFailed with States.Runtime.
func TestHistoryLimit(t *testing.T) {
	m := machine(
		named("Spin", &asl.Pass{Next: "Check"}),
		named("Check", &asl.Choice{Choices: []asl.Rule{asl.When(asl.BooleanEquals("$.done", true), "Done")}, Default: "Spin"}),
		named("Done", &asl.Succeed{}),
	)
	x := runJSON(t, m, `{"done": false}`, sim.Options{})
	wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
	last := x.Events[len(x.Events)-1]
	if len(x.Events) != sim.DefaultMaxEvents || last.ID != 25000 || last.Type != sim.ExecutionFailed ||
		last.Cause != "The execution reached the maximum number of history events (25000)." {
		t.Fatalf("%d events, last %+v", len(x.Events), last)
	}

	// At the quota, only ExecutionSucceeded may be the last event.
	short := machine(named("P", &asl.Pass{Next: "S"}), named("S", &asl.Succeed{})) // 6 events
	wantOutcome(t, runJSON(t, short, `{}`, sim.Options{MaxEvents: 6}), sim.Succeeded, "")
	x = runJSON(t, short, `{}`, sim.Options{MaxEvents: 5})
	wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
	if len(x.Events) != 5 {
		t.Errorf("%d events, want 5", len(x.Events))
	}
}

func TestEvents(t *testing.T) {
	m := machine(named("T", lambda("C")),
		named("C", &asl.Choice{Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.x", true), "S")}, Default: "F"}),
		named("S", &asl.Succeed{}), named("F", &asl.Fail{Error: "E"}))
	task := m.States[0].State.(*asl.Task)
	task.Credentials = &asl.Credentials{RoleArn: asl.Format("arn:aws:iam::{}:role/refresh", asl.Ref("$.account"))}
	x := runJSON(t, m, `{"account": "111122223333"}`, sim.Options{Executor: script(map[string][]sim.Result{"T": {{Output: map[string]any{"x": 1}, Duration: 3 * s}}})})
	want := []sim.EventType{sim.ExecutionStarted, "TaskStateEntered", sim.TaskScheduled, sim.TaskStarted, sim.TaskSucceeded, "TaskStateExited",
		"ChoiceStateEntered", "ChoiceStateExited", "SucceedStateEntered", "SucceedStateExited", sim.ExecutionSucceeded}
	if got := eventTypes(x); !slices.Equal(got, want) {
		t.Fatalf("events %v\nwant %v", got, want)
	}
	scheduled := x.Events[2]
	if scheduled.RoleArn != "arn:aws:iam::111122223333:role/refresh" || scheduled.Resource != "arn:aws:states:::lambda:invoke" ||
		x.Calls[0].RoleArn != scheduled.RoleArn || x.Calls[0].Integration.Service != "lambda" || x.Events[5].Time.Sub(x.Start) != 3*s {
		t.Errorf("scheduled %+v, call %+v", scheduled, x.Calls[0])
	}
	for i, ev := range x.Events {
		if ev.ID != i+1 {
			t.Errorf("event %d has ID %d", i, ev.ID)
		}
	}
}

// kitchenSinkInput satisfies every read of testdata/kitchen_sink.asl.json.
const kitchenSinkInput = `{
	"Cluster": {"Identifier": "prod-db"}, "A": 1, "Csv": "a,b,c",
	"Flags": {}, "Done": 5, "Total": 3, "Deadline": "2027-01-01T00:00:00Z", "Size": 0.1,
	"Items": [{"n": 1}, {"n": 2}, {"n": 3}], "When": "2026-01-01T00:10:00Z",
	"DestinationAccount": {"RoleArn": "arn:aws-us-gov:iam::210987654321:role/dest"},
	"Tolerated": 0, "Timeout": 30, "Heartbeat": 10, "Account": {"Id": "123456789012"}
}`

// TestTestdataMachines runs the asl golden files read back with
// asl.Unmarshal.
func TestTestdataMachines(t *testing.T) {
	load := func(name string) *asl.Machine {
		data, err := os.ReadFile(filepath.Join("..", "asl", "testdata", name+".asl.json"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := asl.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	poll := load("poll_cluster")
	input := `{"Cluster": {"Identifier": "db-1"}, "DestinationAccount": {"RoleArn": "arn:aws:iam::210987654321:role/refresh"}}`
	cluster := func(s string) sim.Result {
		return ok(map[string]any{"DbClusters": []any{map[string]any{"Status": s, "DbClusterArn": "arn:aws:rds:us-east-1:210987654321:cluster:db-1"}}})
	}
	throttled := failure(asl.SDKServiceException("RDS"), "Rate exceeded")
	x := runJSON(t, poll, input, sim.Options{Executor: script(map[string][]sim.Result{"DescribeCluster": {throttled, cluster("creating"), cluster("available")}})})
	wantOutcome(t, x, sim.Succeeded, "")
	if len(x.Calls) != 3 || x.Calls[0].RoleArn != "arn:aws:iam::210987654321:role/refresh" || x.Calls[0].Integration.Action != "describeDBClusters" {
		t.Errorf("calls %+v", x.Calls)
	}
	x = runJSON(t, poll, input, sim.Options{Executor: script(map[string][]sim.Result{"DescribeCluster": {failure(asl.ErrRdsDbClusterNotFound, "DBCluster db-1 not found.")}})})
	wantOutcome(t, x, sim.Failed, "Refresh.ClusterNotFound")
	if x.Cause != "DBCluster db-1 not found." {
		t.Errorf("cause %q", x.Cause)
	}
	x = runJSON(t, poll, input, sim.Options{Executor: script(map[string][]sim.Result{"DescribeCluster": {cluster("failed")}})})
	if x.Error != "Refresh.ClusterFailed" || x.Cause != "cluster db-1 is failed" {
		t.Errorf("got %s: %s", x.Error, x.Cause)
	}

	sink := load("kitchen_sink")
	childArn := "arn:aws-us-gov:states:us-gov-west-1:123456789012:stateMachine:child"
	child := machine(named("Report", &asl.Pass{Result: asl.Obj(asl.Field("Status", asl.Str("Completed"))), End: true}))
	results := map[string][]sim.Result{
		"Invoke": {ok(map[string]any{"Payload": map[string]any{"ok": true}})},
		"Notify": {ok(map[string]any{"MessageId": "m-1"})}, "Record": {ok(map[string]any{})},
		"RunJob": {{Output: map[string]any{}, Duration: 20 * time.Minute}}, "Kube": {ok(map[string]any{})},
	}
	opts := func() sim.Options {
		return sim.Options{Executor: script(results), Machines: map[string]*asl.Machine{childArn: child}, Seed: 1}
	}
	// EachBig has no ItemsPath, so it reads "$", and its input is always
	// an object: as written, every execution fails there.
	x = runJSON(t, sink, kitchenSinkInput, opts())
	wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
	if !strings.HasPrefix(x.Cause, "The ItemsPath '$' does not resolve to an array") {
		t.Errorf("cause %q", x.Cause)
	}
	big, _ := sink.States.Get("EachBig")
	big.(*asl.Map).ItemsPath = "$.Items"
	x = runJSON(t, sink, kitchenSinkInput, opts())
	wantOutcome(t, x, sim.Succeeded, "")
	if got := jsonOf(x.Output); !strings.Contains(got, `"Child":{"Status":"Completed"}`) || !strings.Contains(got, `"Fanout":{"First":{"list":[1,"a",null],"ok":true}}`) {
		t.Errorf("output %s", got)
	}
	// Waits 10 min for the Parallel's Timestamp branch, then the job.
	if x.Duration() != 30*time.Minute || len(x.Children) != 1 || len(x.Calls) != 8 {
		t.Errorf("duration %v, %d children, %d calls", x.Duration(), len(x.Children), len(x.Calls))
	}
}

// TestDeterministic: the same machine, input and seed give the same
// execution, whatever GOMAXPROCS; another seed changes the random parts.
func TestDeterministic(t *testing.T) {
	m := machine(
		named("Ids", &asl.Pass{Parameters: asl.Obj(
			asl.Field("Id", asl.Call(asl.FnUUID)),
			asl.Field("N", asl.Call(asl.FnMathRandom, asl.Num(1), asl.Num(1000))),
		), ResultPath: asl.At("$.ids"), Next: "Fan"}),
		named("Fan", &asl.Map{ItemsPath: "$.items", MaxConcurrency: 2, ItemProcessor: &asl.Processor{StartAt: "T", States: asl.States{named("T", &asl.Task{
			Resource: asl.LambdaInvoke().ARN("aws"),
			Retry:    []asl.Retrier{{ErrorEquals: []string{asl.ErrAll}, IntervalSeconds: 5, MaxAttempts: 2, BackoffRate: 2, JitterStrategy: asl.JitterFull}},
			End:      true,
		})}}, End: true}),
	)
	runOnce := func(seed uint64) string {
		exec := script(map[string][]sim.Result{"T": {failure("Boom", ""), {Output: 1, Duration: 3 * s}}})
		x := runJSON(t, m, `{"items": [1, 2, 3]}`, sim.Options{Seed: seed, Executor: exec})
		var b strings.Builder
		if err := x.WriteTimeline(&b); err != nil {
			t.Fatal(err)
		}
		return jsonOf(x) + b.String()
	}
	want := runOnce(1)
	for _, procs := range []int{1, runtime.NumCPU()} {
		old := runtime.GOMAXPROCS(procs)
		if got := runOnce(1); got != want {
			t.Errorf("GOMAXPROCS=%d: the execution differs", procs)
		}
		runtime.GOMAXPROCS(old)
	}
	if runOnce(2) == want {
		t.Error("a different seed should change the UUID, MathRandom and jitter")
	}
}

func TestRunErrors(t *testing.T) {
	pass := machine(named("P", &asl.Pass{End: true}))
	if _, err := sim.Run(nil, nil, sim.Options{}); err == nil {
		t.Error("nil machine")
	}
	if _, err := sim.Run(pass, []byte(`{"a": `), sim.Options{}); err == nil {
		t.Error("bad JSON input")
	}
	if _, err := sim.Run(pass, func() {}, sim.Options{}); err == nil {
		t.Error("input that is not JSON")
	}
	x, err := sim.Run(machine(named("P", &asl.Pass{Next: "Nowhere"})), map[string]int{"a": 1}, sim.Options{})
	if err != nil || x.Error != asl.ErrRuntime || x.Cause != `state "Nowhere" does not exist` {
		t.Errorf("missing state: %v %+v", err, x)
	}
	x = runJSON(t, machine(named("T", lambda(""))), `{}`, sim.Options{})
	wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
}

// TestReferencePaths: fields that take a reference path refuse paths that
// can select several nodes.
func TestReferencePaths(t *testing.T) {
	each := mapMachine(&asl.Map{})
	each.States[0].State.(*asl.Map).ItemsPath = "$.items[*]"
	choice := machine(named("C", &asl.Choice{Choices: []asl.Rule{asl.When(asl.CompareNumber("$..n", asl.Equals, 1), "S")}, Default: "S"}), named("S", &asl.Succeed{}))
	pass := machine(named("P", &asl.Pass{ResultPath: asl.At("$.a[*]"), End: true}))
	for name, m := range map[string]*asl.Machine{"ItemsPath": each, "Variable": choice, "ResultPath": pass} {
		x := runJSON(t, m, `{"items": [1], "n": 1}`, sim.Options{Executor: script(map[string][]sim.Result{"Work": {ok(1)}})})
		wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
		if !strings.Contains(x.Cause, "reference path") {
			t.Errorf("%s: cause %q", name, x.Cause)
		}
	}
}

// TestTaskToken: a .waitForTaskToken task gets $$.Task.Token, and the
// executor answers for the callback.
func TestTaskToken(t *testing.T) {
	task := &asl.Task{
		Resource:   "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		Parameters: asl.Obj(asl.Field("MessageBody", asl.Obj(asl.Field("Token", asl.Ref("$$.Task.Token"))))),
		End:        true,
	}
	exec := sim.ExecutorFunc(func(c sim.Call) sim.Result {
		body := c.Parameters.(map[string]any)["MessageBody"].(map[string]any)
		if body["Token"] != c.TaskToken || c.TaskToken == "" || c.Integration.Pattern != asl.WaitForTaskToken {
			return failure("Bad.Token", jsonOf(c))
		}
		return sim.Result{Output: "approved", Duration: time.Hour}
	})
	wantOutput(t, runJSON(t, machine(named("Approve", task)), `{}`, sim.Options{Executor: exec}), `"approved"`)
}
