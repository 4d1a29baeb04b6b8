package asl_test

import (
	"slices"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

func TestReadsTask(t *testing.T) {
	task := state[*asl.Task](pollClusterMachine(), "DescribeCluster")
	task.InputPath = asl.At("$.Input")
	task.OutputPath = asl.At("$.Out")
	task.TimeoutSecondsPath = "$.Timeout"
	want := []asl.Read{
		{Field: "Credentials.RoleArn.$", Path: "$.DestinationAccount.RoleArn", Source: asl.Input},
		{Field: "TimeoutSecondsPath", Path: "$.Timeout", Source: asl.Input},
		{Field: "InputPath", Path: "$.Input", Source: asl.RawInput},
		{Field: "Parameters.DbClusterIdentifier.$", Path: "$.Cluster.Identifier", Source: asl.Input},
		{Field: "ResultSelector.Status.$", Path: "$.DbClusters[0].Status", Source: asl.Result},
		{Field: "ResultSelector.Arn.$", Path: "$.DbClusters[0].DbClusterArn", Source: asl.Result},
		{Field: "OutputPath", Path: "$.Out", Source: asl.Output},
	}
	if got := asl.Reads(task); !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestReadsChoiceMapFail(t *testing.T) {
	m := kitchenSinkMachine()
	tests := []struct {
		state string
		want  []asl.Read
	}{
		{"Route", []asl.Read{
			{Field: "Choices[0].And[0].Variable", Path: "$.Flags.Skip", Source: asl.Input, Optional: true},
			{Field: "Choices[0].And[1].Variable", Path: "$.Flags.Skip", Source: asl.Input},
			{Field: "Choices[1].Not.Variable", Path: "$.Prepared.Name", Source: asl.Input},
			{Field: "Choices[2].Variable", Path: "$.Done", Source: asl.Input},
			{Field: "Choices[2].NumericLessThanPath", Path: "$.Total", Source: asl.Input},
			{Field: "Choices[3].Variable", Path: "$.Deadline", Source: asl.Input},
			{Field: "Choices[4].Variable", Path: "$.Size", Source: asl.Input},
			{Field: "Choices[5].Variable", Path: "$.Items", Source: asl.Input},
			{Field: "InputPath", Path: "$", Source: asl.RawInput},
			{Field: "OutputPath", Path: "$", Source: asl.Output},
		}},
		{"EachItem", []asl.Read{
			{Field: "ItemsPath", Path: "$.Items", Source: asl.Input},
			{Field: "ItemSelector.Item.$", Path: "$$.Map.Item.Value", Source: asl.Context},
			{Field: "ItemSelector.Index.$", Path: "$$.Map.Item.Index", Source: asl.Context},
			{Field: "ItemSelector.RoleArn.$", Path: "$.DestinationAccount.RoleArn", Source: asl.Input},
		}},
		{"RunJob", []asl.Read{
			{Field: "Credentials.RoleArn.$", Path: "$.Account.Id", Source: asl.Input},
		}},
		{"Failed", []asl.Read{
			{Field: "ErrorPath", Path: "$.Error.Error", Source: asl.Input},
			{Field: "CausePath", Path: "$.Error.Cause", Source: asl.Input},
		}},
	}
	for _, tt := range tests {
		st, _ := m.States.Get(tt.state)
		if got := asl.Reads(st); !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.state, got, tt.want)
		}
	}
}

func TestWalk(t *testing.T) {
	var got []string
	for l := range nestedMachine().Walk() {
		got = append(got, l.At+" "+l.State.Type())
	}
	want := []string{
		"States.Phase1 Parallel",
		"States.Phase1.Branches[0].States.Restore Pass",
		"States.Phase1.Branches[0].States.Restored Succeed",
		"States.Each Map",
		"States.Each.ItemProcessor.States.Item Pass",
		"States.Done Succeed",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for range nestedMachine().Walk() {
		break // stopping early must not panic
	}
}
