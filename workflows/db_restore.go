package workflows

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// The workflows that build a refresh's destination cluster: restore or
// clone it, create its instances, hand its master password to Secrets
// Manager, give it its final name, rotate the application secrets and
// attach the role Aurora reads S3 with.

func dbRestoreWorkflows() []*Workflow {
	return []*Workflow{restoreCluster(), cloneCluster(), createInstance(), enableMasterSecret(),
		renameCluster(), rotateSecrets(), configureS3Integration()}
}

// newClusterInput is the input of restore_cluster and clone_cluster; source
// names what the new cluster is copied from.
func newClusterInput(source Field) *Shape {
	return clusterInput(source,
		Req("Engine", Str("aurora-mysql or aurora-postgresql (a clone keeps its source's)")),
		Req("KmsKeyId", Str("a KMS key of this account: the copy is re-encrypted with it")),
		Req("SubnetGroup", Str("the DB subnet group of the new cluster")),
		Req("SecurityGroupIds", List(Str("a VPC security group ID"))),
		Req("Tags", tags()),
		Opt("ClusterParameterGroup", Str("the DB cluster parameter group; default: the engine's")),
		Opt("Serverless", Obj(Req("MinCapacity", Num("ACUs")), Req("MaxCapacity", Num("ACUs")))),
	)
}

// newClusterOutput is what restore_cluster and clone_cluster return.
func newClusterOutput() *Shape {
	return Obj(Req("ClusterId", Str("")), Req("ClusterArn", Str("")),
		Req("Endpoint", Str("the writer endpoint")), Req("Port", Num("")))
}

func restoreCluster() *Workflow {
	// A snapshot shared by another account is named by its ARN.
	return newClusterWorkflow("restore_cluster",
		"Restore a new cluster from a snapshot another account shares, re-encrypted with a key of this one, and wait until it is available.",
		Req("SnapshotArn", Str("the ARN of a cluster snapshot shared with this account")), "cluster-snapshot:example-snapshot",
		"restoreDBClusterFromSnapshot",
		asl.Field("SnapshotIdentifier", asl.Ref("$.SnapshotArn")),
		asl.Field("Engine", asl.Ref("$.Engine")))
}

func cloneCluster() *Workflow {
	// A cross-account clone names its source by ARN; it takes no Engine: a
	// clone keeps its source's.
	return newClusterWorkflow("clone_cluster",
		"Clone a cluster another account shares through AWS RAM (copy-on-write, latest restorable time) and wait until the clone is available.",
		Req("SourceClusterArn", Str("the ARN of a cluster shared with this account through AWS RAM")), "cluster:example-source",
		"restoreDBClusterToPointInTime",
		asl.Field("SourceDBClusterIdentifier", asl.Ref("$.SourceClusterArn")),
		asl.Field("RestoreType", asl.Str("copy-on-write")),
		asl.Field("UseLatestRestorableTime", asl.Bool(true)))
}

// newClusterWorkflow is restore_cluster or clone_cluster: the input field
// source names what the new cluster copies (in the example, the resource
// example of the source account), and action creates the cluster from it,
// with params naming it.
func newClusterWorkflow(key, summary string, source Field, example, action string, params ...asl.Member) *Workflow {
	return &Workflow{
		Group: GroupDB, Key: key, Summary: summary,
		Input:   newClusterInput(source),
		Output:  newClusterOutput(),
		Timeout: 5 * 3600,
		build:   func(e *Env) *asl.Machine { return e.buildNewCluster(action, summary, params...) },
		example: func(e *Env) map[string]any {
			return exampleCluster(e, map[string]any{
				source.Name:        e.ARN("rds", exampleAccount(e, spec.RoleSource).ID, example),
				"Engine":           "aurora-mysql",
				"KmsKeyId":         exampleKey(e, spec.RoleDestination),
				"SubnetGroup":      "example-db",
				"SecurityGroupIds": []string{"sg-0123456789abcdef0"},
				"Tags":             exampleTags(e),
			})
		},
	}
}

