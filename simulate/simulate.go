// Package simulate runs the generated workflows of a spec offline: a
// refresh's orchestrator (or one library workflow on its example input)
// in the ASL interpreter (package sim), against the mocked AWS of package
// awsmock, with IAM in the loop: every Task is first authorised against
// the generated policies of the role it runs as (package roles), and a
// call IAM refuses fails as AWS would fail it, with an AccessDenied,
// without reaching the mock.
//
// It is the pure core of `refreshgen simulate`: it prints nothing and
// reads no file; the caller loads the spec and the scenario.
package simulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/awsmock"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// Options configure a run.
type Options struct {
	// Refresh is the name of the refresh whose orchestrator Run runs.
	Refresh string
	// Scenario injects faults and says how the run must end; nil runs
	// against the healthy estate and expects SUCCEEDED.
	Scenario *awsmock.Scenario
	// Seed drives everything random in the run (execution names, retry
	// jitter): the same inputs and seed give the same run.
	Seed uint64

	// waive, when set, lets a call IAM refused through to the World if it
	// returns true: the tests use it for IAM gaps known and being fixed,
	// so that the rest of a run is still checked.
	waive func(c sim.Call, f *sim.Failure) bool
	// noIAM leaves IAM out of the loop (RunWorkflow).
	noIAM bool
}

// Result is how a run went.
type Result struct {
	// Machine is the state machine that was run.
	Machine *workflows.Machine
	// Execution is the run, its child executions included.
	Execution *sim.Execution
	// Timeline lists every AWS call in time order, those IAM refused
	// included (Entry.Denied).
	Timeline []awsmock.Entry
	// Calls counts the calls per account, in the spec's account order.
	Calls []awsmock.AccountCalls
	// Duration is the simulated time the run took.
	Duration time.Duration
	// Expect is how the run had to end: the scenario's expectation, or
	// SUCCEEDED.
	Expect awsmock.Expect
	// Mismatch says how the run did not end as expected; nil when it did.
	Mismatch error
	// Unauthorized lists the states:startExecution calls IAM would have
	// refused. The simulator starts child executions itself, so these are
	// checked after the run, and any of them is a mismatch.
	Unauthorized []Denial
	// SourceWrites are the calls of a refresh made as the source
	// account's role that are not read-only (see SourceWrites); one that
	// changes anything but the run's own resources is a mismatch.
	SourceWrites []SourceWrite
	// World is the mocked AWS after the run, for inspection.
	World *awsmock.World
}

// Matched reports whether the run ended as expected.
func (r *Result) Matched() bool { return r.Mismatch == nil }

// Denial is a call IAM refused.
type Denial struct {
	Time  time.Time
	State string
	Call  string // service:action
	Role  string
	Error string
	Cause string
}

// UnknownRefreshError is the error of Run for a refresh the spec does not
// declare.
type UnknownRefreshError struct {
	Name  string
	Known []string
}

func (e *UnknownRefreshError) Error() string {
	return fmt.Sprintf("the spec has no refresh %q (it has %s)", e.Name, strings.Join(e.Known, ", "))
}

// UnknownWorkflowError is the error of RunWorkflow for a workflow the
// library does not have.
type UnknownWorkflowError struct {
	Name  string
	Known []string
}

func (e *UnknownWorkflowError) Error() string {
	return fmt.Sprintf("the library has no workflow %q (it has %s)", e.Name, strings.Join(e.Known, ", "))
}

// Run runs the orchestrator of the refresh opts.Refresh: machines are
// every machine generated for s (workflows.Generate) and rs the roles
// derived from them (roles.Derive). An error means the run could not
// start: an unknown refresh (*UnknownRefreshError), or a bug.
func Run(s *spec.Spec, machines []workflows.Machine, rs []roles.Role, opts Options) (*Result, error) {
	var known []string
	var refresh *spec.Refresh
	for _, r := range s.Refreshes {
		known = append(known, r.Name)
		if r.Name == opts.Refresh {
			refresh = r
		}
	}
	i := slices.IndexFunc(machines, func(m workflows.Machine) bool {
		return m.Workflow.Group == workflows.GroupOrchestrator && m.Workflow.Key == opts.Refresh
	})
	if refresh == nil {
		return nil, &UnknownRefreshError{Name: opts.Refresh, Known: known}
	}
	if i < 0 {
		return nil, fmt.Errorf("simulate: no orchestrator was generated for the refresh %s", opts.Refresh)
	}
	res, err := run(s, machines, rs, &machines[i], map[string]any{}, awsmock.Options{Scenario: opts.Scenario}, opts)
	if err != nil {
		return nil, err
	}
	res.SourceWrites = SourceWrites(s, refresh, res.Timeline)
	problems := []error{res.Mismatch}
	for _, sw := range res.SourceWrites {
		if sw.Owned == "" {
			problems = append(problems, fmt.Errorf("the source role changed production: %s in state %s", sw.Entry.Call, sw.Entry.State))
		}
	}
	res.Mismatch = errors.Join(problems...)
	return res, nil
}

