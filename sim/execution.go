package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// Status is an execution's final status.
type Status string

// Execution statuses. The simulator never stops an execution from
// outside, so it produces no ABORTED of its own.
const (
	Succeeded Status = "SUCCEEDED"
	Failed    Status = "FAILED"
	TimedOut  Status = "TIMED_OUT"
	Aborted   Status = "ABORTED"
)

// DefaultStateMachineArn names the machine when Options.StateMachineArn
// is empty.
const DefaultStateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:simulated"

// DefaultStart is the start time when Options.Start is zero: a fixed
// time, so that runs are reproducible.
func DefaultStart() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Options configure a run. The zero value runs a machine without tasks.
type Options struct {
	// Executor performs the tasks; without it every task fails the
	// execution with States.Runtime.
	Executor Executor
	// Machines are the state machines states:startExecution can start,
	// by state machine ARN.
	Machines map[string]*asl.Machine
	// Seed drives everything random: execution names, States.UUID,
	// States.MathRandom and retry jitter. The same machine, input,
	// options and executor answers give the same execution.
	Seed uint64
	// Start is the simulated start time (default 2026-01-01T00:00:00Z).
	Start time.Time
	// Name is the execution name (default: a UUID drawn from Seed).
	Name string
	// StateMachineArn names the machine (default DefaultStateMachineArn);
	// the execution ARN is derived from it.
	StateMachineArn string
	// RoleArn is $$.Execution.RoleArn, the machine's execution role; child
	// executions get it too.
	RoleArn string
	// MaxEvents is the history quota (default DefaultMaxEvents).
	MaxEvents int
}

// Execution is the outcome of a simulated execution.
type Execution struct {
	Arn             string
	Name            string
	StateMachineArn string
	Status          Status
	Input           any
	// Output is the final output of a SUCCEEDED execution.
	Output any
	// Error and Cause say why an execution did not succeed.
	Error string
	Cause string
	// Start and Stop are simulated times.
	Start, Stop time.Time
	Events      []Event
	// Calls lists the task attempts in the order they were made,
	// states:startExecution ones included.
	Calls []Call
	// Children are the executions started by states:startExecution.
	Children []*Execution
}

// Duration is the simulated time the execution took.
func (e *Execution) Duration() time.Duration { return e.Stop.Sub(e.Start) }

// Run simulates an execution of m on input, which may be any value that
// encodes to JSON, or raw JSON. It returns an error only when the
// execution cannot start (no machine, bad or oversized input); a failed
// execution is a result, with Status FAILED or TIMED_OUT.
func Run(m *asl.Machine, input any, opts Options) (*Execution, error) {
	if m == nil {
		return nil, errors.New("sim: no state machine")
	}
	in, err := normalize(input)
	if err != nil {
		return nil, fmt.Errorf("sim: input is not JSON: %w", err)
	}
	if err := checkSize(in, "the execution input"); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	if opts.Start.IsZero() {
		opts.Start = DefaultStart()
	}
	if opts.StateMachineArn == "" {
		opts.StateMachineArn = DefaultStateMachineArn
	}
	if opts.MaxEvents == 0 {
		opts.MaxEvents = DefaultMaxEvents
	}
	w := &world{opts: opts, names: map[string]map[string]bool{}}
	return w.execute(m, opts.StateMachineArn, opts.Name, in, opts.Start, opts.Seed), nil
}

// world is what all executions of one Run share: the options and the
// execution names already used, per state machine.
type world struct {
	opts  Options
	names map[string]map[string]bool
}

// run is one execution in progress.
type run struct {
	world    *world
	exec     *Execution
	hist     history
	rng      *rand.Rand
	deadline time.Time // zero: no TimeoutSeconds
	// execContext and machineContext are $$.Execution and $$.StateMachine.
	execContext, machineContext map[string]any
}

