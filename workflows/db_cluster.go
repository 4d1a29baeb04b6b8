package workflows

import (
	"maps"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// The cluster lifecycle workflows of the db group.

func dbClusterWorkflows() []*Workflow {
	return []*Workflow{ensureClusterAvailable(), ensureClusterNotExists(), deleteCluster(), stopCluster()}
}

// clusterInput is the input of a workflow acting on one cluster.
func clusterInput(fields ...Field) *Shape {
	return Obj(append([]Field{Req("Account", account()), Req("ClusterId", Str("the cluster identifier"))}, fields...)...)
}

// exampleCluster is an example input for a workflow acting on one cluster
// of the first destination of the spec.
func exampleCluster(e *Env, extra map[string]any) map[string]any {
	in := map[string]any{
		"Account":   accountOf(e, exampleAccount(e, spec.RoleDestination)),
		"ClusterId": "example-cluster",
	}
	maps.Copy(in, extra)
	return in
}

// describeCluster is the describeDBClusters call every cluster workflow
// starts with; its result lands at $.Cluster (see clusterDescription).
func (e *Env) describeCluster(idPath string) *asl.Task {
	t := e.call("rds", "describeDBClusters", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref(idPath))))
	t.ResultSelector = clusterDescription()
	t.ResultPath = asl.At("$.Cluster")
	return t
}

// settle waits until the cluster at $.ClusterId is available or stopped:
// neither a start nor a stop nor a delete can begin while it is in
// transition (creating, modifying, backing-up, ...).
func (e *Env) settle(name, done string) poll {
	return poll{
		name: name, action: e.describeCluster("$.ClusterId"), status: "$.Cluster.Status",
		success: []string{"available", "stopped"}, failure: clusterDeadEnds,
		attempts: 240, interval: 30, done: done, what: "$.ClusterId",
	}
}

func ensureClusterAvailable() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "ensure_cluster_available",
		Summary: "Wait until a cluster is available, starting it if it is stopped.",
		Input:   clusterInput(),
		Output:  Obj(Req("ClusterId", Str("")), Req("ClusterArn", Str(""))),
		Timeout: 6 * 3600,
		build: func(e *Env) *asl.Machine {
			settle := e.settle("Settle", "IsStopped")
			available := poll{
				name: "WaitAvailable", action: e.describeCluster("$.ClusterId"), status: "$.Cluster.Status",
				success: []string{"available"}, failure: append([]string{"stopped"}, clusterDeadEnds...),
				attempts: 240, interval: 30, done: "Output", what: "$.ClusterId",
			}
			start := e.call("rds", "startDBCluster", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId"))))
			start.ResultPath = asl.Discard()
			start.Next = available.entry()
			s := merge(nil, settle.states())
			s.Add("IsStopped", &asl.Choice{
				Choices: []asl.Rule{asl.When(asl.CompareString("$.Cluster.Status", asl.Equals, "stopped"), "Start")},
				Default: "Output",
			})
			s.Add("Start", start)
			s = merge(s, available.states())
			succeed(&s, "Output", asl.Obj(asl.Field("ClusterId", asl.Ref("$.ClusterId")), asl.Field("ClusterArn", asl.Ref("$.Cluster.Arn"))))
			return &asl.Machine{Comment: "Wait until a cluster is available, starting it if it is stopped.", StartAt: settle.entry(), States: s}
		},
		example: func(e *Env) map[string]any { return exampleCluster(e, nil) },
	}
}

