package workflows

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

// The data-flow check must catch each failure class of the seed workflows
// (seed-workflows §5.4, §6, §0.4); these tests build small machines with
// one defect each.

const childARN = "arn:aws:states:eu-west-1:000000000000:stateMachine:child"

func child() *Workflow {
	return &Workflow{Group: GroupDB, Key: "child",
		Input:  Obj(Req("ClusterId", Str("")), Opt("Snapshot", Str(""))),
		Output: Obj(Req("Arn", Str("")))}
}

func machine(states ...asl.NamedState) *asl.Machine {
	m := &asl.Machine{StartAt: states[0].Name}
	for _, ns := range states {
		m.States.Add(ns.Name, ns.State)
	}
	return m
}

func state(name string, s asl.State) asl.NamedState { return asl.NamedState{Name: name, State: s} }

func startChild(input *asl.Object, resultPath, next string) *asl.Task {
	return &asl.Task{
		Resource:       asl.StartExecution(asl.Sync2).ARN("aws"),
		Parameters:     asl.Obj(asl.Field("StateMachineArn", asl.Str(childARN)), asl.Field("Input", input)),
		ResultSelector: asl.Obj(asl.Field("Output", asl.Ref("$.Output"))),
		ResultPath:     asl.At(resultPath),
		Next:           next,
	}
}

func flowProblems(m *asl.Machine, input, output *Shape) string {
	return strings.Join(checkFlow(m, input, output, map[string]*Workflow{childARN: child()}), "\n")
}

