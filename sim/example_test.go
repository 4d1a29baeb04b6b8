package sim_test

import (
	"fmt"
	"os"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// Example simulates a cross-account snapshot with a retried throttling
// error, then prints the outcome and the timeline.
func Example() {
	snapshot := &asl.Task{
		Resource:    asl.SDKCall("rds", "createDBClusterSnapshot").ARN("aws"),
		Credentials: &asl.Credentials{RoleArn: asl.Ref("$.SourceRoleArn")},
		Parameters: asl.Obj(
			asl.Field("DbClusterIdentifier", asl.Ref("$.Cluster")),
			asl.Field("DbClusterSnapshotIdentifier", asl.Format("{}-{}", asl.Ref("$.Cluster"), asl.Ref("$$.Execution.Name"))),
		),
		ResultSelector: asl.Obj(asl.Field("Arn", asl.Ref("$.DbClusterSnapshot.DbClusterSnapshotArn"))),
		ResultPath:     asl.At("$.Snapshot"),
		Retry:          []asl.Retrier{asl.RetryOn(asl.SDKServiceException("RDS"))},
		Next:           "Settle",
	}
	m := &asl.Machine{StartAt: "Snapshot", TimeoutSeconds: 3600}
	m.States.Add("Snapshot", snapshot)
	m.States.Add("Settle", &asl.Wait{Seconds: 60, End: true})

	executor := sim.ExecutorFunc(func(c sim.Call) sim.Result {
		if c.RetryCount == 0 {
			return sim.Result{Err: &sim.Failure{Name: "Rds.RdsException", Cause: "Rate exceeded"}, Duration: time.Second}
		}
		arn := "arn:aws:rds:us-east-1:111122223333:cluster-snapshot:" + c.Parameters.(map[string]any)["DbClusterSnapshotIdentifier"].(string)
		return sim.Result{Output: map[string]any{"DbClusterSnapshot": map[string]any{"DbClusterSnapshotArn": arn}}, Duration: 2 * time.Second}
	})
	input := map[string]string{"Cluster": "prod-db", "SourceRoleArn": "arn:aws:iam::111122223333:role/refresh-source"}
	x, err := sim.Run(m, input, sim.Options{Executor: executor, Name: "nightly"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x.Status, x.Duration(), x.Output.(map[string]any)["Snapshot"])
	x.WriteTimeline(os.Stdout)
	// Output:
	// SUCCEEDED 1m4s map[Arn:arn:aws:rds:us-east-1:111122223333:cluster-snapshot:prod-db-nightly]
	// arn:aws:states:us-east-1:123456789012:execution:simulated:nightly SUCCEEDED in 1m4s
	//       +0s ExecutionStarted
	//       +0s TaskStateEntered       Snapshot
	//       +0s TaskScheduled          Snapshot resource=arn:aws:states:::aws-sdk:rds:createDBClusterSnapshot role=arn:aws:iam::111122223333:role/refresh-source
	//       +0s TaskStarted            Snapshot resource=arn:aws:states:::aws-sdk:rds:createDBClusterSnapshot
	//       +1s TaskFailed             Snapshot error=Rds.RdsException cause=Rate exceeded
	//       +2s TaskScheduled          Snapshot resource=arn:aws:states:::aws-sdk:rds:createDBClusterSnapshot role=arn:aws:iam::111122223333:role/refresh-source
	//       +2s TaskStarted            Snapshot resource=arn:aws:states:::aws-sdk:rds:createDBClusterSnapshot
	//       +4s TaskSucceeded          Snapshot
	//       +4s TaskStateExited        Snapshot
	//       +4s WaitStateEntered       Settle
	//     +1m4s WaitStateExited        Settle
	//     +1m4s ExecutionSucceeded
}