// buildNewCluster creates the cluster $.ClusterId with action from the
// source parameters and waits until it is available. A cluster that
// already has the id is never deleted here (the seed deleted it without a
// guard, §1.10): the caller removes leftovers first, so meeting one fails.
func (e *Env) buildNewCluster(action, comment string, source ...asl.Member) *asl.Machine {
	available := poll{
		name: "WaitAvailable", action: e.describeCluster("$.ClusterId"), status: "$.Cluster.Status",
		success: []string{"available"}, failure: clusterDeadEnds,
		attempts: 480, interval: 30, done: "ReadEndpoint", what: "$.ClusterId",
	}
	params := slices.Concat(source, []asl.Member{
		asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId")),
		asl.Field("KmsKeyId", asl.Ref("$.KmsKeyId")),
		asl.Field("DbSubnetGroupName", asl.Ref("$.SubnetGroup")),
		asl.Field("VpcSecurityGroupIds", asl.Ref("$.SecurityGroupIds")),
		asl.Field("Tags", asl.Ref("$.Tags")),
		asl.Field("CopyTagsToSnapshot", asl.Bool(true)),
		asl.Field("DeletionProtection", asl.Bool(false)),
	})
	create := func(extra ...asl.Member) *asl.Task {
		t := e.call("rds", action, "$.Account.RoleArn", asl.Obj(slices.Concat(params, extra)...))
		t.ResultPath, t.Next = asl.Discard(), available.entry()
		t.Catch = catchTo("AlreadyExists", asl.ErrRdsDbClusterAlreadyExists)
		return t
	}
	s := withOptional("Create", create,
		optional{"$.ClusterParameterGroup", asl.Field("DbClusterParameterGroupName", asl.Ref("$.ClusterParameterGroup"))},
		// The contract's Serverless is exactly ServerlessV2ScalingConfiguration.
		optional{"$.Serverless", asl.Field("ServerlessV2ScalingConfiguration", asl.Ref("$.Serverless"))})
	s.Add("AlreadyExists", &asl.Fail{
		Error: ErrAlreadyExists,
		CausePath: asl.Format("A cluster named {} already exists. refreshgen never deletes a cluster to make room for a new one: "+
			"remove it first (ensure_cluster_not_exists does, if refreshgen manages it).", asl.Ref("$.ClusterId")),
	})
	s = merge(s, available.states())
	endpoint := e.call("rds", "describeDBClusters", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId"))))
	endpoint.Comment = "Read the endpoint once the cluster is available, when it surely has one."
	endpoint.ResultSelector = asl.Obj(
		asl.Field("Address", asl.Ref("$.DbClusters[0].Endpoint")),
		asl.Field("Port", asl.Ref("$.DbClusters[0].Port")),
	)
	endpoint.ResultPath, endpoint.Next = asl.At("$.Endpoint"), "Output"
	s.Add("ReadEndpoint", endpoint)
	succeed(&s, "Output", asl.Obj(
		asl.Field("ClusterId", asl.Ref("$.ClusterId")),
		asl.Field("ClusterArn", asl.Ref("$.Cluster.Arn")),
		asl.Field("Endpoint", asl.Ref("$.Endpoint.Address")),
		asl.Field("Port", asl.Ref("$.Endpoint.Port")),
	))
	return &asl.Machine{Comment: comment, StartAt: "ChooseCreate", States: s}
}

// optional is an API parameter set from an optional input field.
type optional struct {
	field string     // the field's path, e.g. "$.Serverless"
	param asl.Member // the parameter, reading the field
}

// withOptional returns the Choice "Choose<name>" and one variant of a call
// per combination of the optional fields that are present: a parameter
// whose path is missing fails the Task with States.Runtime, so it cannot
// be left to the data. The Choice tests the larger combinations first, so
// the first rule that holds names exactly the fields present. build makes
// a variant with the extra parameters.
func withOptional(name string, build func(extra ...asl.Member) *asl.Task, opts ...optional) asl.States {
	combos := make([]int, 1<<len(opts)) // bit i: opts[i] is present
	for i := range combos {
		combos[i] = len(combos) - 1 - i
	}
	slices.SortStableFunc(combos, func(a, b int) int { return bits.OnesCount(uint(b)) - bits.OnesCount(uint(a)) })
	choice := &asl.Choice{}
	var variants asl.States
	for _, combo := range combos {
		var labels []string
		var extra []asl.Member
		var present []asl.Condition
		for i, o := range opts {
			if combo&(1<<i) != 0 {
				labels = append(labels, o.field[strings.LastIndex(o.field, ".")+1:])
				extra = append(extra, o.param)
				present = append(present, asl.TypeTest(asl.IsPresent, o.field, true))
			}
		}
		variant := name
		if len(labels) > 0 {
			variant += "With" + strings.Join(labels, "And")
		}
		switch len(present) {
		case 0:
			choice.Default = variant
		case 1:
			choice.Choices = append(choice.Choices, asl.When(present[0], variant))
		default:
			choice.Choices = append(choice.Choices, asl.When(asl.And(present...), variant))
		}
		variants.Add(variant, build(extra...))
	}
	var s asl.States
	s.Add("Choose"+name, choice)
	return merge(s, variants)
}

func createInstance() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "create_instance",
		Summary: "Create the instances of a cluster, all at once, and wait until each is available (those a previous run created are kept).",
		Input: clusterInput(
			Req("Engine", Str("aurora-mysql or aurora-postgresql")),
			Req("Instances", List(Obj(
				Req("InstanceId", Str("the instance identifier")),
				Req("InstanceClass", Str("e.g. db.r6g.large, or db.serverless")),
				Req("PromotionTier", Num("0-15: the failover order, lowest first")),
			))),
			Req("Tags", tags()),
			Opt("ParameterGroup", Str("the DB parameter group; default: the engine's")),
		),
		Output:  Obj(Req("InstanceIds", List(Str("")))),
		Timeout: 2 * 3600,
		build: func(e *Env) *asl.Machine {
			return eachItem("Create the instances of a cluster.", "CreateInstances", "InstanceIds", &asl.Map{
				Comment:   "Aurora builds the instances of a cluster in parallel: create them all at once.",
				ItemsPath: "$.Instances",
				// Request carries the whole input, so that an iteration can
				// test the optional ParameterGroup.
				ItemSelector:  asl.Obj(asl.Field("Request", asl.Ref("$")), asl.Field("Instance", asl.Ref("$$.Map.Item.Value"))),
				ItemProcessor: &asl.Processor{StartAt: "ChooseCreate", States: e.createInstanceStates()},
			})
		},
		example: func(e *Env) map[string]any {
			return exampleCluster(e, map[string]any{
				"Engine":    "aurora-mysql",
				"Instances": []map[string]any{{"InstanceId": "example-cluster-1", "InstanceClass": "db.r6g.large", "PromotionTier": 1}},
				"Tags":      exampleTags(e),
			})
		},
	}
}