func ensureClusterNotExists() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "ensure_cluster_not_exists",
		Summary: "Make sure no cluster has an identifier: delete a refreshgen-managed one, refuse any other.",
		Input:   clusterInput(Opt("FinalSnapshotId", Str("take a final snapshot with this identifier before deleting"))),
		Output:  Obj(Req("ClusterId", Str("")), Req("Deleted", Boolean("whether a cluster had to be deleted"))),
		Timeout: 4 * 3600,
		build: func(e *Env) *asl.Machine {
			describe := e.describeCluster("$.ClusterId")
			describe.Next = "WithSnapshot"
			describe.Catch = catchTo("Absent", asl.ErrRdsDbClusterNotFound)
			var s asl.States
			s.Add("Describe", describe)
			s.Add("WithSnapshot", &asl.Choice{
				Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.FinalSnapshotId", true), "DeleteWithSnapshot")},
				Default: "Delete",
			})
			base := []asl.Member{asl.Field("Account", asl.Ref("$.Account")), asl.Field("ClusterId", asl.Ref("$.ClusterId"))}
			withSnapshot := e.start(GroupDB, "delete_cluster", asl.Obj(append(base, asl.Field("FinalSnapshotId", asl.Ref("$.FinalSnapshotId")))...))
			withSnapshot.ResultPath, withSnapshot.Next = asl.At("$.Deletion"), "Deleted"
			s.Add("DeleteWithSnapshot", withSnapshot)
			plain := e.start(GroupDB, "delete_cluster", asl.Obj(base...))
			plain.ResultPath, plain.Next = asl.At("$.Deletion"), "Deleted"
			s.Add("Delete", plain)
			s.Add("Absent", &asl.Pass{
				Parameters: asl.Obj(asl.Field("ClusterId", asl.Ref("$.ClusterId")), asl.Field("Deleted", asl.Bool(false))),
				Next:       "Done",
			})
			succeed(&s, "Deleted", asl.Obj(asl.Field("ClusterId", asl.Ref("$.ClusterId")), asl.Field("Deleted", asl.Ref("$.Deletion.Output.Deleted"))))
			return &asl.Machine{Comment: "Make sure no cluster has an identifier.", StartAt: "Describe", States: s}
		},
		example: func(e *Env) map[string]any { return exampleCluster(e, nil) },
	}
}

func deleteCluster() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "delete_cluster",
		Summary: "Delete a refreshgen-managed cluster and its instances, optionally after a final snapshot.",
		Input:   clusterInput(Opt("FinalSnapshotId", Str("take a final snapshot with this identifier"))),
		Output:  Obj(Req("ClusterId", Str("")), Req("Deleted", Boolean("false when the cluster was already gone"))),
		Timeout: 3 * 3600,
		build:   buildDeleteCluster,
		example: func(e *Env) map[string]any { return exampleCluster(e, nil) },
	}
}

func buildDeleteCluster(e *Env) *asl.Machine {
	id := asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId"))
	var s asl.States
	describe := e.describeCluster("$.ClusterId")
	describe.Next = "Guard"
	describe.Catch = catchTo("AlreadyGone", asl.ErrRdsDbClusterNotFound)
	s.Add("Describe", describe)
	s = merge(s, e.requireManaged("Guard", "$.Cluster.TagList", "$.ClusterId", "IsStopped"))
	s.Add("IsStopped", &asl.Choice{
		Comment: "A stopped cluster's instances cannot be deleted: start it first.",
		Choices: []asl.Rule{asl.When(asl.CompareString("$.Cluster.Status", asl.Equals, "stopped"), "Start")},
		Default: "IsProtected",
	})
	start := e.start(GroupDB, "ensure_cluster_available", asl.Obj(asl.Field("Account", asl.Ref("$.Account")), asl.Field("ClusterId", asl.Ref("$.ClusterId"))))
	start.ResultPath, start.Next = asl.Discard(), "IsProtected"
	s.Add("Start", start)
	s.Add("IsProtected", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.BooleanEquals("$.Cluster.DeletionProtection", true), "Unprotect")},
		Default: "DeleteInstances",
	})
	unprotect := e.call("rds", "modifyDBCluster", "$.Account.RoleArn", asl.Obj(id,
		asl.Field("DeletionProtection", asl.Bool(false)), asl.Field("ApplyImmediately", asl.Bool(true))))
	unprotect.ResultPath, unprotect.Next = asl.Discard(), "DeleteInstances"
	s.Add("Unprotect", unprotect)
	s.Add("DeleteInstances", &asl.Map{
		Comment:   "Delete every instance of the cluster; the cluster goes once they are gone.",
		ItemsPath: "$.Cluster.Members",
		ItemSelector: asl.Obj(
			asl.Field("Account", asl.Ref("$.Account")),
			asl.Field("InstanceId", asl.Ref("$$.Map.Item.Value.DbInstanceIdentifier")),
		),
		ItemProcessor: &asl.Processor{StartAt: "DeleteInstance", States: e.deleteInstanceStates()},
		ResultPath:    asl.Discard(),
		Next:          "WithSnapshot",
	})
	s.Add("WithSnapshot", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.FinalSnapshotId", true), "DeleteWithSnapshot")},
		Default: "DeleteWithoutSnapshot",
	})
	gone := poll{
		name: "WaitGone", action: e.describeCluster("$.ClusterId"), status: "$.Cluster.Status",
		attempts: 120, interval: 30, done: "Deleted", what: "$.ClusterId",
	}
	gone.action.Catch = catchTo("Deleted", asl.ErrRdsDbClusterNotFound)
	for _, v := range []struct {
		name string
		args []asl.Member
	}{
		{"DeleteWithSnapshot", []asl.Member{id, asl.Field("SkipFinalSnapshot", asl.Bool(false)), asl.Field("FinalDBSnapshotIdentifier", asl.Ref("$.FinalSnapshotId"))}},
		{"DeleteWithoutSnapshot", []asl.Member{id, asl.Field("SkipFinalSnapshot", asl.Bool(true))}},
	} {
		del := e.call("rds", "deleteDBCluster", "$.Account.RoleArn", asl.Obj(v.args...))
		whileBusy(del, asl.ErrRdsInvalidDbClusterState)
		del.ResultPath, del.Next = asl.Discard(), gone.entry()
		s.Add(v.name, del)
	}
	s = merge(s, gone.states())
	deleteEnds(&s, asl.Field("ClusterId", asl.Ref("$.ClusterId")))
	return &asl.Machine{Comment: "Delete a refreshgen-managed cluster and its instances.", StartAt: "Describe", States: s}
}

