package workflows

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/spec/spectest"
)

func exampleSpec(t testing.TB) *spec.Spec {
	return spectest.Load(t, "../examples/refresh.hcl")
}

// exampleEnv is the Env the example spec generates with.
func exampleEnv(t testing.TB) *Env {
	s := exampleSpec(t)
	ms, _ := Generate(s)
	e := &Env{Names: names.New(s), Spec: s, Project: &s.Project, Partition: s.Project.Partition}
	for _, m := range ms {
		e.workflows = append(e.workflows, m.Workflow)
	}
	return e
}

// machineOf generates the example's machines and returns one, failing the
// test on that machine's problems only (so one workflow's test does not
// depend on another's being finished).
func machineOf(t testing.TB, group Group, key string) Machine {
	t.Helper()
	ms, _ := Generate(exampleSpec(t))
	for _, m := range ms {
		if m.Workflow.Group == group && m.Workflow.Key == key {
			if len(m.Problems) > 0 {
				t.Fatalf("%s/%s has problems:\n%s", group, key, strings.Join(m.Problems, "\n"))
			}
			return m
		}
	}
	t.Fatalf("no workflow %s/%s", group, key)
	return Machine{}
}

// calls lists the integrations a machine calls ("rds:deleteDBCluster",
// "states:startExecution"), nested states included, with the Credentials
// path each uses ("" for the machine's own role).
func calls(m *asl.Machine) map[string][]string {
	out := map[string][]string{}
	for l := range m.Walk() {
		task, ok := l.State.(*asl.Task)
		if !ok {
			continue
		}
		in, _, err := asl.ParseIntegration(task.Resource)
		if err != nil {
			continue
		}
		role := ""
		if task.Credentials != nil {
			if r, ok := task.Credentials.RoleArn.(asl.Ref); ok {
				role = string(r)
			}
		}
		key := in.Service + ":" + in.Action
		out[key] = append(out[key], role)
	}
	return out
}

func TestGenerateTheExample(t *testing.T) {
	if _, err := Generate(exampleSpec(t)); err != nil {
		t.Fatalf("generation problems:\n%v", err)
	}
}

func TestEveryMachineIsBounded(t *testing.T) {
	ms, _ := Generate(exampleSpec(t))
	for _, m := range ms {
		if m.Definition.TimeoutSeconds == 0 {
			t.Errorf("%s has no TimeoutSeconds", m.Name)
		}
	}
}

// TestExamplesSatisfyTheirContracts checks each workflow's example input,
// the one it runs with on its own, against its input contract.
func TestExamplesSatisfyTheirContracts(t *testing.T) {
	e := exampleEnv(t)
	for _, w := range e.workflows {
		if w.Group == GroupOrchestrator {
			continue
		}
		data, err := json.Marshal(e.Example(w))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		for _, p := range conform(shapeOf(v), w.Input, "") {
			t.Errorf("%s/%s example: %s", w.Group, w.Key, p)
		}
	}
}

// shapeOf is the shape of a JSON value.
func shapeOf(v any) *Shape {
	switch v := v.(type) {
	case map[string]any:
		s := Obj()
		for k, e := range v {
			s.Fields = append(s.Fields, Req(k, shapeOf(e)))
		}
		return s
	case []any:
		s := &Shape{Kind: Tuple}
		for _, e := range v {
			s.Items = append(s.Items, shapeOf(e))
		}
		return s
	case string:
		return &Shape{Kind: String}
	case float64:
		return &Shape{Kind: Number}
	case bool:
		return &Shape{Kind: Bool}
	}
	return &Shape{Kind: Null}
}

// TestLongestKeysAreLongest keeps the name-length checks of package spec
// true: they check the longest names refreshgen makes, from these keys.
func TestLongestKeysAreLongest(t *testing.T) {
	longest := len(strings.Join(spec.LongestWorkflowKey, "-"))
	for _, w := range Library() {
		if n := len(string(w.Group) + "-" + w.Key); n > longest {
			t.Errorf("%s/%s makes longer state machine names than spec.LongestWorkflowKey %q: update it", w.Group, w.Key, spec.LongestWorkflowKey)
		}
	}
	for _, fn := range []string{names.FnRunSQL, names.FnGetEFSSubpath, names.FnCheckFlagFile} {
		if len(fn) > len(strings.Join(spec.LongestLambdaKey, "-")) {
			t.Errorf("helper %s makes longer function names than spec.LongestLambdaKey %q: update it", fn, spec.LongestLambdaKey)
		}
	}
}
