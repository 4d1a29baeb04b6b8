package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
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
	e := &Env{Names: names.New(s), Spec: s, Project: &s.Project, Partition: s.Project.Partition}
	e.workflows = append(Library(), orchestrators(s)...)
	children := map[string]*Workflow{}
	for _, w := range e.workflows {
		children[e.MachineARN(w)] = w
	}
	var machines []Machine
	var errs []error
	for _, w := range e.workflows {
		m := w.build(e)
		if m.TimeoutSeconds == 0 {
			m.TimeoutSeconds = w.Timeout
		}
		problems := e.check(w, m, children)
		if len(problems) > 0 {
			errs = append(errs, fmt.Errorf("%s/%s:\n%s", w.Group, w.Key, strings.Join(problems, "\n")))
		}
		machines = append(machines, Machine{Workflow: w, Name: e.MachineName(w), ARN: e.MachineARN(w), Definition: m, Problems: problems})
	}
	return machines, errors.Join(errs...)
}

// Example returns the example input of a workflow, for running it alone.
func (e *Env) Example(w *Workflow) map[string]any {
	if w.example == nil {
		return map[string]any{}
	}
	return w.example(e)
}

// check runs every generation-time check on one machine.
func (e *Env) check(w *Workflow, m *asl.Machine, children map[string]*Workflow) []string {
	var problems []string
	if err := m.Check(asl.CheckOptions{RequireTimeout: true}); err != nil {
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
