package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/internal/parallel"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
)

// Group is a family of workflows, deployed together; it is also the first
// part of their state machine names (myapp-refresh-db-restore-cluster).
type Group string

// The groups of the seed module, kept so its users find their workflows.
const (
	GroupDB           Group = "db"
	GroupEFS          Group = "efs"
	GroupEKS          Group = "eks"
	GroupUtils        Group = "utils"
	GroupOrchestrator Group = "orchestrator"
)

// Workflow is one state machine: its contracts and how to build it.
type Workflow struct {
	Group Group
	// Key names the workflow within its group, in snake_case
	// (restore_cluster); for an orchestrator it is the refresh's name.
	Key     string
	Summary string
	Input   *Shape
	Output  *Shape
	// Timeout bounds a whole execution, in seconds.
	Timeout int
	build   func(e *Env) *asl.Machine
	// example is an input that satisfies Input for the spec of e, used to
	// run the workflow on its own (in tests and `refreshgen simulate`).
	example func(e *Env) map[string]any
}

// Machine is a generated, checked state machine.
type Machine struct {
	Workflow   *Workflow
	Name       string // the state machine's name
	ARN        string
	Definition *asl.Machine
	// JSON is Definition as asl.Marshal writes it, the bytes the checks
	// validate against the ASL schema, kept so that the renderers need not
	// marshal it again; nil if it could not be marshalled.
	JSON []byte
	// Problems are what the generation-time checks found (none, always,
	// in a released refreshgen).
	Problems []string
}

// Env is what every machine is generated for: the project's naming rules,
// partition, region and orchestrator account, and the ARNs of the library.
type Env struct {
	*names.Names
	Spec      *spec.Spec
	Project   *spec.Project
	Partition string
	workflows []*Workflow
}

// Generate builds every state machine of a spec, the library and one
// orchestrator per refresh, and checks each of them: the ASL rules and JSON
// Schema (asl.Check), the data flow against the contracts, and that every
// destructive call is behind the managed-tag guard. Any problem is a bug in
// refreshgen, never in the spec, which was validated before.
func Generate(s *spec.Spec) ([]Machine, error) {
	g := Build(s)
	problems, err := g.Check()
	for i := range g.Machines {
		g.Machines[i].Problems = problems[i]
	}
	return g.Machines, err
}

// Generation is the state machines of a spec as Build builds them: not
// checked yet. Generate is Build, then Check.
type Generation struct {
	Machines []Machine // Problems not filled in
	env      *Env
	children map[string]*Workflow // by state machine ARN
	encoded  []asl.Encoding
}

// Build builds every state machine of a spec and encodes it (Machine.JSON)
// but does not check it: a caller that has other work to do can check the
// machines meanwhile, as long as it uses nothing it made of them unless
// Check found no problem.
func Build(s *spec.Spec) *Generation {
	e := &Env{Names: names.New(s), Spec: s, Project: &s.Project, Partition: s.Project.Partition}
	e.workflows = append(Library(), orchestrators(s)...)
	g := &Generation{env: e, children: map[string]*Workflow{}, Machines: make([]Machine, len(e.workflows)),
		encoded: make([]asl.Encoding, len(e.workflows))}
	for _, w := range e.workflows {
		g.children[e.MachineARN(w)] = w
	}
	// Each machine is built on its own, reading only e: they are spread
	// over the CPUs, each into its own slot, so the result is what a loop
	// gives.
	parallel.ForEach(len(e.workflows), func(i int) {
		w := e.workflows[i]
		m := w.build(e)
		if m.TimeoutSeconds == 0 {
			m.TimeoutSeconds = w.Timeout
		}
		g.encoded[i] = encode(m)
		g.Machines[i] = Machine{Workflow: w, Name: e.MachineName(w), ARN: e.MachineARN(w), Definition: m, JSON: g.encoded[i].Data}
	})
	return g
}

// encode is asl.Encode, or nothing for a machine it cannot encode: the
// check encodes it again and reports why, once the ASL rules pass (which
// they do before asl.Check encodes anything).
func encode(m *asl.Machine) (enc asl.Encoding) {
	defer func() {
		if recover() != nil {
			enc = asl.Encoding{}
		}
	}()
	if enc = asl.Encode(m); enc.Err != nil {
		return asl.Encoding{}
	}
	return enc
}

// Check runs every generation-time check on every machine, spread over the
// CPUs, and returns the problems of each machine (in the order of
// Machines) and the error Generate returns. It only reads the machines.
func (g *Generation) Check() ([][]string, error) {
	e := g.env
	problems := make([][]string, len(g.Machines))
	errs := make([]error, len(g.Machines))
	parallel.ForEach(len(g.Machines), func(i int) {
		m := &g.Machines[i]
		w := m.Workflow
		problems[i] = e.check(w, m.Definition, g.children, g.encoded[i])
		g.encoded[i] = asl.Encoding{} // the tree the schema check read is garbage now
		if len(problems[i]) > 0 {
			errs[i] = fmt.Errorf("%s/%s:\n%s", w.Group, w.Key, strings.Join(problems[i], "\n"))
		}
	})
	return problems, errors.Join(errs...)
}

// Example returns the example input of a workflow, for running it alone.
func (e *Env) Example(w *Workflow) map[string]any {
	if w.example == nil {
		return map[string]any{}
	}
	return w.example(e)
}

// check runs every generation-time check on one machine, encoded as enc
// (or not yet, when enc is zero).
func (e *Env) check(w *Workflow, m *asl.Machine, children map[string]*Workflow, enc asl.Encoding) []string {
	var problems []string
	if err := m.CheckEncoded(asl.CheckOptions{RequireTimeout: true}, enc); err != nil {
		problems = append(problems, err.Error())
	}
	problems = append(problems, checkFlow(m, w.Input, w.Output, children)...)
	problems = append(problems, checkGuards(m)...)
	if n := e.MachineName(w); len(n) > spec.MaxStateMachineName {
		problems = append(problems, fmt.Sprintf("the name %s is longer than %d characters", n, spec.MaxStateMachineName))
	}
	return problems
}

// MachineName is a workflow's state machine name.
func (e *Env) MachineName(w *Workflow) string {
	return e.StateMachine(string(w.Group), w.Key)
}

// MachineARN is a workflow's state machine ARN.
func (e *Env) MachineARN(w *Workflow) string {
	return e.StateMachineARN(string(w.Group), w.Key)
}

// Workflow returns the library workflow group/key, or nil.
func (e *Env) Workflow(group Group, key string) *Workflow {
	i := slices.IndexFunc(e.workflows, func(w *Workflow) bool { return w.Group == group && w.Key == key })
	if i < 0 {
		return nil
	}
	return e.workflows[i]
}

// SDK returns the Resource of the aws-sdk integration service:action.
func (e *Env) SDK(service, action string) string {
	return asl.SDKCall(service, action).ARN(e.Partition)
}

// ManagedTag is the tag that marks what refreshgen may change or delete.
func (e *Env) ManagedTag() spec.Tag {
	return e.Project.ManagedTag
}