func TestFlowCatchesContractBreaks(t *testing.T) {
	in := Obj(Req("Id", Str("")), Opt("Maybe", Str("")), Req("List", List(Obj(Req("Name", Str(""))))))
	out := Obj(Req("Arn", Str("")))
	done := state("Done", &asl.Succeed{})
	shape := func(next string) *asl.Pass {
		return &asl.Pass{Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Call.Output.Arn"))), Next: next}
	}
	tests := []struct {
		name string
		m    *asl.Machine
		want string // "" means no problem
	}{
		{"a correct call", machine(
			state("Call", startChild(asl.Obj(asl.Field("ClusterId", asl.Ref("$.Id"))), "$.Call", "Shape")),
			state("Shape", shape("Done")), done), ""},
		{"a required child field omitted (seed §5.4)", machine(
			state("Call", startChild(asl.Obj(), "$.Call", "Shape")),
			state("Shape", shape("Done")), done), "call to child: ClusterId is required but missing"},
		{"a field the child does not have", machine(
			state("Call", startChild(asl.Obj(asl.Field("ClusterId", asl.Ref("$.Id")), asl.Field("ClusterIdentifier", asl.Ref("$.Id"))), "$.Call", "Shape")),
			state("Shape", shape("Done")), done), "ClusterIdentifier is not in the contract"},
		{"a path the input never has (seed §0.4.2)", machine(
			state("Call", startChild(asl.Obj(asl.Field("ClusterId", asl.Ref("$.Database.Target.ClusterIdentifier"))), "$.Call", "Shape")),
			state("Shape", shape("Done")), done), `$.Database.Target.ClusterIdentifier does not resolve: there is no field "Database"`},
		{"an optional field read without IsPresent (seed §0.4.3)", machine(
			state("Call", startChild(asl.Obj(asl.Field("ClusterId", asl.Ref("$.Maybe"))), "$.Call", "Shape")),
			state("Shape", shape("Done")), done), `reads the optional field "Maybe" without an IsPresent guard`},
		{"an optional field read behind IsPresent", machine(
			state("Check", &asl.Choice{Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Maybe", true), "Call")}, Default: "Fallback"}),
			state("Call", startChild(asl.Obj(asl.Field("ClusterId", asl.Ref("$.Maybe"))), "$.Call", "Shape")),
			state("Fallback", startChild(asl.Obj(asl.Field("ClusterId", asl.Ref("$.Id"))), "$.Call", "Shape")),
			state("Shape", shape("Done")), done), ""},
		{"a Choice on a missing path fails at run time, not to Default", machine(
			state("Check", &asl.Choice{Choices: []asl.Rule{asl.When(asl.BooleanEquals("$.Options.Rename", true), "Done")}, Default: "Done"}),
			done), `$.Options.Rename does not resolve`},
		{"a comparison of the wrong kind", machine(
			state("Check", &asl.Choice{Choices: []asl.Rule{asl.When(asl.CompareNumber("$.Id", asl.Equals, 1), "Done")}, Default: "Done"}),
			done), "NumericEquals compares $.Id as number, but it is string"},
		{"a read of the child's output it does not produce", machine(
			state("Call", startChild(asl.Obj(asl.Field("ClusterId", asl.Ref("$.Id"))), "$.Call", "Shape")),
			state("Shape", &asl.Pass{Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Call.Output.SnapshotArn"))), Next: "Done"}),
			done), `$.Call.Output.SnapshotArn does not resolve`},
		{"a catcher without ResultPath drops the input (seed §1.11)", machine(
			state("Call", &asl.Task{Resource: asl.SDKCall("rds", "describeDBClusters").ARN("aws"), ResultPath: asl.At("$.R"), Next: "Shape",
				Catch: []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: "Shape"}}}),
			state("Shape", &asl.Pass{Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Id"))), Next: "Done"}),
			done), `reads the optional field "Id"`},
		{"an ItemSelector reads the element and the parent", machine(
			state("Each", &asl.Map{ItemsPath: "$.List",
				ItemSelector:  asl.Obj(asl.Field("ClusterId", asl.Ref("$$.Map.Item.Value.Name")), asl.Field("Parent", asl.Ref("$.Id"))),
				ItemProcessor: &asl.Processor{StartAt: "Use", States: machine(state("Use", &asl.Pass{Parameters: asl.Obj(asl.Field("X", asl.Ref("$.Parent"))), End: true})).States},
				ResultPath:    asl.Discard(), Next: "Shape"}),
			state("Shape", &asl.Pass{Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Id"))), Next: "Done"}),
			done), ""},
		{"an ItemSelector field missing from the element", machine(
			state("Each", &asl.Map{ItemsPath: "$.List",
				ItemSelector:  asl.Obj(asl.Field("ClusterId", asl.Ref("$$.Map.Item.Value.Identifier"))),
				ItemProcessor: &asl.Processor{StartAt: "Use", States: machine(state("Use", &asl.Succeed{})).States},
				ResultPath:    asl.Discard(), Next: "Shape"}),
			state("Shape", &asl.Pass{Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Id"))), Next: "Done"}),
			done), `$$.Map.Item.Value.Identifier does not resolve`},
		{"an output that lacks a contract field on one way to succeed", machine(
			state("Check", &asl.Choice{Choices: []asl.Rule{asl.When(asl.CompareString("$.Id", asl.Equals, "x"), "Shape")}, Default: "Done"}),
			state("Shape", &asl.Pass{Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Id"))), Next: "Done"}),
			done), "output: Arn is required but may be absent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flowProblems(tt.m, in, out)
			switch {
			case tt.want == "" && got != "":
				t.Errorf("unexpected problems:\n%s", got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("want a problem containing %q, got:\n%s", tt.want, got)
			}
		})
	}
}

func TestGuardCheck(t *testing.T) {
	e := &Env{Project: &exampleSpec(t).Project, Partition: "aws"}
	del := func(next string) *asl.Task {
		return &asl.Task{Resource: e.SDK("rds", "deleteDBCluster"), Next: next}
	}
	unguarded := machine(state("Delete", del("Done")), state("Done", &asl.Succeed{}))
	if p := checkGuards(unguarded); len(p) != 1 {
		t.Errorf("an unguarded delete was not reported: %v", p)
	}
	guarded := merge(nil, e.requireManaged("Guard", "$.Tags", "$.Id", "Delete"))
	guarded.Add("Delete", del("Done"))
	guarded.Add("Done", &asl.Succeed{})
	if p := checkGuards(&asl.Machine{StartAt: "Guard", States: guarded}); len(p) != 0 {
		t.Errorf("a guarded delete was reported: %v", p)
	}
	// A second path around the guard must be caught.
	bypass := merge(nil, guarded)
	bypass.Add("Start", &asl.Choice{Choices: []asl.Rule{asl.When(asl.CompareString("$.X", asl.Equals, "y"), "Delete")}, Default: "Guard"})
	if p := checkGuards(&asl.Machine{StartAt: "Start", States: bypass}); len(p) != 1 {
		t.Errorf("a path around the guard was not reported: %v", p)
	}
}

func TestNewestIsABoundedCheckedLoop(t *testing.T) {
	s := newest("Latest", "$.List", "Created", "Done", "Empty", 100)
	s.Add("Done", &asl.Pass{Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Latest.Best.Arn"))), End: true})
	s.Add("Empty", &asl.Fail{Error: "Empty"})
	m := &asl.Machine{StartAt: "Latest", States: s, TimeoutSeconds: 60}
	if err := m.Check(asl.CheckOptions{RequireTimeout: true}); err != nil {
		t.Fatal(err)
	}
	in := Obj(Req("List", List(Obj(Req("Created", Str("")), Req("Arn", Str(""))))))
	if p := flowProblems(m, in, Obj(Req("Arn", Str("")))); p != "" {
		t.Fatal(p)
	}
}

// TestFlowForgetsStaleEdges: a state reached from several paths, one with a
// field and one without, then guarded by IsPresent, reads the field
// safely, whatever order the analysis visits the paths in.
func TestFlowForgetsStaleEdges(t *testing.T) {
	in := Obj(Req("Id", Str("")))
	m := machine(
		state("Start", &asl.Choice{Choices: []asl.Rule{asl.When(asl.CompareString("$.Id", asl.Equals, "a"), "Without")}, Default: "With"}),
		state("Without", &asl.Pass{Next: "Join"}),
		state("With", &asl.Pass{Parameters: asl.Obj(asl.Field("V", asl.Str("x"))), ResultPath: asl.At("$.Extra"), Next: "Join"}),
		state("Join", &asl.Choice{Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Extra", true), "Use")}, Default: "Done"}),
		state("Use", &asl.Pass{Parameters: asl.Obj(asl.Field("V", asl.Ref("$.Extra.V"))), ResultPath: asl.Discard(), Next: "Done"}),
		state("Done", &asl.Succeed{}),
	)
	if p := flowProblems(m, in, nil); p != "" {
		t.Fatal(p)
	}
}
