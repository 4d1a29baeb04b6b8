package iam_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/iam"
)

var actionName = regexp.MustCompile(`^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$`)

func TestActionTable(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range iam.Actions() {
		switch {
		case !actionName.MatchString(a.Name):
			t.Errorf("%q is not service:Action", a.Name)
		case seen[a.Name]:
			t.Errorf("%s is in the table twice", a.Name)
		case len(a.Types()) == 0 && a.Wildcard == "":
			t.Errorf("%s has no resource type and no reason for *", a.Name)
		case a.Wildcard != "" && len(a.Required) > 0:
			t.Errorf("%s requires resource types, * cannot be right", a.Name)
		case len(slices.Compact(slices.Sorted(slices.Values(a.Keys)))) != len(a.Keys):
			t.Errorf("%s lists a condition key twice", a.Name)
		}
		seen[a.Name] = true
		for _, rt := range a.Types() {
			if _, ok := sampleNames[rt]; !ok {
				t.Errorf("%s: resource type %s has no sample", a.Name, rt)
			}
		}
	}
}

// TestWildcardActions lists every action that may be granted on "*". A
// new one must be added here, after checking its reason.
func TestWildcardActions(t *testing.T) {
	want := []string{
		"autoscaling:DescribeAutoScalingGroups",
		"backup:DescribeCopyJob", "backup:DescribeRestoreJob", "backup:ListRecoveryPointsByResource",
		"cloudwatch:GetMetricData",
		"ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
		"elasticfilesystem:CreateFileSystem", "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeReplicationConfigurations",
		"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
		"logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
		"ram:CreateResourceShare", "ram:GetResourceShareAssociations", "ram:GetResourceShareInvitations", "ram:GetResourceShares",
		"rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusters", "rds:DescribeDBInstances",
		"tag:GetResources", "tag:TagResources",
		"xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments",
	}
	var got []string
	for _, a := range iam.Actions() {
		if a.Wildcard != "" {
			got = append(got, a.Name)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("actions allowed on *:\ngot  %q\nwant %q", got, want)
	}
}

func TestIntegrationTable(t *testing.T) {
	seen := map[asl.Integration]bool{}
	for _, call := range iam.Integrations() {
		if seen[call] {
			t.Errorf("%s is in the table twice", call.ARN("aws"))
		}
		seen[call] = true
		needs, ok := iam.NeedsOf(call)
		if !ok || len(needs) == 0 {
			t.Errorf("%s: no needs", call.ARN("aws"))
		}
		checkNeeds(t, call.ARN("aws"), needs, 1)
	}
	for _, f := range []iam.Feature{iam.Logging, iam.Tracing, iam.TaskCredentials} {
		needs, ok := iam.FeatureNeeds(f)
		if !ok {
			t.Errorf("feature %s: no needs", f)
		}
		checkNeeds(t, string(f), needs, len(needs))
	}
}

// checkNeeds checks that each need names a known action, restricts it to
// types it has, fixes a name only on one type, and that every permission
// beyond the first own ones (the call's own action) says why.
func checkNeeds(t *testing.T, what string, needs []iam.Need, own int) {
	t.Helper()
	for i, n := range needs {
		a, ok := iam.LookupAction(n.Action)
		switch {
		case !ok:
			t.Errorf("%s: %s is not in the action table", what, n.Action)
		case slices.ContainsFunc(n.On, func(rt iam.ResourceType) bool { return !slices.Contains(a.Types(), rt) }):
			t.Errorf("%s: %s is not authorised against all of %q", what, n.Action, n.On)
		case n.Name != "" && len(n.On) != 1:
			t.Errorf("%s: %s fixes a name but not its one type", what, n.Action)
		case i >= own && n.Why == "":
			t.Errorf("%s: %s does not say why it is needed", what, n.Action)
		}
	}
}

// iamPrefix maps the aws-sdk service names whose IAM prefix differs.
var iamPrefix = map[string]string{
	"efs":                      "elasticfilesystem",
	"sfn":                      "states",
	"eventbridge":              "events",
	"resourcegroupstaggingapi": "tag",
}

// TestSDKActionNames checks the first need of every aws-sdk integration:
// the IAM prefix of the service and the API name with an upper-case first
// letter, except where IAM names the permission otherwise.
func TestSDKActionNames(t *testing.T) {
	renamed := map[string]string{"s3:listObjectsV2": "s3:ListBucket"}
	for _, call := range iam.Integrations() {
		if !call.SDK {
			continue
		}
		prefix := call.Service
		if p, ok := iamPrefix[call.Service]; ok {
			prefix = p
		}
		want := prefix + ":" + strings.ToUpper(call.Action[:1]) + call.Action[1:]
		if r, ok := renamed[call.Service+":"+call.Action]; ok {
			want = r
		}
		if needs, _ := iam.NeedsOf(call); needs[0].Action != want {
			t.Errorf("%s: first need %s, want %s", call.ARN("aws"), needs[0].Action, want)
		}
	}
}

// TestCoverage checks the table against the seed inventory (§8.2, §8.3 of
// seed-workflows.md) and the calls refreshgen adds.
func TestCoverage(t *testing.T) {
	sdk := map[string][]string{
		"rds": {"addRoleToDBCluster", "addTagsToResource", "copyDBClusterSnapshot", "createDBClusterSnapshot", "createDBInstance",
			"deleteDBCluster", "deleteDBClusterSnapshot", "deleteDBInstance", "describeDBClusterSnapshotAttributes",
			"describeDBClusterSnapshots", "describeDBClusters", "describeDBInstances", "listTagsForResource", "modifyDBCluster",
			"modifyDBClusterParameterGroup", "modifyDBClusterSnapshotAttribute", "modifyDBInstance",
			"restoreDBClusterFromSnapshot", "restoreDBClusterToPointInTime", "startDBCluster", "stopDBCluster"},
		"efs": {"createAccessPoint", "createFileSystem", "createMountTarget", "createReplicationConfiguration",
			"deleteAccessPoint", "deleteFileSystem", "deleteMountTarget", "deleteReplicationConfiguration", "describeAccessPoints",
			"describeFileSystems", "describeMountTargets", "describeReplicationConfigurations", "describeTags",
			"putLifecycleConfiguration", "tagResource", "updateFileSystemProtection"},
		"lambda":         {"createFunction", "deleteFunction", "getFunction", "updateFunctionCode", "updateFunctionConfiguration"},
		"secretsmanager": {"createSecret", "describeSecret", "getSecretValue", "putSecretValue", "rotateSecret", "updateSecret"},
		"backup": {"describeCopyJob", "describeRecoveryPoint", "describeRestoreJob", "getRecoveryPointRestoreMetadata",
			"listRecoveryPointsByBackupVault", "listRecoveryPointsByResource", "startCopyJob", "startRestoreJob"},
		"eks":         {"describeCluster", "describeNodegroup", "describeUpdate", "listNodegroups", "updateNodegroupConfig"},
		"autoscaling": {"describeAutoScalingGroups", "setDesiredCapacity", "updateAutoScalingGroup"},
		"ssm":         {"getParameter", "putParameter"},
		"s3":          {"getObject", "listObjectsV2"},
		"kms":         {"createGrant", "describeKey", "listGrants", "retireGrant", "revokeGrant"},
		"ram": {"acceptResourceShareInvitation", "associateResourceShare", "createResourceShare", "deleteResourceShare",
			"getResourceShareAssociations", "getResourceShareInvitations", "getResourceShares"},
		"resourcegroupstaggingapi": {"tagResources"},
	}
	for service, actions := range sdk {
		for _, action := range actions {
			if _, ok := iam.NeedsOf(asl.SDKCall(service, action)); !ok {
				t.Errorf("aws-sdk:%s:%s is not covered", service, action)
			}
		}
	}
	for _, resource := range []string{
		"states:startExecution.sync:2", "states:startExecution.sync", "states:startExecution", "eks:runJob.sync", "eks:call",
		"lambda:invoke", "lambda:invoke.waitForTaskToken", "dynamodb:putItem", "sns:publish",
	} {
		call, _, err := asl.ParseIntegration("arn:aws:states:::" + resource)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := iam.NeedsOf(call); !ok {
			t.Errorf("%s is not covered", resource)
		}
	}
	for _, action := range []string{"kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
		"kms:ReEncryptFrom", "kms:ReEncryptTo", "sts:AssumeRole", "iam:PassRole"} {
		if _, ok := iam.LookupAction(action); !ok {
			t.Errorf("%s is not in the action table", action)
		}
	}
}

// TestSyncNeeds pins the documented permissions of waiting for a child
// state machine, on its executions and on the rule Step Functions manages.
func TestSyncNeeds(t *testing.T) {
	needs, _ := iam.NeedsOf(asl.StartExecution(asl.Sync2))
	var b iam.Builder
	for _, n := range needs {
		var arns []string
		switch n.Action {
		case "states:StartExecution":
			arns = []string{iam.StateMachine.ARN(loc, "refresh-db")}
		case "states:DescribeExecution", "states:StopExecution":
			arns = []string{iam.StateMachineExecution.ARN(loc, "refresh-db")}
		}
		st, err := n.Statement(loc, arns...)
		if err != nil {
			t.Fatal(err)
		}
		b.Add(st)
	}
	p, err := b.Policy()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"EventsDescribePut: events:DescribeRule,events:PutRule,events:PutTargets on arn:aws:events:eu-west-1:222222222222:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule",
		"StatesDescribeStop: states:DescribeExecution,states:StopExecution on arn:aws:states:eu-west-1:222222222222:execution:refresh-db:*",
		"StatesStartExecution: states:StartExecution on arn:aws:states:eu-west-1:222222222222:stateMachine:refresh-db",
	}
	if got := summary(p); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestNeedStatement(t *testing.T) {
	restore, _ := iam.NeedsOf(asl.SDKCall("rds", "restoreDBClusterFromSnapshot"))
	describe, _ := iam.NeedsOf(asl.SDKCall("rds", "describeDBClusters"))
	deleteCluster, _ := iam.NeedsOf(asl.SDKCall("rds", "deleteDBCluster"))
	logging, _ := iam.FeatureNeeds(iam.Logging)
	sync, _ := iam.NeedsOf(asl.StartExecution(asl.Sync))
	cluster := sampleARN(iam.RDSCluster)
	restoreARNs := []string{cluster, sampleARN(iam.RDSClusterParameterGroup), sampleARN(iam.RDSOptionGroup), sampleARN(iam.RDSSubnetGroup)}

	for _, tc := range []struct {
		name string
		need iam.Need
		arns []string
		want string // the resources, or the error's end
	}{
		{"every required type", restore[0], restoreARNs, strings.Join(restoreARNs, " ")},
		{"a required type missing", restore[0], restoreARNs[:3], "no ARN of rds:subgrp, which the action requires"},
		{"an ARN of another type", restore[0], append(restoreARNs, sampleARN(iam.KMSKey)), "is not an ARN of"},
		{"not an ARN", restore[0], append(restoreARNs, "refresh-db"), "is not an ARN of"},
		{"* with a reason", describe[0], []string{"*"}, "*"},
		{"* without one", deleteCluster[0], []string{"*"}, "supports resource-level permissions"},
		{"no ARN for a resource-level action", deleteCluster[0], nil, "give the ARNs of the resources"},
		{"no resource type", logging[0], nil, "*"},
		{"ARN for no resource type", logging[0], []string{cluster}, "give no ARN"},
		{"fixed name", sync[3], nil, "arn:aws:events:eu-west-1:222222222222:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"},
		{"ARN for a fixed name", sync[3], []string{"arn:aws:events:eu-west-1:222222222222:rule/x"}, "give no ARN"},
	} {
		st, err := tc.need.Statement(loc, tc.arns...)
		got := strings.Join(st.Resource, " ")
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNeedStatementFillsConditions(t *testing.T) {
	restore, _ := iam.NeedsOf(asl.SDKCall("rds", "restoreDBClusterFromSnapshot"))
	grant := restore[2]
	if grant.Action != "kms:CreateGrant" || !grant.CustomerKey {
		t.Fatalf("third need of restoreDBClusterFromSnapshot: %+v", grant)
	}
	st, err := grant.Statement(loc, sampleARN(iam.KMSKey))
	if err != nil {
		t.Fatal(err)
	}
	want := []iam.Condition{iam.Cond(iam.StringEquals, "kms:ViaService", "rds.eu-west-1.amazonaws.com")}
	if !slices.EqualFunc(st.Condition, want, func(a, b iam.Condition) bool {
		return a.Operator == b.Operator && a.Key == b.Key && slices.Equal(a.Values, b.Values)
	}) {
		t.Errorf("conditions %+v, want %+v", st.Condition, want)
	}
	if again, _ := iam.NeedsOf(asl.SDKCall("rds", "restoreDBClusterFromSnapshot")); again[2].Condition[0].Values[0] != "rds.${Region}.amazonaws.com" {
		t.Error("Statement changed the table")
	}
}

// TestTablesAreCopies checks that what the lookups return cannot change
// the tables.
func TestTablesAreCopies(t *testing.T) {
	call := asl.SDKCall("efs", "createAccessPoint")
	needs, _ := iam.NeedsOf(call)
	needs[1].On[0] = iam.KMSKey
	needs[0].Action = "x:Y"
	a, _ := iam.LookupAction("rds:RestoreDBClusterFromSnapshot")
	a.Required[0] = iam.KMSKey
	again, _ := iam.NeedsOf(call)
	b, _ := iam.LookupAction("rds:RestoreDBClusterFromSnapshot")
	if again[1].On[0] != iam.EFSAccessPoint || again[0].Action != "elasticfilesystem:CreateAccessPoint" || b.Required[0] != iam.RDSCluster {
		t.Error("a returned value changed the table")
	}
}

// TestWaitForTaskToken checks that waiting for a task token needs what the
// plain call needs.
func TestWaitForTaskToken(t *testing.T) {
	plain, _ := iam.NeedsOf(asl.LambdaInvoke())
	wait := asl.LambdaInvoke()
	wait.Pattern = asl.WaitForTaskToken
	waiting, ok := iam.NeedsOf(wait)
	if !ok || len(waiting) != len(plain) || waiting[0].Action != plain[0].Action {
		t.Errorf("lambda:invoke.waitForTaskToken: %+v, want %+v", waiting, plain)
	}
	if _, ok := iam.NeedsOf(asl.SDKCall("rds", "nope")); ok {
		t.Error("an unknown call has needs")
	}
}
