package sim_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

const s = time.Second

// retried runs a single task with retriers and catchers against results.
func retried(t *testing.T, retry []asl.Retrier, catch []asl.Catcher, results []sim.Result) *sim.Execution {
	t.Helper()
	task := lambda("")
	task.Retry, task.Catch = retry, catch
	task.Parameters = asl.Obj(asl.Field("Retry", asl.Ref("$$.State.RetryCount")))
	m := machine(named("T", task), named("Caught", &asl.Pass{End: true}))
	return runJSON(t, m, `{"in": 1}`, sim.Options{Executor: script(map[string][]sim.Result{"T": results})})
}

func TestRetryBackoff(t *testing.T) {
	boom := failure("Boom", "")
	tests := []struct {
		name    string
		retrier asl.Retrier
		results []sim.Result
		times   []time.Duration
		status  sim.Status
	}{
		{"defaults: 1 s doubling, 3 retries", asl.RetryOn("Boom"), []sim.Result{boom},
			[]time.Duration{0, 1 * s, 3 * s, 7 * s}, sim.Failed},
		{"succeeds on the third attempt", asl.Retrier{ErrorEquals: []string{"Boom"}, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2},
			[]sim.Result{boom, boom, ok(1)}, []time.Duration{0, 2 * s, 6 * s}, sim.Succeeded},
		{"fractional backoff", asl.Retrier{ErrorEquals: []string{"Boom"}, IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5},
			[]sim.Result{boom}, []time.Duration{0, 3 * s, 7500 * time.Millisecond}, sim.Failed},
		{"MaxDelaySeconds caps the interval", asl.Retrier{ErrorEquals: []string{"Boom"}, IntervalSeconds: 10, MaxAttempts: 4, BackoffRate: 3, MaxDelaySeconds: 25},
			[]sim.Result{boom}, []time.Duration{0, 10 * s, 35 * s, 60 * s, 85 * s}, sim.Failed},
		{"MaxAttempts 0 never retries", asl.Retrier{ErrorEquals: []string{"Boom"}, IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 2},
			[]sim.Result{boom}, []time.Duration{0}, sim.Failed},
		{"other errors are not retried", asl.RetryOn("Other"), []sim.Result{boom}, []time.Duration{0}, sim.Failed},
		{"task durations add to the intervals", asl.RetryOn(asl.ErrTaskFailed),
			[]sim.Result{{Err: boom.Err, Duration: 5 * s}, {Output: 1, Duration: 5 * s}}, []time.Duration{0, 6 * s}, sim.Succeeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := retried(t, []asl.Retrier{tt.retrier}, nil, tt.results)
			if x.Status != tt.status || !slices.Equal(offsets(x), tt.times) {
				t.Fatalf("%s with calls at %v, want %s at %v", x.Status, offsets(x), tt.status, tt.times)
			}
			for i, c := range x.Calls {
				if c.RetryCount != i || jsonOf(c.Parameters) != fmt.Sprintf(`{"Retry":%d}`, i) {
					t.Errorf("call %d: RetryCount %d, parameters %s", i, c.RetryCount, jsonOf(c.Parameters))
				}
			}
		})
	}
}

// TestRetrierCounts follows the developer guide's example: a retrier's
// MaxAttempts counts every error it matches during the state, and a spent
// retrier sends the error on to Catch.
func TestRetrierCounts(t *testing.T) {
	retry := []asl.Retrier{
		{ErrorEquals: []string{"ErrorA", "ErrorB"}, IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2},
		{ErrorEquals: []string{"ErrorC"}, IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: 3},
	}
	catch := []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: "Caught"}}
	results := []sim.Result{failure("ErrorA", ""), failure("ErrorB", ""), failure("ErrorC", ""), failure("ErrorB", "")}
	x := retried(t, retry, catch, results)
	wantOutput(t, x, `{"Error":"ErrorB"}`)
	if want := []time.Duration{0, 1 * s, 3 * s, 8 * s}; !slices.Equal(offsets(x), want) {
		t.Errorf("calls at %v, want %v", offsets(x), want)
	}
}

// TestFirstMatchingRetrier: only the first retrier matching an error
// applies, even when it allows no retry.
func TestFirstMatchingRetrier(t *testing.T) {
	retry := []asl.Retrier{{ErrorEquals: []string{"Boom"}, IntervalSeconds: 1, BackoffRate: 2}, asl.RetryOn(asl.ErrAll)}
	x := retried(t, retry, nil, []sim.Result{failure("Boom", "")})
	if len(x.Calls) != 1 {
		t.Errorf("%d calls, want 1", len(x.Calls))
	}
}

// TestJitter: FULL jitter waits a random part of each interval, drawn from
// the seed, so runs with the same seed wait the same.
func TestJitter(t *testing.T) {
	retrier := asl.Retrier{ErrorEquals: []string{"Boom"}, IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: asl.JitterFull}
	run := func(seed uint64) []time.Duration {
		task := lambda("")
		task.Retry = []asl.Retrier{retrier}
		x := runJSON(t, machine(named("T", task)), `{}`, sim.Options{Seed: seed, Executor: script(map[string][]sim.Result{"T": {failure("Boom", "")}})})
		return offsets(x)
	}
	a, b := run(7), run(8)
	if !slices.Equal(a, run(7)) || slices.Equal(a, b) {
		t.Fatalf("seed 7: %v, again: %v, seed 8: %v", a, run(7), b)
	}
	full := []time.Duration{10 * s, 20 * s, 40 * s}
	for i := 1; i < len(a); i++ {
		if wait := a[i] - a[i-1]; wait < 0 || wait > full[i-1] {
			t.Errorf("wait %d is %v, not within 0..%v", i, wait, full[i-1])
		}
	}
}