// eachItem is a machine made of one Map, named name, whose results are
// the machine's output field output.
func eachItem(comment, name, output string, each *asl.Map) *asl.Machine {
	each.ResultPath, each.Next = asl.At("$."+output), "Output"
	var s asl.States
	s.Add(name, each)
	succeed(&s, "Output", asl.Obj(asl.Field(output, asl.Ref("$."+output))))
	return &asl.Machine{Comment: comment, StartAt: name, States: s}
}

// createInstanceStates create the instance $.Instance of the cluster in
// $.Request and wait until it is available. An instance a previous run
// created is waited for; one of another cluster is refused.
func (e *Env) createInstanceStates() asl.States {
	const role = "$.Request.Account.RoleArn"
	available := poll{
		name: "WaitAvailable", action: e.describeInstance("$.Instance.InstanceId", role), status: "$.Created.Status",
		success: []string{"available"}, failure: instanceDeadEnds,
		attempts: 120, interval: 30, done: "Created", what: "$.Instance.InstanceId",
	}
	available.action.ResultPath = asl.At("$.Created")
	create := func(extra ...asl.Member) *asl.Task {
		t := e.call("rds", "createDBInstance", role, asl.Obj(slices.Concat([]asl.Member{
			asl.Field("DbInstanceIdentifier", asl.Ref("$.Instance.InstanceId")),
			asl.Field("DbClusterIdentifier", asl.Ref("$.Request.ClusterId")),
			asl.Field("DbInstanceClass", asl.Ref("$.Instance.InstanceClass")),
			asl.Field("Engine", asl.Ref("$.Request.Engine")),
			asl.Field("PromotionTier", asl.Ref("$.Instance.PromotionTier")),
			asl.Field("PubliclyAccessible", asl.Bool(false)),
			asl.Field("Tags", asl.Ref("$.Request.Tags")),
		}, extra)...))
		whileBusy(t, asl.ErrRdsInvalidDbClusterState)
		t.ResultPath, t.Next = asl.Discard(), available.entry()
		t.Catch = catchTo("DescribeExisting", asl.ErrRdsDbInstanceAlreadyExists)
		return t
	}
	s := withOptional("Create", create,
		optional{"$.Request.ParameterGroup", asl.Field("DbParameterGroupName", asl.Ref("$.Request.ParameterGroup"))})
	existing := e.call("rds", "describeDBInstances", role, asl.Obj(asl.Field("DbInstanceIdentifier", asl.Ref("$.Instance.InstanceId"))))
	existing.Comment = "The instance exists: a previous run created it, or the name is taken."
	// [*] yields [] for an instance outside any cluster instead of failing.
	existing.ResultSelector = asl.Obj(asl.Field("ClusterIds", asl.Ref("$.DbInstances[*].DbClusterIdentifier")))
	existing.ResultPath, existing.Next = asl.At("$.Existing"), "InAnyCluster"
	s.Add("DescribeExisting", existing)
	s.Add("InAnyCluster", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Existing.ClusterIds[0]", true), "InThisCluster")},
		Default: "TakenElsewhere",
	})
	s.Add("InThisCluster", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.Existing.ClusterIds[0]", asl.Equals, "$.Request.ClusterId"), available.entry())},
		Default: "TakenElsewhere",
	})
	s.Add("TakenElsewhere", &asl.Fail{
		Error:     ErrAlreadyExists,
		CausePath: asl.Format("An instance named {} already exists outside the cluster {}.", asl.Ref("$.Instance.InstanceId"), asl.Ref("$.Request.ClusterId")),
	})
	s = merge(s, available.states())
	s.Add("Created", &asl.Succeed{OutputPath: asl.At("$.Instance.InstanceId")})
	return s
}

