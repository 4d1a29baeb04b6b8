package sim_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

const childArn = "arn:aws:states:us-east-1:123456789012:stateMachine:ensure-cluster"

// childMachine reports its execution name and its input after a task.
func childMachine() *asl.Machine {
	work := lambda("Report")
	work.ResultPath = asl.Discard()
	m := machine(
		named("Work", work),
		named("Report", &asl.Pass{Parameters: asl.Obj(
			asl.Field("Status", asl.Str("Completed")),
			asl.Field("Name", asl.Ref("$$.Execution.Name")),
			asl.Field("Cluster", asl.Ref("$.Cluster")),
		), End: true}),
	)
	m.TimeoutSeconds = 3600
	return m
}

// startTask starts the child with pattern; name "" leaves Name out.
func startTask(pattern asl.Pattern, name, next string) *asl.Task {
	params := []asl.Member{
		asl.Field("StateMachineArn", asl.Str(childArn)),
		asl.Field("Input", asl.Obj(
			asl.Field("Cluster", asl.Ref("$.Cluster")),
			asl.Field("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID", asl.Ref("$$.Execution.Id")),
		)),
	}
	if name != "" {
		params = append(params, asl.Field("Name", asl.Str(name)))
	}
	t := &asl.Task{Resource: asl.StartExecution(pattern).ARN("aws"), Parameters: asl.Obj(params...), Next: next, End: next == ""}
	return t
}

func childOptions(childTask time.Duration) sim.Options {
	return sim.Options{
		Name:     "parent",
		Machines: map[string]*asl.Machine{childArn: childMachine()},
		Executor: script(map[string][]sim.Result{"Work": {{Output: "done", Duration: childTask}}}),
	}
}

func TestStartExecutionSync2(t *testing.T) {
	task := startTask(asl.Sync2, "parent-Ensure", "")
	task.ResultSelector = asl.Obj(asl.Field("Status", asl.Ref("$.Output.Status")), asl.Field("Arn", asl.Ref("$.ExecutionArn")))
	task.ResultPath = asl.At("$.Child")
	x := runJSON(t, machine(named("Ensure", task)), `{"Cluster": "db-1"}`, childOptions(90*s))
	wantOutput(t, x, `{"Child":{"Arn":"arn:aws:states:us-east-1:123456789012:execution:ensure-cluster:parent-Ensure","Status":"Completed"},"Cluster":"db-1"}`)
	if x.Duration() != 90*s || len(x.Children) != 1 {
		t.Fatalf("took %v with %d children", x.Duration(), len(x.Children))
	}
	child := x.Children[0]
	wantOutput(t, child, `{"Cluster":"db-1","Name":"parent-Ensure","Status":"Completed"}`)
	if got := jsonOf(child.Input); got != `{"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"`+x.Arn+`","Cluster":"db-1"}` {
		t.Errorf("child input %s", got)
	}
	raw := x.Events[4].Data // TaskSucceeded: the DescribeExecution response
	want := `{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:ensure-cluster:parent-Ensure",` +
		`"Input":{"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID":"arn:aws:states:us-east-1:123456789012:execution:simulated:parent","Cluster":"db-1"},` +
		`"InputDetails":{"Included":true},"Name":"parent-Ensure","Output":{"Cluster":"db-1","Name":"parent-Ensure","Status":"Completed"},` +
		`"OutputDetails":{"Included":true},"StartDate":1767225600000,"StateMachineArn":"` + childArn + `","Status":"SUCCEEDED","StopDate":1767225690000}`
	if got := jsonOf(raw); x.Events[4].Type != sim.TaskSucceeded || got != want {
		t.Errorf("sync:2 result\n%s\nwant\n%s", got, want)
	}
}

// TestStartExecutionSync: the .sync (v1) result has Input and Output as
// JSON strings; the request-response form returns at once.
func TestStartExecutionSync(t *testing.T) {
	task := startTask(asl.Sync, "", "")
	task.ResultSelector = asl.Obj(asl.Field("Output", asl.Ref("$.Output")))
	x := runJSON(t, machine(named("Ensure", task)), `{"Cluster": "db-1"}`, childOptions(s))
	var out struct{ Output string }
	if err := json.Unmarshal([]byte(jsonOf(x.Output)), &out); err != nil || !strings.Contains(out.Output, `"Status":"Completed"`) {
		t.Fatalf("output %s: %v", jsonOf(x.Output), err)
	}

	x = runJSON(t, machine(named("Start", startTask(asl.RequestResponse, "fire", ""))), `{"Cluster": "db-1"}`, childOptions(time.Hour))
	wantOutput(t, x, `{"ExecutionArn":"arn:aws:states:us-east-1:123456789012:execution:ensure-cluster:fire","StartDate":1767225600000}`)
	if x.Duration() != 0 || x.Children[0].Duration() != time.Hour {
		t.Errorf("parent took %v, child %v", x.Duration(), x.Children[0].Duration())
	}
}

