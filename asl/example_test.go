package asl_test

import (
	"fmt"

	"github.com/refreshgen/refreshgen/asl"
)

// pollClusterMachine is the representative machine of the golden test:
// a cross-account describeDBClusters polled until "available", with
// throttling retries, a NotFound catch and a bounded loop.
func pollClusterMachine() *asl.Machine {
	describe := &asl.Task{
		Comment:     "Read the cluster status in the destination account.",
		Resource:    asl.SDKCall("rds", "describeDBClusters").ARN("aws"),
		Credentials: &asl.Credentials{RoleArn: asl.Ref("$.DestinationAccount.RoleArn")},
		Parameters:  asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.Cluster.Identifier"))),
		ResultSelector: asl.Obj(
			asl.Field("Status", asl.Ref("$.DbClusters[0].Status")),
			asl.Field("Arn", asl.Ref("$.DbClusters[0].DbClusterArn")),
		),
		ResultPath: asl.At("$.Describe"),
		Retry: []asl.Retrier{{
			ErrorEquals:     []string{asl.SDKServiceException("RDS"), asl.ErrTimeout},
			IntervalSeconds: 2,
			MaxAttempts:     6,
			BackoffRate:     2,
			MaxDelaySeconds: 60,
			JitterStrategy:  asl.JitterFull,
		}},
		Catch: []asl.Catcher{{
			ErrorEquals: []string{asl.ErrRdsDbClusterNotFound},
			ResultPath:  asl.At("$.Error"),
			Next:        "ClusterMissing",
		}},
	}
	status := "$.Describe.Status"
	loop := asl.PollLoop{
		Name:    "DescribeCluster",
		Action:  describe,
		Counter: "$.Poll",
		Until: []asl.Rule{
			asl.When(asl.CompareString(status, asl.Equals, "available"), "Done"),
			asl.When(asl.Or(
				asl.CompareString(status, asl.Equals, "failed"),
				asl.CompareString(status, asl.Equals, "deleting"),
				asl.CompareString(status, asl.Equals, "inaccessible-encryption-credentials"),
			), "ClusterFailed"),
		},
		MaxAttempts:     120,
		IntervalSeconds: 30,
	}
	m := &asl.Machine{
		Comment:        "Wait until an Aurora cluster is available (bounded: 120 x 30 s).",
		StartAt:        loop.Entry(),
		States:         loop.States(),
		TimeoutSeconds: 7200,
	}
	m.States.Add("ClusterFailed", &asl.Fail{
		Error:     "Refresh.ClusterFailed",
		CausePath: asl.Format("cluster {} is {}", asl.Ref("$.Cluster.Identifier"), asl.Ref(status)),
	})
	m.States.Add("ClusterMissing", &asl.Fail{Error: "Refresh.ClusterNotFound", CausePath: asl.Ref("$.Error.Cause")})
	m.States.Add("Done", &asl.Succeed{})
	return m
}

// Example builds a machine with a bounded poll loop and a cross-account
// Task, checks it and lists its states; asl.Marshal(m) gives the JSON
// (testdata/poll_cluster.asl.json).
func Example() {
	m := pollClusterMachine()
	if err := m.Check(asl.CheckOptions{RequireTimeout: true}); err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range m.States {
		fmt.Println(n.State.Type(), n.Name)
	}
	// Output:
	// Pass DescribeClusterInit
	// Task DescribeCluster
	// Choice DescribeClusterCheck
	// Wait DescribeClusterWait
	// Pass DescribeClusterCount
	// Fail DescribeClusterTimedOut
	// Fail ClusterFailed
	// Fail ClusterMissing
	// Succeed Done
}