// describeInstance returns a describeDBInstances call for the instance at
// idPath whose result is its Status.
func (e *Env) describeInstance(idPath, rolePath string) *asl.Task {
	t := e.call("rds", "describeDBInstances", rolePath, asl.Obj(asl.Field("DbInstanceIdentifier", asl.Ref(idPath))))
	t.ResultSelector = asl.Obj(asl.Field("Status", asl.Ref("$.DbInstances[0].DbInstanceStatus")))
	return t
}

func enableMasterSecret() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "enable_master_secret",
		Summary: "Have RDS manage a refreshgen-managed cluster's master password in Secrets Manager, and wait until the secret is active.",
		Input:   clusterInput(Req("KmsKeyId", Str("the KMS key that encrypts the secret"))),
		Output:  Obj(Req("ClusterId", Str("")), Req("SecretArn", Str("the ARN of the master user secret; its value is never read"))),
		Timeout: 2 * 3600,
		build: func(e *Env) *asl.Machine {
			ready := poll{
				name: "WaitSecret", action: e.describeMasterSecret(), status: "$.Cluster.Status",
				failure: clusterDeadEnds, attempts: 120, interval: 30, what: "$.ClusterId",
				extraExit: []asl.Rule{
					asl.When(asl.And(asl.CompareString("$.Cluster.Status", asl.Equals, "available"),
						asl.BooleanEquals("$.Cluster.SecretActive", true)), "Output"),
					asl.When(asl.BooleanEquals("$.Cluster.SecretImpaired", true), "SecretImpaired"),
				},
			}
			describe := e.describeMasterSecret()
			describe.Next = "Guard"
			var s asl.States
			s.Add("Describe", describe)
			// The guard comes first: the change makes the current master
			// password stop working.
			s = merge(s, e.requireManaged("Guard", "$.Cluster.TagList", "$.ClusterId", "AlreadyEnabled"))
			s.Add("AlreadyEnabled", &asl.Choice{
				Comment: "RDS already manages the password (a rerun): only wait for the secret.",
				Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Cluster.SecretArns[0]", true), ready.entry())},
				Default: "Enable",
			})
			enable := e.call("rds", "modifyDBCluster", "$.Account.RoleArn", asl.Obj(
				asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId")),
				asl.Field("ManageMasterUserPassword", asl.Bool(true)),
				asl.Field("MasterUserSecretKmsKeyId", asl.Ref("$.KmsKeyId")),
				asl.Field("ApplyImmediately", asl.Bool(true)),
			))
			whileBusy(enable, asl.ErrRdsInvalidDbClusterState)
			enable.ResultPath, enable.Next = asl.Discard(), ready.entry()
			s.Add("Enable", enable)
			s = merge(s, ready.states())
			s.Add("SecretImpaired", &asl.Fail{
				Error: ErrInvalidState,
				CausePath: asl.Format("The master user secret of {} is impaired: RDS cannot use it (can it use the KMS key {}?).",
					asl.Ref("$.ClusterId"), asl.Ref("$.KmsKeyId")),
			})
			succeed(&s, "Output", asl.Obj(asl.Field("ClusterId", asl.Ref("$.ClusterId")), asl.Field("SecretArn", asl.Ref("$.Cluster.SecretArns[0]"))))
			return &asl.Machine{Comment: "Have RDS manage a cluster's master password in Secrets Manager.", StartAt: "Describe", States: s}
		},
		example: func(e *Env) map[string]any {
			return exampleCluster(e, map[string]any{"KmsKeyId": exampleKey(e, spec.RoleDestination)})
		},
	}
}