// deleteInstanceStates delete the instance at $.InstanceId and wait until
// it is gone (inside delete_cluster's Map, so behind its guard).
func (e *Env) deleteInstanceStates() asl.States {
	var s asl.States
	del := e.call("rds", "deleteDBInstance", "$.Account.RoleArn", asl.Obj(
		asl.Field("DbInstanceIdentifier", asl.Ref("$.InstanceId")), asl.Field("SkipFinalSnapshot", asl.Bool(true))))
	whileBusy(del, asl.ErrRdsInvalidDbInstanceState)
	describe := e.call("rds", "describeDBInstances", "$.Account.RoleArn", asl.Obj(asl.Field("DbInstanceIdentifier", asl.Ref("$.InstanceId"))))
	describe.ResultSelector = asl.Obj(asl.Field("Status", asl.Ref("$.DbInstances[0].DbInstanceStatus")))
	describe.ResultPath = asl.At("$.Instance")
	describe.Catch = catchTo("InstanceGone", asl.ErrRdsDbInstanceNotFound)
	gone := poll{name: "WaitInstanceGone", action: describe, status: "$.Instance.Status", attempts: 120, interval: 20, done: "InstanceGone", what: "$.InstanceId"}
	del.ResultPath, del.Next = asl.Discard(), gone.entry()
	del.Catch = catchTo("InstanceGone", asl.ErrRdsDbInstanceNotFound)
	s.Add("DeleteInstance", del)
	s = merge(s, gone.states())
	s.Add("InstanceGone", &asl.Succeed{})
	return s
}

func stopCluster() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "stop_cluster",
		Summary: "Stop a refreshgen-managed cluster and wait until it is stopped (already stopped is fine).",
		Input:   clusterInput(),
		Output:  Obj(Req("ClusterId", Str("")), Req("Status", Str("stopped"))),
		Timeout: 6 * 3600,
		build: func(e *Env) *asl.Machine {
			settle := e.settle("Settle", "IsStopped")
			stopped := poll{
				name: "WaitStopped", action: e.describeCluster("$.ClusterId"), status: "$.Cluster.Status",
				success: []string{"stopped"}, failure: clusterDeadEnds, attempts: 120, interval: 30, done: "Output", what: "$.ClusterId",
			}
			stop := e.call("rds", "stopDBCluster", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId"))))
			stop.ResultPath, stop.Next = asl.Discard(), stopped.entry()
			s := merge(nil, settle.states())
			s.Add("IsStopped", &asl.Choice{
				Choices: []asl.Rule{asl.When(asl.CompareString("$.Cluster.Status", asl.Equals, "stopped"), "Output")},
				Default: "Guard",
			})
			s = merge(s, e.requireManaged("Guard", "$.Cluster.TagList", "$.ClusterId", "Stop"))
			s.Add("Stop", stop)
			s = merge(s, stopped.states())
			succeed(&s, "Output", asl.Obj(asl.Field("ClusterId", asl.Ref("$.ClusterId")), asl.Field("Status", asl.Str("stopped"))))
			return &asl.Machine{Comment: "Stop a refreshgen-managed cluster.", StartAt: settle.entry(), States: s}
		},
		example: func(e *Env) map[string]any { return exampleCluster(e, nil) },
	}
}
