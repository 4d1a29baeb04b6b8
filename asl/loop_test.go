package asl_test

import (
	"slices"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

func TestPollLoopStates(t *testing.T) {
	action := &asl.Task{Resource: asl.SDKCall("efs", "describeFileSystems").ARN("aws"), ResultPath: asl.At("$.Fs")}
	until := []asl.Rule{asl.When(asl.CompareString("$.Fs.FileSystems[0].LifeCycleState", asl.Equals, "available"), "Ready")}
	loop := asl.PollLoop{Name: "Fs", Action: action, Counter: "$.FsPoll", Until: until, MaxAttempts: 3, IntervalSeconds: 10, TimeoutError: "Refresh.FsTimeout"}
	states := loop.States()

	var names []string
	for _, n := range states {
		names = append(names, n.Name)
	}
	if want := []string{"FsInit", "Fs", "FsCheck", "FsWait", "FsCount", "FsTimedOut"}; !slices.Equal(names, want) || loop.Entry() != "FsInit" {
		t.Fatalf("states %q, entry %q", names, loop.Entry())
	}
	if action.Next != "" || len(until) != 1 {
		t.Error("States must not change the caller's Action or Until")
	}
	if fail, _ := states.Get("FsTimedOut"); fail.(*asl.Fail).Error != "Refresh.FsTimeout" {
		t.Errorf("TimeoutError not used: %+v", fail)
	}
	check, _ := states.Get("FsCheck")
	budget := check.(*asl.Choice).Choices[1].Condition
	if budget.Variable != "$.FsPoll.Attempt" || budget.Operator != "NumericGreaterThanEquals" || budget.Value != 3.0 {
		t.Errorf("budget rule %+v", budget)
	}

	m := &asl.Machine{StartAt: loop.Entry(), States: states}
	m.States.Add("Ready", &asl.Succeed{})
	if err := m.Check(asl.CheckOptions{}); err != nil {
		t.Fatal(err)
	}
}