// describeMasterSecret describes the cluster at $.ClusterId into $.Cluster
// with what enable_master_secret needs. MasterUserSecret is absent until
// RDS manages the password, and a ResultSelector cannot test presence, so
// it is read through [*], which yields [] instead of failing: SecretArns
// is [] or [arn], and the booleans say whether the secret is active or
// impaired (its other statuses, creating and rotating, pass).
func (e *Env) describeMasterSecret() *asl.Task {
	t := e.call("rds", "describeDBClusters", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId"))))
	statuses := asl.Ref("$.DbClusters[*].MasterUserSecret.SecretStatus")
	t.ResultSelector = asl.Obj(
		asl.Field("Status", asl.Ref("$.DbClusters[0].Status")),
		asl.Field("TagList", asl.Ref("$.DbClusters[0].TagList")),
		asl.Field("SecretArns", asl.Ref("$.DbClusters[*].MasterUserSecret.SecretArn")),
		asl.Field("SecretActive", asl.Call(asl.FnArrayContains, statuses, asl.Str("active"))),
		asl.Field("SecretImpaired", asl.Call(asl.FnArrayContains, statuses, asl.Str("impaired"))),
	)
	t.ResultPath = asl.At("$.Cluster")
	return t
}

func renameCluster() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "rename_cluster",
		Summary: "Rename a refreshgen-managed cluster and its instances (<new id>-1, -2, ...); the new id must be free.",
		Input: clusterInput(
			Req("NewClusterId", Str("the cluster's new identifier; no cluster may have it")),
			Req("IfMissing", Str("fail or skip: what to do when ClusterId does not exist")),
		),
		Output: Obj(
			Req("ClusterId", Str("the final identifier: NewClusterId, or ClusterId when skipped")),
			Req("Renamed", Boolean("false when ClusterId did not exist and IfMissing is skip")),
			Req("InstanceIds", List(Str("the instances' new identifiers"))),
		),
		Timeout: 4 * 3600,
		build:   buildRenameCluster,
		example: func(e *Env) map[string]any {
			return exampleCluster(e, map[string]any{"NewClusterId": "example-cluster-new", "IfMissing": "fail"})
		},
	}
}

func buildRenameCluster(e *Env) *asl.Machine {
	var s asl.States
	describe := e.describeCluster("$.ClusterId")
	describe.Next = "Guard"
	describe.Catch = catchTo("IfMissing", asl.ErrRdsDbClusterNotFound)
	s.Add("Describe", describe)
	s = merge(s, ifMissing(), e.requireManaged("Guard", "$.Cluster.TagList", "$.ClusterId", "CheckNewId"))
	free := e.call("rds", "describeDBClusters", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.NewClusterId"))))
	free.Comment = "The new id must be free: the seed deleted whatever had it (§1.9)."
	free.ResultPath, free.Next = asl.Discard(), "NewIdTaken"
	free.Catch = catchTo("Rename", asl.ErrRdsDbClusterNotFound)
	s.Add("CheckNewId", free)
	s.Add("NewIdTaken", &asl.Fail{
		Error: ErrAlreadyExists,
		CausePath: asl.Format("Cannot rename {} to {}: a cluster already has that name, and refreshgen never deletes one to make room.",
			asl.Ref("$.ClusterId"), asl.Ref("$.NewClusterId")),
	})
	rename := e.call("rds", "modifyDBCluster", "$.Account.RoleArn", asl.Obj(
		asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId")),
		asl.Field("NewDBClusterIdentifier", asl.Ref("$.NewClusterId")),
		asl.Field("ApplyImmediately", asl.Bool(true)),
	))
	whileBusy(rename, asl.ErrRdsInvalidDbClusterState)
	status := e.call("rds", "describeDBClusters", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.NewClusterId"))))
	status.ResultSelector = asl.Obj(asl.Field("Status", asl.Ref("$.DbClusters[0].Status")))
	s = merge(s, renamed{
		step: "Rename", wait: "WaitRenamed", rename: rename, describe: status, notFound: asl.ErrRdsDbClusterNotFound,
		deadEnds: clusterDeadEnds, done: "DescribeRenamed", what: "$.NewClusterId",
	}.states())
	members := e.describeCluster("$.NewClusterId")
	members.Next = "RenameInstances"
	s.Add("DescribeRenamed", members)
	s.Add("RenameInstances", &asl.Map{
		Comment: "Rename the instances <new id>-1, -2, ... in member order. A rename restarts " +
			"the instance: one at a time, the others keep serving.",
		ItemsPath: "$.Cluster.Members",
		ItemSelector: asl.Obj(
			asl.Field("Account", asl.Ref("$.Account")),
			asl.Field("InstanceId", asl.Ref("$$.Map.Item.Value.DbInstanceIdentifier")),
			asl.Field("NewInstanceId", asl.Format("{}-{}", asl.Ref("$.NewClusterId"), asl.Call(asl.FnMathAdd, asl.Ref("$$.Map.Item.Index"), asl.Num(1)))),
		),
		MaxConcurrency: 1,
		ItemProcessor:  &asl.Processor{StartAt: "AlreadyNamed", States: e.renameInstanceStates()},
		ResultPath:     asl.At("$.InstanceIds"),
		Next:           "Output",
	})
	succeed(&s, "Output", asl.Obj(
		asl.Field("ClusterId", asl.Ref("$.NewClusterId")),
		asl.Field("Renamed", asl.Bool(true)),
		asl.Field("InstanceIds", asl.Ref("$.InstanceIds")),
	))
	return &asl.Machine{Comment: "Rename a refreshgen-managed cluster and its instances.", StartAt: "Describe", States: s}
}

// ifMissing handles a cluster to rename that does not exist: rename_cluster
// succeeds without renaming when the input says skip, and fails otherwise.
func ifMissing() asl.States {
	var s asl.States
	s.Add("IfMissing", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.CompareString("$.IfMissing", asl.Equals, "skip"), "Skipped")},
		Default: "Missing",
	})
	s.Add("Missing", &asl.Fail{
		Error:     asl.ErrRdsDbClusterNotFound,
		CausePath: asl.Format("There is no cluster {} to rename to {}.", asl.Ref("$.ClusterId"), asl.Ref("$.NewClusterId")),
	})
	s.Add("Skipped", &asl.Pass{
		Parameters: asl.Obj(asl.Field("ClusterId", asl.Ref("$.ClusterId")), asl.Field("Renamed", asl.Bool(false)), asl.Field("InstanceIds", asl.Array{})),
		Next:       "Done",
	})
	return s
}

