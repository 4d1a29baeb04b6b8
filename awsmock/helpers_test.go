package awsmock

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// The specs the tests run: the example and the one with every feature.
const (
	exampleSpec = "../examples/refresh.hcl"
	goldenSpec  = "../testdata/golden/render-every-feature/refresh.hcl"
)

func loadSpec(t testing.TB, path string) *spec.Spec {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	res := spec.Load(path, src, spec.Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, rel))
	}})
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	return res.Spec
}

// generate returns the machines of s; generation-time problems are the
// workflows' business, logged only.
func generate(t testing.TB, s *spec.Spec) []workflows.Machine {
	t.Helper()
	ms, err := workflows.Generate(s)
	if err != nil {
		t.Logf("generation problems (not awsmock's): %v", err)
	}
	return ms
}

// machineRoles maps the ARN of each machine to the role it runs as, by
// the rule of the IAM derivation.
func machineRoles(s *spec.Spec, machines []workflows.Machine) map[string]string {
	az := roles.NewAuthorizer(s, nil)
	out := map[string]string{}
	for i := range machines {
		out[machines[i].ARN] = az.MachineRole(&machines[i])
	}
	return out
}

// runRefresh runs the orchestrator of refresh name in the simulator
// against w, with every machine of the spec startable.
func runRefresh(t testing.TB, s *spec.Spec, machines []workflows.Machine, name string, w *World, seed uint64) *sim.Execution {
	t.Helper()
	byARN := map[string]*asl.Machine{}
	var orchestrator *workflows.Machine
	for i, m := range machines {
		byARN[m.ARN] = m.Definition
		if m.Workflow.Group == workflows.GroupOrchestrator && m.Workflow.Key == name {
			orchestrator = &machines[i]
		}
	}
	if orchestrator == nil {
		t.Fatalf("no orchestrator for refresh %s", name)
	}
	x, err := sim.Run(orchestrator.Definition, map[string]any{}, sim.Options{
		Executor: w, Machines: byARN, StateMachineArn: orchestrator.ARN, RoleArn: machineRoles(s, machines)[orchestrator.ARN],
		Start: w.Start(), Seed: seed,
	})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// harness calls a World directly, one operation at a time, at a clock it
// moves by hand.
type harness struct {
	t   *testing.T
	s   *spec.Spec
	w   *World
	now time.Time
}

func newHarness(t *testing.T, path string, opts Options) *harness {
	s := loadSpec(t, path)
	w := New(s, opts)
	return &harness{t: t, s: s, w: w, now: w.Start()}
}

// role is the refreshgen role of the spec's account called name.
func (h *harness) role(name string) string {
	a := h.s.Account(name)
	if a == nil {
		h.t.Fatalf("no account %s", name)
	}
	return h.w.names.AccountRoleARN(a)
}

// after moves the clock on.
func (h *harness) after(d time.Duration) { h.now = h.now.Add(d) }

// call makes the call op (a handler key: aws-sdk:rds:describeDBClusters,
// eks:call) as role, and returns its output as plain JSON.
func (h *harness) call(role, op string, params map[string]any) (map[string]any, *sim.Failure) {
	h.t.Helper()
	resource := "arn:aws:states:::" + op
	in, _, err := asl.ParseIntegration(resource)
	if err != nil {
		h.t.Fatal(err)
	}
	normalized := map[string]any{}
	roundTrip(h.t, params, &normalized)
	res := h.w.Invoke(sim.Call{ExecutionArn: "arn:aws:states:eu-west-1:000000000000:execution:test:run", State: "Test",
		Resource: resource, Integration: &in, Parameters: normalized, RoleArn: role, Time: h.now})
	if res.Err != nil {
		return nil, res.Err
	}
	var out map[string]any
	roundTrip(h.t, res.Output, &out)
	return out, nil
}

// ok makes a call that must succeed.
func (h *harness) ok(role, op string, params map[string]any) map[string]any {
	h.t.Helper()
	out, err := h.call(role, op, params)
	if err != nil {
		h.t.Fatalf("%s: %s: %s", op, err.Name, err.Cause)
	}
	return out
}

// fails makes a call that must fail with the error name.
func (h *harness) fails(role, op string, params map[string]any, name string) *sim.Failure {
	h.t.Helper()
	_, err := h.call(role, op, params)
	if err == nil {
		h.t.Fatalf("%s succeeded, expected %s", op, name)
	}
	if err.Name != name {
		h.t.Fatalf("%s failed with %s (%s), expected %s", op, err.Name, err.Cause, name)
	}
	return err
}

// roundTrip copies v into out through JSON, so that numbers are float64
// and json.Number alike.
func roundTrip(t testing.TB, v, out any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		t.Fatal(err)
	}
}

// get reads a nested value of a JSON tree by keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}