// kitchenSinkMachine uses every state type and nearly every field the
// model writes, so that the round trip, the schema and asl-check see them.
func kitchenSinkMachine() *asl.Machine {
	const partition = "aws-us-gov"
	m := &asl.Machine{
		Comment:        "Every state type and field the model writes <b>&</b>.",
		StartAt:        "Prepare",
		TimeoutSeconds: 3600,
		Version:        "1.0",
	}
	m.States.Add("Prepare", &asl.Pass{
		Comment:   "Payload templates: static, references, intrinsics.",
		InputPath: asl.At("$"),
		Parameters: asl.Obj(
			asl.Field("Cluster", asl.Ref("$.Cluster")),
			asl.Field("Name", asl.Format("{}-restore", asl.Ref("$.Cluster.Identifier"))),
			asl.Field("Quoted", asl.Format("it's {} done", asl.Ref("$.Cluster.Identifier"))),
			asl.Field("Tags", asl.Array{
				asl.Obj(asl.Field("Key", asl.Str("CreatedBy")), asl.Field("Value", asl.Str("refreshgen"))),
				asl.Obj(asl.Field("Key", asl.Str("Execution")), asl.Field("Value", asl.Ref("$$.Execution.Name"))),
			}),
			asl.Field("Ids", asl.Call(asl.FnArray, asl.Ref("$.A"), asl.Str("{x}"), asl.Num(-1), asl.Bool(true), asl.Null{})),
			asl.Field("Json", asl.Call(asl.FnJsonToString, asl.Ref("$.Cluster"))),
			asl.Field("Second", asl.Call(asl.FnArrayGetItem, asl.Call(asl.FnStringSplit, asl.Ref("$.Csv"), asl.Str(",")), asl.Num(1))),
			asl.Field("Id", asl.Call(asl.FnUUID)),
			asl.Field("Html", asl.Str("<a href=\"x\">&</a>")),
			asl.Field("Nothing", asl.Null{}),
		),
		ResultPath: asl.At("$.Prepared"),
		Next:       "Route",
	})
	m.States.Add("Route", &asl.Choice{
		Choices: []asl.Rule{
			asl.When(asl.And(
				asl.TypeTest(asl.IsPresent, "$.Flags.Skip", true),
				asl.BooleanEquals("$.Flags.Skip", true),
			), "Skip"),
			asl.When(asl.Not(asl.StringMatches("$.Prepared.Name", "*-tmp-restore")), "Fanout"),
			asl.When(asl.ComparePaths(asl.KindNumeric, "$.Done", asl.LessThan, "$.Total"), "Fanout"),
			asl.When(asl.CompareTimestamp("$.Deadline", asl.LessThanEquals, "2026-01-01T00:00:00Z"), "Failed"),
			asl.When(asl.CompareNumber("$.Size", asl.GreaterThan, 0.5), "Fanout"),
			asl.When(asl.TypeTest(asl.IsNull, "$.Items", true), "Skip"),
		},
		InputPath:  asl.At("$"),
		OutputPath: asl.At("$"),
		Default:    "Fanout",
	})
	m.States.Add("Skip", &asl.Succeed{Comment: "Nothing to do.", OutputPath: asl.Discard()})
	m.States.Add("Fanout", &asl.Parallel{
		Branches: []asl.Branch{
			{StartAt: "DelayFromInput", States: asl.States{
				{Name: "DelayFromInput", State: &asl.Wait{SecondsPath: "$.Delay", Next: "Static"}},
				{Name: "Static", State: &asl.Pass{
					Result: asl.Obj(asl.Field("ok", asl.Bool(true)), asl.Field("list", asl.Array{asl.Num(1), asl.Str("a"), asl.Null{}})),
					End:    true,
				}},
			}},
			{StartAt: "Until", States: asl.States{
				{Name: "Until", State: &asl.Wait{Timestamp: "2026-01-01T00:00:00Z", Next: "UntilInput"}},
				{Name: "UntilInput", State: &asl.Wait{TimestampPath: "$.When", OutputPath: asl.At("$.Kept"), End: true}},
			}},
		},
		Parameters:     asl.Obj(asl.Field("Delay", asl.Num(5)), asl.Field("When", asl.Ref("$.When")), asl.Field("Kept", asl.Ref("$"))),
		ResultSelector: asl.Obj(asl.Field("First", asl.Ref("$[0]"))),
		ResultPath:     asl.At("$.Fanout"),
		Retry:          []asl.Retrier{asl.RetryOn(asl.ErrBranchFailed)},
		Catch:          []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, ResultPath: asl.At("$.Error"), Next: "Failed"}},
		Next:           "EachItem",
	})
	m.States.Add("EachItem", &asl.Map{
		ItemsPath: "$.Items",
		ItemSelector: asl.Obj(
			asl.Field("Item", asl.Ref("$$.Map.Item.Value")),
			asl.Field("Index", asl.Ref("$$.Map.Item.Index")),
			asl.Field("RoleArn", asl.Ref("$.DestinationAccount.RoleArn")),
		),
		ItemProcessor: &asl.Processor{
			Config:  &asl.ProcessorConfig{Mode: asl.Inline},
			StartAt: "Invoke",
			States: asl.States{{Name: "Invoke", State: &asl.Task{
				Resource: asl.LambdaInvoke().ARN(partition),
				Parameters: asl.Obj(
					asl.Field("FunctionName", asl.Str("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:check")),
					asl.Field("Payload", asl.Ref("$")),
				),
				TimeoutSeconds: 60,
				Retry: []asl.Retrier{asl.RetryOn(asl.ErrLambdaServiceException, asl.ErrLambdaAWSLambdaException,
					asl.ErrLambdaSdkClientException, asl.ErrLambdaTooManyRequests)},
				OutputPath: asl.At("$.Payload"),
				End:        true,
			}}},
		},
		MaxConcurrency: 2,
		ResultPath:     asl.Discard(),
		Next:           "EachBig",
	})
	m.States.Add("EachBig", &asl.Map{
		ItemProcessor: &asl.Processor{
			Config:  &asl.ProcessorConfig{Mode: asl.Distributed, ExecutionType: "EXPRESS"},
			StartAt: "Echo",
			States:  asl.States{{Name: "Echo", State: &asl.Pass{End: true}}},
		},
		ToleratedFailurePercentage: 12,
		ToleratedFailureCountPath:  "$.Tolerated",
		ResultPath:                 asl.Discard(),
		Next:                       "Notify",
	})
	m.States.Add("Notify", &asl.Task{
		Resource:    asl.SNSPublish().ARN(partition),
		Credentials: &asl.Credentials{RoleArn: asl.Str("arn:aws-us-gov:iam::123456789012:role/notify")},
		Parameters: asl.Obj(
			asl.Field("TopicArn", asl.Str("arn:aws-us-gov:sns:us-gov-west-1:123456789012:refresh")),
			asl.Field("Message", asl.Call(asl.FnJsonToString, asl.Ref("$.Fanout"))),
		),
		TimeoutSecondsPath: "$.Timeout",
		ResultPath:         asl.Discard(),
		Next:               "Record",
	})
	m.States.Add("Record", &asl.Task{
		Resource: asl.DynamoDBPutItem().ARN(partition),
		Parameters: asl.Obj(
			asl.Field("TableName", asl.Str("refresh")),
			asl.Field("Item", asl.Obj(asl.Field("Id", asl.Obj(asl.Field("S", asl.Ref("$$.Execution.Name")))))),
		),
		ResultPath: asl.Discard(),
		Next:       "Child",
	})
	m.States.Add("Child", &asl.Task{
		Resource: asl.StartExecution(asl.Sync2).ARN(partition),
		Parameters: asl.Obj(
			asl.Field("StateMachineArn", asl.Str("arn:aws-us-gov:states:us-gov-west-1:123456789012:stateMachine:child")),
			asl.Field("Input", asl.Obj(asl.Field("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID", asl.Ref("$$.Execution.Id")))),
		),
		ResultSelector: asl.Obj(asl.Field("Status", asl.Ref("$.Output.Status"))),
		ResultPath:     asl.At("$.Child"),
		Next:           "RunJob",
	})
	m.States.Add("RunJob", &asl.Task{
		Resource:         asl.EKSRunJob(asl.Sync).ARN(partition),
		Credentials:      &asl.Credentials{RoleArn: asl.Format("arn:aws-us-gov:iam::{}:role/refresh", asl.Ref("$.Account.Id"))},
		Parameters:       asl.Obj(asl.Field("ClusterName", asl.Str("eks")), asl.Field("Job", asl.Obj(asl.Field("kind", asl.Str("Job"))))),
		TimeoutSeconds:   3600,
		HeartbeatSeconds: 600,
		ResultPath:       asl.Discard(),
		Next:             "Kube",
	})
	m.States.Add("Kube", &asl.Task{
		Resource:             asl.EKSCall().ARN(partition),
		Parameters:           asl.Obj(asl.Field("Method", asl.Str("GET")), asl.Field("Path", asl.Str("/api/v1/namespaces"))),
		HeartbeatSecondsPath: "$.Heartbeat",
		ResultPath:           asl.Discard(),
		End:                  true,
	})
	m.States.Add("Failed", &asl.Fail{Comment: "Report the caught error.", ErrorPath: asl.Ref("$.Error.Error"), CausePath: asl.Ref("$.Error.Cause")})
	return m
}