// renameInstanceStates rename the instance $.InstanceId to $.NewInstanceId
// (inside rename_cluster's Map, so behind its guard); one that has its new
// name already (a rerun) is left alone.
func (e *Env) renameInstanceStates() asl.States {
	var s asl.States
	s.Add("AlreadyNamed", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.InstanceId", asl.Equals, "$.NewInstanceId"), "InstanceRenamed")},
		Default: "RenameInstance",
	})
	rename := e.call("rds", "modifyDBInstance", "$.Account.RoleArn", asl.Obj(
		asl.Field("DbInstanceIdentifier", asl.Ref("$.InstanceId")),
		asl.Field("NewDBInstanceIdentifier", asl.Ref("$.NewInstanceId")),
		asl.Field("ApplyImmediately", asl.Bool(true)),
	))
	whileBusy(rename, asl.ErrRdsInvalidDbInstanceState)
	s = merge(s, renamed{
		step: "RenameInstance", wait: "WaitInstanceRenamed", rename: rename, notFound: asl.ErrRdsDbInstanceNotFound,
		describe: e.describeInstance("$.NewInstanceId", "$.Account.RoleArn"),
		deadEnds: instanceDeadEnds, done: "InstanceRenamed", what: "$.NewInstanceId",
	}.states())
	s.Add("InstanceRenamed", &asl.Succeed{OutputPath: asl.At("$.NewInstanceId")})
	return s
}

// renamed is a rename and the bounded wait until the new id is available.
// A rename is asynchronous: the new id answers NotFound for a while, which
// counts as still renaming.
type renamed struct {
	step     string    // the name of the rename state
	wait     string    // the name of the wait
	rename   *asl.Task // the modify call
	describe *asl.Task // describes the new id; its ResultSelector gives Status
	notFound string    // the describe's error for an unknown id
	deadEnds []string
	done     string
	what     string // path of the new id, for the failure cause
}

func (r renamed) states() asl.States {
	wait := poll{
		name: r.wait, action: r.describe, status: "$.Renaming.Status",
		success: []string{"available"}, failure: r.deadEnds,
		attempts: 90, interval: 20, done: r.done, what: r.what,
	}
	wait.action.ResultPath = asl.At("$.Renaming")
	wait.action.Catch = catchTo(r.wait+"Check", r.notFound)
	// Until the new id answers, the status is the one set here: the modify
	// call's own answer would describe the old id, still available.
	r.rename.ResultSelector = asl.Obj(asl.Field("Status", asl.Str("renaming")))
	r.rename.ResultPath, r.rename.Next = asl.At("$.Renaming"), wait.entry()
	var s asl.States
	s.Add(r.step, r.rename)
	return merge(s, wait.states())
}