// WorkflowNames lists the library workflows by the name RunWorkflow takes,
// group/key (db/restore_cluster), in library order.
func WorkflowNames(machines []workflows.Machine) []string {
	var out []string
	for _, m := range machines {
		if m.Workflow.Group != workflows.GroupOrchestrator {
			out = append(out, workflowName(m.Workflow))
		}
	}
	return out
}

func workflowName(w *workflows.Workflow) string { return string(w.Group) + "/" + w.Key }

// RunWorkflow runs one workflow of the library on its own, from the
// example input of its contract, against a World that also holds what the
// example names (awsmock.Options.Example). name is group/key, e.g.
// db/restore_cluster, or the state machine's name; opts.Refresh is
// ignored.
//
// IAM is not in the loop: the examples name placeholder resources
// (example-cluster, example-eks) that the least-privilege policies, scoped
// to the spec's own resources, rightly refuse. The refreshes' runs check
// the same calls against IAM with the spec's resources.
func RunWorkflow(s *spec.Spec, machines []workflows.Machine, rs []roles.Role, name string, opts Options) (*Result, error) {
	i := slices.IndexFunc(machines, func(m workflows.Machine) bool {
		return m.Workflow.Group != workflows.GroupOrchestrator && (workflowName(m.Workflow) == name || m.Name == name)
	})
	if i < 0 {
		return nil, &UnknownWorkflowError{Name: name, Known: WorkflowNames(machines)}
	}
	m := &machines[i]
	// The examples need only the naming rules of the spec: an Env built
	// the way workflows.Generate builds one.
	env := &workflows.Env{Names: names.New(s), Spec: s, Project: &s.Project, Partition: s.Project.Partition}
	input := env.Example(m.Workflow)
	opts.noIAM = true
	res, err := run(s, machines, rs, m, input, awsmock.Options{Scenario: opts.Scenario,
		Example: &awsmock.ExampleRun{Workflow: workflowName(m.Workflow), Input: input}}, opts)
	if err != nil {
		return nil, err
	}
	var problems []error
	for _, p := range res.World.Problems() {
		problems = append(problems, errors.New(p))
	}
	res.Mismatch = errors.Join(append([]error{res.Mismatch}, problems...)...)
	return res, nil
}

// run runs machine m on input against a new World.
func run(s *spec.Spec, machines []workflows.Machine, rs []roles.Role, m *workflows.Machine, input any, wopts awsmock.Options, opts Options) (*Result, error) {
	az := roles.NewAuthorizer(s, rs)
	own := map[string]string{}
	defs := map[string]*asl.Machine{}
	for i := range machines {
		own[machines[i].ARN] = az.MachineRole(&machines[i])
		defs[machines[i].ARN] = machines[i].Definition
	}
	wopts.Roles = own
	w := awsmock.New(s, wopts)
	g := &gate{world: w, az: az, own: own, waive: opts.waive, off: opts.noIAM}
	x, err := sim.Run(m.Definition, input, sim.Options{
		Executor: g, Machines: defs, StateMachineArn: m.ARN, RoleArn: own[m.ARN], Start: w.Start(), Seed: opts.Seed,
	})
	if err != nil {
		return nil, fmt.Errorf("simulate: %s cannot start: %w", m.Name, err)
	}
	res := &Result{Machine: m, Execution: x, Timeline: w.Timeline(), Calls: w.CallsPerAccount(), Duration: x.Duration(),
		Expect: expectation(opts.Scenario), World: w}
	if !g.off {
		res.Unauthorized = g.startExecutions(x)
	}
	var problems []error
	if err := res.Expect.Check(x); err != nil {
		problems = append(problems, err)
	}
	for _, d := range res.Unauthorized {
		problems = append(problems, fmt.Errorf("IAM would refuse %s in state %s: %s", d.Call, d.State, d.Cause))
	}
	res.Mismatch = errors.Join(problems...)
	return res, nil
}

