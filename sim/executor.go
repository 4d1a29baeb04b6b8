package sim

import (
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// Executor performs the Task states the simulator does not run itself
// (it runs states:startExecution in all forms but .waitForTaskToken).
type Executor interface {
	Invoke(Call) Result
}

// ExecutorFunc adapts a function to Executor.
type ExecutorFunc func(Call) Result

// Invoke calls f.
func (f ExecutorFunc) Invoke(c Call) Result { return f(c) }

// Call is one attempt of a Task.
type Call struct {
	ExecutionArn string
	State        string
	// Resource is the Task's Resource ARN; Integration is its parse when
	// it is a service integration, nil for a Lambda or activity ARN.
	Resource    string
	Integration *asl.Integration
	// Parameters is the effective input after Parameters.
	Parameters any
	// RoleArn is the resolved Credentials.RoleArn, or "" when the task
	// runs with the state machine's own role.
	RoleArn string
	// Time is the simulated time of the call.
	Time time.Time
	// RetryCount is $$.State.RetryCount: 0 on the first attempt.
	RetryCount int
	// TaskToken is $$.Task.Token, set for .waitForTaskToken tasks.
	TaskToken string
	// TimeoutSeconds and HeartbeatSeconds are resolved from the state,
	// 0 when unset.
	TimeoutSeconds   int
	HeartbeatSeconds int
}

// Result is what a task attempt produced.
type Result struct {
	// Output is any value that encodes to JSON (json.RawMessage too).
	Output any
	// Err, when set, fails the attempt with that error.
	Err *Failure
	// Duration is how long the attempt took in simulated time; a
	// Duration over the state's TimeoutSeconds fails it with
	// States.Timeout after TimeoutSeconds.
	Duration time.Duration
}

// Script is an Executor that replays canned results by state name: the
// n-th call of a state gets Results[state][n], and the last result
// repeats. A call to a state without results fails the task. A Script
// counts calls, so use a new one for each run.
type Script struct {
	Results map[string][]Result
	calls   map[string]int
}

// Invoke returns the next result for c.State.
func (s *Script) Invoke(c Call) Result {
	results := s.Results[c.State]
	if len(results) == 0 {
		return Result{Err: &Failure{Name: asl.ErrTaskFailed, Cause: "the script has no result for state " + c.State}}
	}
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	n := s.calls[c.State]
	s.calls[c.State]++
	return results[min(n, len(results)-1)]
}