func rotateSecrets() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "rotate_secrets",
		Summary: "Rotate Secrets Manager secrets one at a time with their rotation functions, and wait until each rotation completes.",
		Input:   Obj(Req("Account", account()), Req("SecretArns", List(Str("a secret with rotation configured")))),
		Output:  Obj(Req("Rotated", List(Str("the rotated secrets' ARNs")))),
		Timeout: 6 * 3600,
		build: func(e *Env) *asl.Machine {
			return eachItem("Rotate Secrets Manager secrets with their rotation functions.", "RotateEach", "Rotated", &asl.Map{
				Comment:        "One at a time, so that a failure leaves at most one secret in doubt.",
				ItemsPath:      "$.SecretArns",
				ItemSelector:   asl.Obj(asl.Field("Account", asl.Ref("$.Account")), asl.Field("SecretArn", asl.Ref("$$.Map.Item.Value"))),
				MaxConcurrency: 1,
				ItemProcessor:  &asl.Processor{StartAt: "Describe", States: e.rotateSecretStates()},
			})
		},
		example: func(e *Env) map[string]any {
			dst := exampleAccount(e, spec.RoleDestination)
			return map[string]any{
				"Account":    accountOf(e, dst),
				"SecretArns": []string{e.ARN("secretsmanager", dst.ID, "secret:example-app-user-AbCdEf")},
			}
		},
	}
}

// rotateSecretStates rotate the secret $.SecretArn and wait until the
// rotation completes. Only DescribeSecret and RotateSecret are called: the
// secret's value never enters the state data.
//
// A rotation is complete when LastRotatedDate, "the most recent date and
// time that the Secrets Manager rotation process was successfully
// completed", moves past its value before the rotation: both times come
// from Secrets Manager, so no clock skew matters. DescribeSecret does not
// report a failed rotation (its AWSPENDING version just stays), so one
// that does not complete in time fails the workflow, naming the secret.
func (e *Env) rotateSecretStates() asl.States {
	describe := func() *asl.Task {
		return e.call("secretsmanager", "describeSecret", "$.Account.RoleArn", asl.Obj(asl.Field("SecretId", asl.Ref("$.SecretArn"))))
	}
	var s asl.States
	before := describe()
	before.ResultPath, before.Next = asl.At("$.Before"), "HasRotated"
	s.Add("Describe", before)
	s.Add("HasRotated", &asl.Choice{
		Comment: "LastRotatedDate is absent when rotation is off or has never succeeded.",
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Before.LastRotatedDate", true), "Rotate")},
		Default: "NeverRotated",
	})
	s.Add("NeverRotated", &asl.Fail{
		Error: ErrPreconditions,
		CausePath: asl.Format("{} has no completed rotation: its rotation is off or has never succeeded. "+
			"Configure it and let one rotation succeed; refreshgen then rotates it on every refresh.", asl.Ref("$.SecretArn")),
	})
	rotate := e.call("secretsmanager", "rotateSecret", "$.Account.RoleArn", asl.Obj(
		asl.Field("SecretId", asl.Ref("$.SecretArn")),
		asl.Field("RotateImmediately", asl.Bool(true)),
	))
	rotate.ResultSelector = asl.Obj(asl.Field("VersionId", asl.Ref("$.VersionId")))
	rotate.ResultPath, rotate.Next = asl.At("$.Rotation"), "WaitRotation"
	s.Add("Rotate", rotate)
	after := describe()
	after.ResultPath = asl.At("$.Secret")
	wait := poll{
		name: "WaitRotated", action: after, attempts: 60, interval: 20, done: "RotationCompleted",
		extraExit: []asl.Rule{asl.When(asl.ComparePaths(asl.KindTimestamp, "$.Secret.LastRotatedDate", asl.GreaterThan, "$.Before.LastRotatedDate"), "RotationCompleted")},
	}
	branch := merge(nil, wait.states())
	branch.Add("RotationCompleted", &asl.Succeed{})
	s.Add("WaitRotation", &asl.Parallel{
		Comment:    "A branch only so that running out of time can be caught and reported with the secret's name.",
		Branches:   []asl.Branch{{StartAt: wait.entry(), States: branch}},
		ResultPath: asl.Discard(),
		Catch:      catchTo("RotationIncomplete", asl.ErrPollTimeout),
		Next:       "Rotated",
	})
	s.Add("RotationIncomplete", &asl.Fail{
		Error: ErrStepFailed,
		CausePath: asl.Format(fmt.Sprintf("The rotation of {} (version {}) did not complete within %d minutes: "+
			"its rotation function failed or is stuck (see its logs).", wait.attempts*wait.interval/60),
			asl.Ref("$.SecretArn"), asl.Ref("$.Rotation.VersionId")),
	})
	s.Add("Rotated", &asl.Succeed{OutputPath: asl.At("$.SecretArn")})
	return s
}