// TestExecutionAlreadyExists: a second execution with the same name fails,
// with a different input and, the first being closed, with the same one.
func TestExecutionAlreadyExists(t *testing.T) {
	for _, secondInput := range []string{"db-2", "db-1"} {
		second := startTask(asl.Sync2, "parent-Ensure", "")
		second.Parameters.Members[1].Value = asl.Obj(asl.Field("Cluster", asl.Str(secondInput)))
		m := machine(named("First", startTask(asl.Sync2, "parent-Ensure", "Second")), named("Second", second))
		x := runJSON(t, m, `{"Cluster": "db-1"}`, childOptions(s))
		wantOutcome(t, x, sim.Failed, sim.ErrExecutionAlreadyExists)
		if !strings.HasPrefix(x.Cause, "Execution Already Exists: 'arn:aws:states:us-east-1:123456789012:execution:ensure-cluster:parent-Ensure'") {
			t.Errorf("cause %q", x.Cause)
		}
	}
	// Generated names are unique.
	first := startTask(asl.Sync2, "", "Second")
	first.ResultPath = asl.Discard()
	m := machine(named("First", first), named("Second", startTask(asl.Sync2, "", "")))
	x := runJSON(t, m, `{"Cluster": "db-1"}`, childOptions(s))
	wantOutcome(t, x, sim.Succeeded, "")
	if x.Children[0].Name == x.Children[1].Name {
		t.Errorf("both children are called %s", x.Children[0].Name)
	}
}

// TestChildFailure: a child that fails or times out fails the parent's
// task with States.TaskFailed and the DescribeExecution response as cause.
func TestChildFailure(t *testing.T) {
	opts := childOptions(s)
	opts.Executor = script(map[string][]sim.Result{"Work": {failure("Rds.InvalidDbClusterStateException", "busy")}})
	task := startTask(asl.Sync2, "c", "")
	task.Catch = []asl.Catcher{{ErrorEquals: []string{asl.ErrTaskFailed}, ResultPath: asl.At("$.error"), Next: "Caught"}}
	x := runJSON(t, machine(named("Ensure", task), named("Caught", &asl.Pass{OutputPath: asl.At("$.error.Cause"), End: true})), `{"Cluster": "db-1"}`, opts)
	cause, _ := x.Output.(string)
	for _, want := range []string{`"Status":"FAILED"`, `"Error":"Rds.InvalidDbClusterStateException"`, `"Cause":"busy"`, `"Name":"c"`} {
		if !strings.Contains(cause, want) {
			t.Errorf("cause %s lacks %s", cause, want)
		}
	}

	opts = childOptions(2 * time.Hour) // past the child's TimeoutSeconds
	x = runJSON(t, machine(named("Ensure", startTask(asl.Sync2, "c", ""))), `{"Cluster": "db-1"}`, opts)
	wantOutcome(t, x, sim.Failed, asl.ErrTaskFailed)
	if !strings.Contains(x.Cause, `"Status":"TIMED_OUT"`) || x.Duration() != time.Hour || x.Children[0].Status != sim.TimedOut {
		t.Errorf("cause %s after %v", x.Cause, x.Duration())
	}

	task = startTask(asl.Sync2, "c", "")
	task.TimeoutSeconds = 60
	x = runJSON(t, machine(named("Ensure", task)), `{"Cluster": "db-1"}`, childOptions(5*time.Minute))
	wantOutcome(t, x, sim.Failed, asl.ErrTimeout)

	task = startTask(asl.Sync2, "c", "")
	task.Parameters.Members[0].Value = asl.Str("arn:aws:states:us-east-1:123456789012:stateMachine:nope")
	x = runJSON(t, machine(named("Ensure", task)), `{"Cluster": "db-1"}`, childOptions(s))
	wantOutcome(t, x, sim.Failed, sim.ErrStateMachineNotFound)

	task = startTask(asl.Sync2, "c", "")
	task.Parameters.Members[1].Value = asl.Str("{not json")
	x = runJSON(t, machine(named("Ensure", task)), `{"Cluster": "db-1"}`, childOptions(s))
	wantOutcome(t, x, sim.Failed, sim.ErrInvalidExecutionInput)
}
