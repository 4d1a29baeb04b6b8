package simulate

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/awsmock"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/sim"
)

func asError[T error](err error, target *T) bool { return errors.As(err, target) }

func TestSimulateUnknownRefresh(t *testing.T) {
	e := load(t, exampleSpec)
	_, err := Run(e.spec, e.machines, e.roles, Options{Refresh: "prod"})
	var unknown *UnknownRefreshError
	if !asError(err, &unknown) || !slices.Equal(unknown.Known, []string{"dev", "staging"}) {
		t.Fatalf("got %v, want an UnknownRefreshError listing dev, staging", err)
	}
}

// TestDeterministic: the same run twice gives the same execution and
// timeline, to the byte.
func TestSimulateDeterministic(t *testing.T) {
	e := load(t, exampleSpec)
	var runs [2]string
	for i := range runs {
		res, _ := e.run(t, "dev", Options{Seed: 7})
		data, err := json.Marshal([]any{res.Timeline, res.Execution.Output, res.Calls, res.Duration})
		if err != nil {
			t.Fatal(err)
		}
		runs[i] = string(data)
	}
	if runs[0] != runs[1] {
		t.Error("two runs of the same refresh differ")
	}
}

// withoutPolicies returns the roles with the policies of the role called
// name removed: IAM then refuses everything it does.
func withoutPolicies(rs []roles.Role, name string) []roles.Role {
	out := slices.Clone(rs)
	for i := range out {
		if out[i].Name == name {
			out[i].Policies = nil
		}
	}
	return out
}

// TestDenialFailsTheCall: a call IAM refuses fails as AWS fails it, never
// reaches the World, and shows in the timeline.
func TestSimulateDenialFailsTheCall(t *testing.T) {
	e := load(t, exampleSpec)
	n := names.New(e.spec)
	source := e.spec.Account("production")
	rs := withoutPolicies(e.roles, n.AccountRole(source))
	res, err := Run(e.spec, e.machines, rs, Options{Refresh: "dev", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Execution.Status != sim.Failed || res.Matched() {
		t.Fatalf("the run %s, matched %v: want FAILED, a mismatch", outcome(res.Execution), res.Matched())
	}
	i := slices.IndexFunc(res.Timeline, func(e awsmock.Entry) bool { return e.Denied })
	if i < 0 {
		t.Fatal("no denied call in the timeline")
	}
	d := res.Timeline[i]
	if d.Account != "production" || d.Role != n.AccountRoleARN(source) || d.Fault != -1 ||
		!strings.HasPrefix(d.Error, "Rds.") || !strings.Contains(d.Cause, "is not authorized to perform: rds:") ||
		!strings.Contains(d.Cause, "because no identity-based policy allows") {
		t.Errorf("the denial: %+v", d)
	}
	if name, cause := RootCause(res.Execution); name != d.Error || cause != d.Cause {
		t.Errorf("the run failed with %s: %s, not with the denial", name, cause)
	}
	for _, sn := range res.World.Snapshots("production", res.Execution.Stop) {
		if sn.Type == "manual" {
			t.Errorf("a denied call made the snapshot %s", sn.ID)
		}
	}
}

// TestStartExecutionAuthorized: the simulator starts child executions
// itself, so Run checks them against IAM afterwards.
func TestSimulateStartExecutionAuthorized(t *testing.T) {
	e := load(t, exampleSpec)
	n := names.New(e.spec)
	r := e.spec.Refreshes[1]
	rs := withoutPolicies(e.roles, n.OrchestratorRole(r))
	res, err := Run(e.spec, e.machines, rs, Options{Refresh: r.Name, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unauthorized) == 0 || res.Unauthorized[0].Call != "states:startExecution" ||
		!strings.Contains(res.Mismatch.Error(), "IAM would refuse states:startExecution") {
		t.Fatalf("unauthorized %v, mismatch %v", res.Unauthorized, res.Mismatch)
	}
}

// TestExpectation: without a scenario, or when the scenario says nothing,
// a run must succeed; a scenario's expect is taken as it is.
func TestSimulateExpectation(t *testing.T) {
	if e := expectation(nil); e.Status != sim.Succeeded {
		t.Errorf("no scenario: %+v", e)
	}
	if e := expectation(&awsmock.Scenario{}); e.Status != sim.Succeeded {
		t.Errorf("no expect: %+v", e)
	}
	if e := expectation(&awsmock.Scenario{Expect: awsmock.Expect{Cause: "x"}}); e.Status != "" || e.Cause != "x" {
		t.Errorf("an expected cause: %+v", e)
	}
}

func TestSimulateRootCause(t *testing.T) {
	inner, _ := json.Marshal(map[string]any{"Error": "Rds.X", "Cause": "deep", "ExecutionArn": "arn"})
	outer, _ := json.Marshal(map[string]any{"Error": "States.TaskFailed", "Cause": string(inner)})
	x := &sim.Execution{Error: "States.TaskFailed", Cause: string(outer)}
	if name, cause := RootCause(x); name != "Rds.X" || cause != "deep" {
		t.Errorf("got %s: %s", name, cause)
	}
	x = &sim.Execution{Error: "Refresh.StepFailed", Cause: "plain text"}
	if name, cause := RootCause(x); name != "Refresh.StepFailed" || cause != "plain text" {
		t.Errorf("got %s: %s", name, cause)
	}
}

// TestSourceWrites classifies the source role's calls.
func TestSimulateSourceWrites(t *testing.T) {
	e := load(t, exampleSpec)
	n := names.New(e.spec)
	r := e.spec.Refreshes[0] // dev
	src, dst := n.AccountRoleARN(r.Source), n.AccountRoleARN(r.Destination)
	prefix := n.SnapshotPrefix(r, r.Databases[0])
	entry := func(role, call string, params, output map[string]any) awsmock.Entry {
		return awsmock.Entry{Role: role, Call: call, Parameters: params, Output: output, Fault: -1}
	}
	timeline := []awsmock.Entry{
		entry(src, "rds:describeDBClusterSnapshots", map[string]any{}, nil),
		entry(src, "rds:copyDBClusterSnapshot", map[string]any{"SourceDBClusterSnapshotIdentifier": "rds:prod-app-2026",
			"TargetDBClusterSnapshotIdentifier": prefix + "-run1"}, nil),
		entry(src, "rds:modifyDBClusterSnapshotAttribute", map[string]any{"DbClusterSnapshotIdentifier": "rds:prod-app-2026"}, nil),
		entry(src, "kms:createGrant", map[string]any{"GranteePrincipal": dst}, map[string]any{"GrantId": "g1"}),
		entry(src, "kms:revokeGrant", map[string]any{"GrantId": "g1"}, nil),
		entry(src, "kms:revokeGrant", map[string]any{"GrantId": "rds-own"}, nil),
		entry(src, "rds:modifyDBCluster", map[string]any{"DbClusterIdentifier": "prod-app"}, nil),
		entry(dst, "rds:deleteDBCluster", map[string]any{"DbClusterIdentifier": "dev-app-old"}, nil),
	}
	var got []string
	for _, sw := range SourceWrites(e.spec, r, timeline) {
		got = append(got, sw.Entry.Call+" "+map[bool]string{true: "owned", false: "PRODUCTION"}[sw.Owned != ""])
	}
	want := []string{
		"rds:copyDBClusterSnapshot owned", "rds:modifyDBClusterSnapshotAttribute PRODUCTION", "kms:createGrant owned",
		"kms:revokeGrant owned", "kms:revokeGrant PRODUCTION", "rds:modifyDBCluster PRODUCTION",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