func configureS3Integration() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "configure_s3_integration",
		Summary: "Associate the IAM role Aurora reads and writes S3 with to a cluster, and wait until it is active.",
		Input: clusterInput(
			Req("RoleArn", Str("the IAM role Aurora assumes for S3")),
			Opt("FeatureName", Str("the feature the role serves; default: none on aurora-mysql, which takes none, "+
				"and s3Import on aurora-postgresql, which needs one (s3Export is the other)")),
		),
		Output:  Obj(Req("ClusterId", Str("")), Req("RoleArn", Str("")), Req("Status", Str("ACTIVE"))),
		Timeout: 3600,
		build:   buildConfigureS3Integration,
		example: func(e *Env) map[string]any {
			dst := exampleAccount(e, spec.RoleDestination)
			return exampleCluster(e, map[string]any{"RoleArn": e.RoleARN(dst.ID, "example-aurora-s3")})
		},
	}
}

// buildConfigureS3Integration associates the role; it does not touch the
// cluster parameter group (the seed set aws_default_s3_role there): that
// group is shared configuration the spec names, and its settings belong to
// Terraform, not to a step of every refresh.
func buildConfigureS3Integration(e *Env) *asl.Machine {
	active := poll{
		name: "WaitActive", action: e.describeRole(), attempts: 60, interval: 15, done: "Output",
		extraExit: []asl.Rule{
			asl.When(asl.BooleanEquals("$.Role.Active", true), "Output"),
			asl.When(asl.BooleanEquals("$.Role.Invalid", true), "RoleInvalid"),
		},
	}
	engine := e.call("rds", "describeDBClusters", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId"))))
	engine.ResultSelector = asl.Obj(asl.Field("Engine", asl.Ref("$.DbClusters[0].Engine")))
	engine.ResultPath, engine.Next = asl.At("$.Cluster"), "DefaultFeature"
	var s asl.States
	s.Add("Describe", engine)
	s.Add("DefaultFeature", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.And(
			asl.TypeTest(asl.IsPresent, "$.FeatureName", false),
			asl.CompareString("$.Cluster.Engine", asl.Equals, string(spec.EnginePostgreSQL)),
		), "ImportFeature")},
		Default: "ChooseAdd",
	})
	s.Add("ImportFeature", &asl.Pass{Result: asl.Str("s3Import"), ResultPath: asl.At("$.FeatureName"), Next: "ChooseAdd"})
	add := func(extra ...asl.Member) *asl.Task {
		t := e.call("rds", "addRoleToDBCluster", "$.Account.RoleArn", asl.Obj(slices.Concat([]asl.Member{
			asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId")),
			asl.Field("RoleArn", asl.Ref("$.RoleArn")),
		}, extra)...))
		whileBusy(t, asl.ErrRdsInvalidDbClusterState)
		t.ResultPath, t.Next = asl.Discard(), active.entry()
		t.Catch = catchTo(active.entry(), asl.ErrRdsDbClusterRoleAlreadyExists)
		return t
	}
	s = merge(s, withOptional("Add", add, optional{"$.FeatureName", asl.Field("FeatureName", asl.Ref("$.FeatureName"))}))
	s = merge(s, active.states())
	s.Add("RoleInvalid", &asl.Fail{
		Error: ErrInvalidState,
		CausePath: asl.Format("The role {} is associated with {} but INVALID: Aurora cannot assume it (does its trust policy allow rds.amazonaws.com?).",
			asl.Ref("$.RoleArn"), asl.Ref("$.ClusterId")),
	})
	succeed(&s, "Output", asl.Obj(
		asl.Field("ClusterId", asl.Ref("$.ClusterId")),
		asl.Field("RoleArn", asl.Ref("$.RoleArn")),
		asl.Field("Status", asl.Str("ACTIVE")),
	))
	return &asl.Machine{Comment: "Associate the IAM role Aurora uses for S3 with a cluster.", StartAt: "Describe", States: s}
}

// describeRole reports at $.Role whether the role $.RoleArn is ACTIVE or
// INVALID among the cluster's AssociatedRoles, found by its ARN (the seed
// read element 0, whichever role it was, §1.1). A ResultSelector sees only
// the result and the context object, so the ARN is taken from the
// execution's input: RoleArn is a top-level field of this workflow's
// input contract.
func (e *Env) describeRole() *asl.Task {
	t := e.call("rds", "describeDBClusters", "$.Account.RoleArn", asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId"))))
	with := func(status string) *asl.Intrinsic {
		return asl.Call(asl.FnArrayContains,
			asl.Ref(fmt.Sprintf("$.DbClusters[0].AssociatedRoles[?(@.Status == '%s')].RoleArn", status)),
			asl.Ref("$$.Execution.Input.RoleArn"))
	}
	t.ResultSelector = asl.Obj(asl.Field("Active", with("ACTIVE")), asl.Field("Invalid", with("INVALID")))
	t.ResultPath = asl.At("$.Role")
	return t
}
