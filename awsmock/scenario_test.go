package awsmock

import (
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

func TestParseScenario(t *testing.T) {
	s := loadSpec(t, exampleSpec)
	sc, err := ParseScenario("throttle.json", []byte(`{
		"description": "RDS throttles the first two snapshot calls",
		"expect": {"status": "SUCCEEDED"},
		"clock": {"start": "2026-11-29T03:00:00Z", "latency": "1s", "durations": {"cluster-create": "40m"}},
		"faults": [
			{"service": "rds", "action": "createDBClusterSnapshot", "account": "production", "times": 2,
			 "error": "Rds.RdsException", "cause": "Rate exceeded"},
			{"stuck": {"type": "cluster", "id": "staging-app-restore", "status": "creating"}, "account": "staging"}
		]
	}`), s)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Expect.Status != sim.Succeeded || len(sc.Faults) != 2 || sc.Faults[0].Times != 2 || sc.Faults[1].Stuck.ID != "staging-app-restore" ||
		sc.Clock.Durations[DurClusterCreate] != 40*time.Minute || !sc.Clock.Start.Equal(time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("parsed %+v", sc)
	}
	_, err = ParseScenario("bad.json", []byte(`{
		"expect": {"status": "DONE"},
		"clock": {"durations": {"cluster-creat": "1m"}, "latency": "soon"},
		"faults": [
			{"service": "rds", "error": "X", "response": {}},
			{"service": "rds", "action": "x", "account": "prod", "after": -1},
			{"stuck": {"type": "nothing", "status": ""}, "times": 1},
			{"action": "x", "error": "Y", "color": "red"}
		],
		"extra": true
	}`), s)
	if err == nil {
		t.Fatal("a bad scenario parsed")
	}
	for _, want := range []string{
		"bad.json: extra: unknown field",
		"bad.json: expect.status: must be SUCCEEDED, FAILED, TIMED_OUT or ABORTED",
		"bad.json: clock.durations.cluster-creat: unknown field",
		"bad.json: clock.latency: must be a duration",
		"bad.json: faults[0].action: required",
		"bad.json: faults[0].response: give error or response, not both",
		`bad.json: faults[1].account: the spec has no account "prod"`,
		"bad.json: faults[1].after: must be a whole number",
		"bad.json: faults[1]: give error, response or delay",
		"bad.json: faults[2].times: a stuck fault takes only stuck and account",
		"bad.json: faults[2].stuck.type: must be one of",
		"bad.json: faults[2].stuck.status: required",
		"bad.json: faults[3].color: unknown field",
		"bad.json: faults[3].service: required",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if _, err := ParseScenario("x.json", []byte(`{"faults": [}`), nil); err == nil || !strings.HasPrefix(err.Error(), "x.json: not JSON") {
		t.Errorf("bad JSON: %v", err)
	}
}

// Faults answer before the model: after lets calls through, times bounds
// them, match narrows them; the timeline says which fault answered.
func TestFaults(t *testing.T) {
	sc := &Scenario{Faults: []Fault{
		{Service: "rds", Action: "describeDBClusters", Match: map[string]any{"DbClusterIdentifier": "staging-app"}, After: 1, Times: 2,
			Error: "Rds.RdsException", Cause: "Rate exceeded"},
		{Service: "rds", Action: "describeDBClusters", Account: "production", Response: map[string]any{"DbClusters": []any{}}},
		{Service: "eks", Action: "describeCluster", Delay: time.Minute},
	}}
	h := newHarness(t, exampleSpec, Options{Scenario: sc})
	staging := h.role("staging")
	call := map[string]any{"DbClusterIdentifier": "staging-app"}
	h.ok(staging, "aws-sdk:rds:describeDBClusters", call)
	h.fails(staging, "aws-sdk:rds:describeDBClusters", call, "Rds.RdsException")
	h.fails(staging, "aws-sdk:rds:describeDBClusters", call, "Rds.RdsException")
	h.ok(staging, "aws-sdk:rds:describeDBClusters", call)
	if out := h.ok(h.role("production"), "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "prod-app"}); len(out["DbClusters"].([]any)) != 0 {
		t.Errorf("the response fault: %v", out)
	}
	h.ok(staging, "aws-sdk:eks:describeCluster", map[string]any{"Name": "staging-eks"})
	var faults []int
	for _, e := range h.w.Timeline() {
		faults = append(faults, e.Fault)
	}
	if got := jsonText(faults); got != "[-1,0,0,-1,1,2]" {
		t.Errorf("faults in the timeline: %s", got)
	}
	last := h.w.Timeline()[5]
	if last.Duration != time.Minute+300*time.Millisecond || last.Account != "staging" || last.Role != staging || last.Call != "eks:describeCluster" {
		t.Errorf("the delayed call: %+v", last)
	}
	if n := h.w.CallsPerAccount(); n[1].Account != "production" || n[1].Calls != 1 || n[3].Calls != 5 || n[3].Failed != 2 {
		t.Errorf("calls per account: %+v", n)
	}
}

// A stuck cluster never becomes available: a bounded wait gives up.
func TestStuckCluster(t *testing.T) {
	sc := &Scenario{Faults: []Fault{{Stuck: &Stuck{Type: "cluster", ID: "staging-app", Status: "stopping"}}}}
	h := newHarness(t, exampleSpec, Options{Scenario: sc})
	staging := h.role("staging")
	h.ok(staging, "aws-sdk:rds:stopDBCluster", map[string]any{"DbClusterIdentifier": "staging-app"})
	h.after(30 * 24 * time.Hour)
	c := h.ok(staging, "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "staging-app"})
	if get(c, "DbClusters", 0, "Status") != "stopping" {
		t.Errorf("a stuck stop: %v", get(c, "DbClusters", 0, "Status"))
	}
	// A status the transition does not pass through is where it ends.
	sc = &Scenario{Faults: []Fault{{Stuck: &Stuck{Type: "cluster", Status: "inaccessible-encryption-credentials"}}}}
	h = newHarness(t, exampleSpec, Options{Scenario: sc})
	h.ok(staging, "aws-sdk:rds:stopDBCluster", map[string]any{"DbClusterIdentifier": "staging-app"})
	h.after(time.Hour)
	c = h.ok(staging, "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "staging-app"})
	if get(c, "DbClusters", 0, "Status") != "inaccessible-encryption-credentials" {
		t.Errorf("a dead end: %v", get(c, "DbClusters", 0, "Status"))
	}
	// Seeded, steady resources are never affected.
	c = h.ok(h.role("production"), "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "prod-app"})
	if get(c, "DbClusters", 0, "Status") != "available" {
		t.Errorf("the source: %v", get(c, "DbClusters", 0, "Status"))
	}
}

func TestExpect(t *testing.T) {
	x := &sim.Execution{Status: sim.Failed, Error: "Refresh.StepFailed", Cause: "the snapshot failed"}
	if err := (Expect{Status: sim.Failed, Error: "Refresh.StepFailed", Cause: "snapshot"}).Check(x); err != nil {
		t.Error(err)
	}
	err := (Expect{Status: sim.Succeeded, Error: asl.ErrTaskFailed}).Check(x)
	if err == nil || err.Error() != `the run ended FAILED, expected SUCCEEDED; failed with "Refresh.StepFailed", expected "States.TaskFailed"` {
		t.Errorf("%v", err)
	}
}