// execute runs m to its end.
func (w *world) execute(m *asl.Machine, machineArn, name string, input any, start time.Time, seed uint64) *Execution {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	if name == "" {
		name = newUUID(rng)
	}
	w.claimName(machineArn, name)
	x := &Execution{
		Arn:             executionArn(machineArn, name),
		Name:            name,
		StateMachineArn: machineArn,
		Input:           input,
		Start:           start,
	}
	r := &run{world: w, exec: x, hist: history{max: w.opts.MaxEvents}, rng: rng}
	if m.TimeoutSeconds > 0 {
		r.deadline = start.Add(seconds(m.TimeoutSeconds))
	}
	r.execContext = map[string]any{
		"Id": x.Arn, "Name": name, "Input": input, "RoleArn": w.opts.RoleArn,
		"StartTime": ISOTime(start), "RedriveCount": number(0),
	}
	r.machineContext = map[string]any{"Id": machineArn, "Name": machineName(machineArn)}
	t := &thread{run: r, now: start}
	var out any
	err := t.record(Event{Type: ExecutionStarted, Data: input})
	if err == nil {
		out, err = t.runScope(m.StartAt, m.States, input)
	}
	t.finish(out, err)
	return x
}

// finish records the last event and the outcome.
func (t *thread) finish(out any, err error) {
	x := t.run.exec
	var f *Failure
	switch {
	case err == nil:
		x.Status, x.Output = Succeeded, out
		err = t.record(Event{Type: ExecutionSucceeded, Data: out})
	case errors.As(err, &f):
		x.Status, x.Error, x.Cause = Failed, f.Name, f.Cause
		err = t.record(Event{Type: ExecutionFailed, Error: f.Name, Cause: f.Cause})
	default: // timedOut
		x.Status, x.Error = TimedOut, asl.ErrTimeout
		err = t.record(Event{Type: ExecutionTimedOut, Error: asl.ErrTimeout})
	}
	if closed := t.run.hist.closed; closed != nil && err != nil {
		x.Status, x.Output, x.Error, x.Cause = Failed, nil, closed.Name, closed.Cause
	}
	x.Stop, x.Events = t.now, t.run.hist.events
}

// claimName records that machineArn has an execution called name.
func (w *world) claimName(machineArn, name string) {
	if w.names[machineArn] == nil {
		w.names[machineArn] = map[string]bool{}
	}
	w.names[machineArn][name] = true
}

// executionArn derives arn:...:execution:<machine>:<name> from the state
// machine ARN arn:...:stateMachine:<machine>.
func executionArn(machineArn, name string) string {
	return strings.Replace(machineArn, ":stateMachine:", ":execution:", 1) + ":" + name
}

// MachineOf is the state machine ARN of an execution ARN, which
// executionArn made.
func MachineOf(executionArn string) string {
	i := strings.LastIndexByte(executionArn, ':')
	if i < 0 {
		return ""
	}
	return strings.Replace(executionArn[:i], ":execution:", ":stateMachine:", 1)
}

func machineName(machineArn string) string {
	return machineArn[strings.LastIndexByte(machineArn, ':')+1:]
}

// ISOTime formats a time as Step Functions writes it in the context object
// and as AWS APIs return it in JSON: UTC with milliseconds.
func ISOTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// epochMillis is how the Step Functions API integration returns dates.
func epochMillis(t time.Time) json.Number { return number(t.UnixMilli()) }

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// thread runs the states of one scope (the machine, a Parallel branch or
// a Map iteration) on its own simulated clock: branches and iterations
// run one after another in the simulator, but each starts at the time it
// would start in Step Functions.
type thread struct {
	run *run
	now time.Time
}

// advance moves the clock on by d, or to the execution's deadline and
// fails with timedOut when d goes past it.
func (t *thread) advance(d time.Duration) error {
	if !t.run.deadline.IsZero() && t.now.Add(d).After(t.run.deadline) {
		t.now = t.run.deadline
		return timedOut{}
	}
	t.now = t.now.Add(d)
	return nil
}

// record adds an event at the current simulated time.
func (t *thread) record(ev Event) error {
	ev.Time = t.now
	return t.run.hist.add(ev)
}

// fork starts a thread for a branch or iteration beginning at start.
func (t *thread) fork(start time.Time) *thread {
	return &thread{run: t.run, now: start}
}

// runScope runs the states from startAt until one ends the scope.
func (t *thread) runScope(startAt string, states asl.States, input any) (any, error) {
	name := startAt
	for {
		st, ok := states.Get(name)
		if !ok || st == nil {
			return nil, runtimeError("state %q does not exist", name)
		}
		next, out, err := t.runState(name, st, input)
		if err != nil || next == "" {
			return out, err
		}
		name, input = next, out
	}
}