// expectation is how a run of the scenario must end: as its expect says;
// SUCCEEDED when it says nothing, or without a scenario.
func expectation(sc *awsmock.Scenario) awsmock.Expect {
	var e awsmock.Expect
	if sc != nil {
		e = sc.Expect
	}
	if e.Status == "" && e.Error == "" && e.Cause == "" {
		e.Status = sim.Succeeded
	}
	return e
}

// gate is the Executor of a run: IAM first, then the World.
type gate struct {
	world *awsmock.World
	az    *roles.Authorizer
	own   map[string]string // state machine ARN -> the role it runs as
	waive func(sim.Call, *sim.Failure) bool
	off   bool // IAM is out of the loop
}

// Invoke authorises the call as the role it runs as, and has the World
// answer it, or refuse it as AWS would.
func (g *gate) Invoke(c sim.Call) sim.Result {
	if g.off {
		return g.world.Invoke(c)
	}
	if f := g.authorize(c); f != nil && (g.waive == nil || !g.waive(c, f)) {
		return g.world.Deny(c, f)
	}
	return g.world.Invoke(c)
}

// authorize checks a call against IAM: the machine's role must be able to
// assume the call's Credentials role, and the role the call runs as must
// be allowed the call on its resources.
func (g *gate) authorize(c sim.Call) *sim.Failure {
	own := g.own[sim.MachineOf(c.ExecutionArn)]
	if own == "" {
		return &sim.Failure{Name: asl.ErrTaskFailed, Cause: "simulate: no role for the execution " + c.ExecutionArn}
	}
	role := own
	if c.RoleArn != "" {
		if err := g.az.AuthorizeAssume(own, c.RoleArn); err != nil {
			return failureOf(err)
		}
		role = c.RoleArn
	}
	in, params := c.Integration, c.Parameters
	if in == nil {
		// A Lambda function ARN as Resource: IAM sees lambda:InvokeFunction
		// on that function, as for the optimized integration.
		li := asl.LambdaInvoke()
		in, params = &li, map[string]any{"FunctionName": c.Resource, "Payload": c.Parameters}
	}
	tags := func(arn string) map[string]string { return g.world.Tags(arn, c.Time) }
	if err := g.az.Authorize(role, *in, params, tags); err != nil {
		return failureOf(err)
	}
	return nil
}

// failureOf is the Task failure of an authorisation error: an AccessDenied
// as Step Functions reports it, anything else (an integration IAM has no
// mapping for) as a failed task that names the gap.
func failureOf(err error) *sim.Failure {
	var denied *roles.AccessDenied
	if errors.As(err, &denied) {
		return &sim.Failure{Name: denied.Name, Cause: denied.Cause}
	}
	return &sim.Failure{Name: asl.ErrTaskFailed, Cause: "simulate: " + err.Error()}
}

// startExecutions authorises, after the run, the states:startExecution
// calls the simulator made itself, each as the role of the machine that
// made it, and returns those IAM refuses.
func (g *gate) startExecutions(x *sim.Execution) []Denial {
	var out []Denial
	for _, c := range x.Calls {
		in := c.Integration
		if in == nil || in.SDK || in.Service != "states" || in.Action != "startExecution" {
			continue
		}
		role := g.own[sim.MachineOf(c.ExecutionArn)]
		if err := g.az.Authorize(role, *in, c.Parameters, nil); err != nil {
			f := failureOf(err)
			out = append(out, Denial{Time: c.Time, State: c.State, Call: in.Service + ":" + in.Action, Role: role, Error: f.Name, Cause: f.Cause})
		}
	}
	for _, child := range x.Children {
		out = append(out, g.startExecutions(child)...)
	}
	return out
}

// RootCause digs the error that failed a run out of the causes a failed
// child execution wraps it in (each .sync task failure's cause is the
// child's DescribeExecution as JSON, whose Error and Cause are the
// child's): the innermost error and cause, or the execution's own.
func RootCause(x *sim.Execution) (name, cause string) {
	name, cause = x.Error, x.Cause
	for range 32 { // executions nest a few levels deep
		var inner struct{ Error, Cause string }
		if json.Unmarshal([]byte(cause), &inner) != nil || inner.Error == "" {
			break
		}
		name, cause = inner.Error, inner.Cause
	}
	return name, cause
}