func TestCatch(t *testing.T) {
	tests := []struct {
		name   string
		catch  []asl.Catcher
		result sim.Result
		want   string
	}{
		{"error output replaces the input", []asl.Catcher{{ErrorEquals: []string{"Boom"}, Next: "Caught"}},
			failure("Boom", "it broke"), `{"Cause":"it broke","Error":"Boom"}`},
		{"ResultPath keeps the input", []asl.Catcher{{ErrorEquals: []string{"Boom"}, ResultPath: asl.At("$.error"), Next: "Caught"}},
			failure("Boom", "it broke"), `{"error":{"Cause":"it broke","Error":"Boom"},"in":1}`},
		{"ResultPath null", []asl.Catcher{{ErrorEquals: []string{"Boom"}, ResultPath: asl.Discard(), Next: "Caught"}},
			failure("Boom", ""), `{"in":1}`},
		{"first matching catcher", []asl.Catcher{
			{ErrorEquals: []string{"Other"}, ResultPath: asl.At("$.other"), Next: "Caught"},
			{ErrorEquals: []string{"Boom", "Other"}, ResultPath: asl.At("$.boom"), Next: "Caught"},
			{ErrorEquals: []string{asl.ErrAll}, ResultPath: asl.At("$.all"), Next: "Caught"},
		}, failure("Boom", ""), `{"boom":{"Error":"Boom"},"in":1}`},
		{"TaskFailed matches task errors", []asl.Catcher{{ErrorEquals: []string{asl.ErrTaskFailed}, ResultPath: asl.At("$.e"), Next: "Caught"}},
			failure("Lambda.Unknown", "oom"), `{"e":{"Cause":"oom","Error":"Lambda.Unknown"},"in":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantOutput(t, retried(t, nil, tt.catch, []sim.Result{tt.result}), tt.want)
		})
	}
}

// TestTaskTimeout: a task running past TimeoutSeconds fails with
// States.Timeout when the timeout expires; States.TaskFailed does not
// match it, States.ALL does.
func TestTaskTimeout(t *testing.T) {
	task := lambda("")
	task.TimeoutSeconds = 5
	task.Catch = []asl.Catcher{
		{ErrorEquals: []string{asl.ErrTaskFailed}, ResultPath: asl.At("$.failed"), Next: "Caught"},
		{ErrorEquals: []string{asl.ErrAll}, ResultPath: asl.At("$.all"), Next: "Caught"},
	}
	m := machine(named("T", task), named("Caught", &asl.Succeed{}))
	x := runJSON(t, m, `{}`, sim.Options{Executor: script(map[string][]sim.Result{"T": {{Output: 1, Duration: time.Hour}}})})
	wantOutput(t, x, `{"all":{"Error":"States.Timeout"}}`)
	if x.Duration() != 5*s || !slices.Contains(eventTypes(x), sim.TaskTimedOut) {
		t.Errorf("duration %v, events %v", x.Duration(), eventTypes(x))
	}

	// TimeoutSecondsPath, retried on States.Timeout.
	task = lambda("")
	task.TimeoutSecondsPath = "$.timeout"
	task.Retry = []asl.Retrier{asl.RetryOn(asl.ErrTimeout)}
	x = runJSON(t, machine(named("T", task)), `{"timeout": 2}`,
		sim.Options{Executor: script(map[string][]sim.Result{"T": {{Duration: time.Minute}, {Output: "ok", Duration: time.Second}}})})
	wantOutput(t, x, `"ok"`)
	if x.Duration() != 4*s || x.Calls[0].TimeoutSeconds != 2 {
		t.Errorf("duration %v, want 2 s timeout + 1 s interval + 1 s", x.Duration())
	}
}

// TestRuntimeNotRetried: neither Retry nor Catch, even naming it, handles
// States.Runtime.
func TestRuntimeNotRetried(t *testing.T) {
	task := lambda("")
	task.Parameters = asl.Obj(asl.Field("X", asl.Ref("$.missing")))
	task.Retry = []asl.Retrier{asl.RetryOn(asl.ErrRuntime), asl.RetryOn(asl.ErrAll)}
	task.Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrRuntime}, Next: "Caught"}, {ErrorEquals: []string{asl.ErrAll}, Next: "Caught"}}
	m := machine(named("T", task), named("Caught", &asl.Succeed{}))
	x := runJSON(t, m, `{}`, sim.Options{Executor: script(map[string][]sim.Result{"T": {ok(1)}})})
	wantOutcome(t, x, sim.Failed, asl.ErrRuntime)
	if len(x.Calls) != 0 || x.Duration() != 0 {
		t.Errorf("%d calls, %v: want none", len(x.Calls), x.Duration())
	}
}

// TestExecutorFailureIsCopied: a Failure handed out twice by an executor
// is not shared with the execution.
func TestExecutorFailureIsCopied(t *testing.T) {
	shared := &sim.Failure{Name: "Boom", Cause: "c"}
	task := lambda("")
	task.Retry = []asl.Retrier{asl.RetryOn("Boom")}
	exec := sim.ExecutorFunc(func(sim.Call) sim.Result { return sim.Result{Err: shared} })
	x := runJSON(t, machine(named("T", task)), `{}`, sim.Options{Executor: exec})
	wantOutcome(t, x, sim.Failed, "Boom")
	if len(x.Calls) != 4 || *shared != (sim.Failure{Name: "Boom", Cause: "c"}) {
		t.Errorf("%d calls, shared failure now %+v", len(x.Calls), shared)
	}
	if !strings.Contains(jsonOf(eventTypes(x)), `"TaskFailed","TaskScheduled"`) {
		t.Errorf("a retry schedules the task again: %v", eventTypes(x))
	}
}
