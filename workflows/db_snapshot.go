package workflows

import (
	"fmt"
	"maps"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// The snapshot workflows of the db group: they take or copy a snapshot of
// a source cluster, share it and its key with a destination account, and
// take all of that back once the destination has restored.

func dbSnapshotWorkflows() []*Workflow {
	return []*Workflow{createManualSnapshot(), copyLatestSnapshot(), shareSnapshot(), grantKey(),
		releaseSnapshot(), listSharedSnapshots()}
}

// Snapshot statuses from which a snapshot never becomes available: the
// failure states of the SDK's DBClusterSnapshotAvailable waiter.
var snapshotDeadEnds = []string{"deleted", "deleting", "failed", "incompatible-restore", "incompatible-parameters"}

// grantOperations are what the destination role needs on the source key
// to restore or clone what it encrypts: the list AWS gives for users of a
// shared encrypted snapshot's key (kms:CreateGrant, Decrypt, DescribeKey,
// Encrypt, GenerateDataKey*, ReEncrypt*), plus RetireGrant. RDS acts with
// the caller's permissions and creates a grant of its own on the key, and
// a grant made from a grant may only hold operations of its parent (KMS
// Developer Guide, Granting CreateGrant permission); the grants AWS
// services make for themselves hold RetireGrant too.
var grantOperations = asl.Array{
	asl.Str("Decrypt"), asl.Str("Encrypt"), asl.Str("GenerateDataKey"), asl.Str("GenerateDataKeyWithoutPlaintext"),
	asl.Str("ReEncryptFrom"), asl.Str("ReEncryptTo"), asl.Str("DescribeKey"), asl.Str("CreateGrant"), asl.Str("RetireGrant"),
}

// maxGrantPages bounds the listing of a key's grants, 100 a page.
const maxGrantPages = 50

// describeSnapshot describes, as the role at rolePath, the snapshot whose
// identifier or ARN is at idPath; the result lands at $.Snapshot. It never
// reads KmsKeyId: an unencrypted snapshot has none, and reading a missing
// field fails the execution (seed-workflows §1.3).
func (e *Env) describeSnapshot(rolePath, idPath string) *asl.Task {
	t := e.call("rds", "describeDBClusterSnapshots", rolePath, asl.Obj(asl.Field("DbClusterSnapshotIdentifier", asl.Ref(idPath))))
	t.ResultSelector = asl.Obj(
		asl.Field("Arn", asl.Ref("$.DbClusterSnapshots[0].DbClusterSnapshotArn")),
		asl.Field("ClusterId", asl.Ref("$.DbClusterSnapshots[0].DbClusterIdentifier")),
		asl.Field("Status", asl.Ref("$.DbClusterSnapshots[0].Status")),
		asl.Field("StorageEncrypted", asl.Ref("$.DbClusterSnapshots[0].StorageEncrypted")),
		asl.Field("TagList", asl.Ref("$.DbClusterSnapshots[0].TagList")),
	)
	t.ResultPath = asl.At("$.Snapshot")
	return t
}

// snapshotAvailable waits, up to 4 hours, until the snapshot at
// $.SnapshotId is available; a failed or deleted one fails at once.
func (e *Env) snapshotAvailable(name, rolePath, done string) poll {
	return poll{
		name: name, action: e.describeSnapshot(rolePath, "$.SnapshotId"), status: "$.Snapshot.Status",
		success: []string{"available"}, failure: snapshotDeadEnds,
		attempts: 480, interval: 30, done: done, what: "$.SnapshotId",
	}
}

// snapshotTaken sends a create call whose snapshot identifier is taken
// (a rerun) to reuseSnapshot.
var snapshotTaken = catchTo("Existing", asl.ErrRdsDbClusterSnapshotAlreadyExists)

// reuseSnapshot handles a snapshot identifier that is already taken: the
// snapshot is reused, by going on to next, only if refreshgen made it (the
// guard) and of the same cluster; anything else fails the workflow.
func (e *Env) reuseSnapshot(next string) asl.States {
	var s asl.States
	describe := e.describeSnapshot("$.Account.RoleArn", "$.SnapshotId")
	describe.Next = "Guard"
	s.Add("Existing", describe)
	s = merge(s, e.requireManaged("Guard", "$.Snapshot.TagList", "$.SnapshotId", "SameCluster"))
	s.Add("SameCluster", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.Snapshot.ClusterId", asl.Equals, "$.ClusterId"), next)},
		Default: "OtherCluster",
	})
	s.Add("OtherCluster", &asl.Fail{
		Error: ErrAlreadyExists,
		CausePath: asl.Format("Snapshot {} already exists, but it is a snapshot of cluster {}, not {}.",
			asl.Ref("$.SnapshotId"), asl.Ref("$.Snapshot.ClusterId"), asl.Ref("$.ClusterId")),
	})
	return s
}

// snapshotInput is the input of a workflow that makes a snapshot of a
// source cluster.
func snapshotInput(fields ...Field) *Shape {
	return clusterInput(append([]Field{
		Req("SnapshotId", Str("the identifier of the snapshot to make")),
		Req("Tags", tags()),
	}, fields...)...)
}

// exampleSnapshot is an example input of a workflow making a snapshot of
// a source cluster.
func exampleSnapshot(e *Env, extra map[string]any) map[string]any {
	in := map[string]any{
		"Account":    accountOf(e, exampleAccount(e, spec.RoleSource)),
		"ClusterId":  "example-cluster",
		"SnapshotId": "example-snapshot",
		"Tags":       exampleTags(e),
	}
	maps.Copy(in, extra)
	return in
}

// exampleGrant is an example input of a workflow granting the example key
// from the source account to a destination account.
func exampleGrant(e *Env, extra map[string]any) map[string]any {
	in := map[string]any{
		"Source":      accountOf(e, exampleAccount(e, spec.RoleSource)),
		"Destination": accountOf(e, exampleAccount(e, spec.RoleDestination)),
		"KmsKeyArn":   exampleKey(e, spec.RoleSource),
		"GrantName":   "refreshgen-example-run",
	}
	maps.Copy(in, extra)
	return in
}

func createManualSnapshot() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "create_manual_snapshot",
		Summary: "Take a manual snapshot of a source cluster (or reuse the one an earlier run took) and wait until it is available.",
		Input:   snapshotInput(),
		Output: Obj(Req("SnapshotId", Str("")), Req("SnapshotArn", Str("")),
			Req("StorageEncrypted", Boolean("whether the snapshot is encrypted"))),
		Timeout: 7 * 3600,
		build: func(e *Env) *asl.Machine {
			ready := poll{
				name: "WaitCluster", action: e.describeCluster("$.ClusterId"), status: "$.Cluster.Status",
				success: []string{"available"}, failure: append([]string{"stopped"}, clusterDeadEnds...),
				attempts: 240, interval: 30, done: "Create", what: "$.ClusterId",
			}
			taken := e.snapshotAvailable("WaitSnapshot", "$.Account.RoleArn", "Output")
			create := e.call("rds", "createDBClusterSnapshot", "$.Account.RoleArn", asl.Obj(
				asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId")),
				asl.Field("DbClusterSnapshotIdentifier", asl.Ref("$.SnapshotId")),
				asl.Field("Tags", asl.Ref("$.Tags")),
			))
			whileBusy(create, asl.ErrRdsInvalidDbClusterState)
			create.Catch = snapshotTaken
			create.ResultPath, create.Next = asl.Discard(), taken.entry()
			s := merge(nil, ready.states())
			s.Add("Create", create)
			s = merge(s, e.reuseSnapshot(taken.entry()), taken.states())
			succeed(&s, "Output", asl.Obj(
				asl.Field("SnapshotId", asl.Ref("$.SnapshotId")),
				asl.Field("SnapshotArn", asl.Ref("$.Snapshot.Arn")),
				asl.Field("StorageEncrypted", asl.Ref("$.Snapshot.StorageEncrypted")),
			))
			return &asl.Machine{Comment: "Take a manual snapshot of a source cluster, reusing refreshgen's own on a rerun.",
				StartAt: ready.entry(), States: s}
		},
		example: func(e *Env) map[string]any { return exampleSnapshot(e, nil) },
	}
}

func copyLatestSnapshot() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "copy_latest_snapshot",
		Summary: "Copy the newest available snapshot of a source cluster, automated or manual, to a manual snapshot that can be shared.",
		Input:   snapshotInput(Req("KmsKeyArn", Str("the KMS key the copy is encrypted with"))),
		Output: Obj(Req("SnapshotId", Str("")), Req("SnapshotArn", Str("")),
			Req("SourceSnapshotArn", Str("the snapshot that was copied"))),
		Timeout: 5 * 3600,
		build: func(e *Env) *asl.Machine {
			// Without SnapshotType, RDS lists both the automated and the
			// manual snapshots of the cluster.
			list := e.call("rds", "describeDBClusterSnapshots", "$.Account.RoleArn", asl.Obj(
				asl.Field("DbClusterIdentifier", asl.Ref("$.ClusterId")),
				asl.Field("MaxRecords", asl.Num(100)),
			))
			list.ResultSelector = asl.Obj(asl.Field("Snapshots", asl.Ref("$.DbClusterSnapshots[?(@.Status == 'available')]")))
			list.ResultPath, list.Next = asl.At("$.Found"), "Newest"
			copied := e.snapshotAvailable("WaitCopy", "$.Account.RoleArn", "Output")
			// Automated snapshots cannot be shared; their copy can.
			cp := e.call("rds", "copyDBClusterSnapshot", "$.Account.RoleArn", asl.Obj(
				asl.Field("SourceDBClusterSnapshotIdentifier", asl.Ref("$.Newest.Best.DbClusterSnapshotIdentifier")),
				asl.Field("TargetDBClusterSnapshotIdentifier", asl.Ref("$.SnapshotId")),
				asl.Field("KmsKeyId", asl.Ref("$.KmsKeyArn")),
				asl.Field("Tags", asl.Ref("$.Tags")),
			))
			cp.Catch = snapshotTaken
			cp.ResultPath, cp.Next = asl.Discard(), copied.entry()
			var s asl.States
			s.Add("List", list)
			s = merge(s, newest("Newest", "$.Found.Snapshots", "SnapshotCreateTime", "Copy", "NoSnapshot", 100))
			s.Add("NoSnapshot", &asl.Fail{
				Error:     ErrNoRecoveryPoint,
				CausePath: asl.Format("Cluster {} has no available snapshot, automated or manual, to copy.", asl.Ref("$.ClusterId")),
			})
			s.Add("Copy", cp)
			s = merge(s, e.reuseSnapshot(copied.entry()), copied.states())
			succeed(&s, "Output", asl.Obj(
				asl.Field("SnapshotId", asl.Ref("$.SnapshotId")),
				asl.Field("SnapshotArn", asl.Ref("$.Snapshot.Arn")),
				asl.Field("SourceSnapshotArn", asl.Ref("$.Newest.Best.DbClusterSnapshotArn")),
			))
			return &asl.Machine{Comment: "Copy the newest available snapshot of a source cluster to a manual snapshot.",
				StartAt: "List", States: s}
		},
		example: func(e *Env) map[string]any {
			return exampleSnapshot(e, map[string]any{"KmsKeyArn": exampleKey(e, spec.RoleSource)})
		},
	}
}

// grantInput is the input of a workflow granting the source key at
// KmsKeyArn to the destination role, in a grant called GrantName.
func grantInput(fields ...Field) *Shape {
	return Obj(append([]Field{
		Req("Source", account()),
		Req("Destination", account()),
		Req("KmsKeyArn", Str("the source KMS key")),
		Req("GrantName", Str("the grant's name, unique to the run so that release_snapshot finds it")),
	}, fields...)...)
}

// createGrant returns the Task that lets the destination role use the source
// key: a grant to the role, not to a fixed role name (seed-workflows
// §1.16). Its Name makes a retried call return the same grant instead of
// a second one (KMS API Reference, CreateGrant). The grant ID lands at
// $.Grant.GrantId.
func (e *Env) createGrant(next string) *asl.Task {
	t := e.call("kms", "createGrant", "$.Source.RoleArn", asl.Obj(
		asl.Field("KeyId", asl.Ref("$.KmsKeyArn")),
		asl.Field("GranteePrincipal", asl.Ref("$.Destination.RoleArn")),
		asl.Field("Operations", grantOperations),
		asl.Field("Name", asl.Ref("$.GrantName")),
	))
	t.ResultSelector = asl.Obj(asl.Field("GrantId", asl.Ref("$.GrantId")))
	t.ResultPath, t.Next = asl.At("$.Grant"), next
	return t
}

func shareSnapshot() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "share_snapshot",
		Summary: "Share a refreshgen snapshot and its KMS key with a destination account, and check that the account sees it.",
		Input:   grantInput(Req("SnapshotId", Str("the snapshot to share"))),
		Output:  Obj(Req("SnapshotArn", Str("what the destination restores from")), Req("GrantId", Str(""))),
		Timeout: 5 * 3600,
		build: func(e *Env) *asl.Machine {
			describe := e.describeSnapshot("$.Source.RoleArn", "$.SnapshotId")
			describe.Next = "Guard"
			available := e.snapshotAvailable("WaitSnapshot", "$.Source.RoleArn", "Grant")
			share := e.call("rds", "modifyDBClusterSnapshotAttribute", "$.Source.RoleArn", asl.Obj(
				asl.Field("DbClusterSnapshotIdentifier", asl.Ref("$.SnapshotId")),
				asl.Field("AttributeName", asl.Str("restore")),
				asl.Field("ValuesToAdd", asl.Call(asl.FnArray, asl.Ref("$.Destination.AccountId"))),
			))
			whileBusy(share, asl.ErrRdsInvalidDbClusterSnapshotState)
			share.ResultPath, share.Next = asl.Discard(), "Verify"
			var s asl.States
			s.Add("Describe", describe)
			s = merge(s, e.requireManaged("Guard", "$.Snapshot.TagList", "$.SnapshotId", available.entry()), available.states())
			s.Add("Grant", e.createGrant("Share"))
			s.Add("Share", share)
			s = merge(s, e.verifyShared("Output"))
			succeed(&s, "Output", asl.Obj(
				asl.Field("SnapshotArn", asl.Ref("$.Snapshot.Arn")),
				asl.Field("GrantId", asl.Ref("$.Grant.GrantId")),
			))
			return &asl.Machine{Comment: "Share a refreshgen snapshot and its key with a destination account.", StartAt: "Describe", States: s}
		},
		example: func(e *Env) map[string]any {
			return exampleGrant(e, map[string]any{"SnapshotId": "example-snapshot"})
		},
	}
}

// verifyShared checks, as the destination role and read-only, that the
// destination sees the snapshot at $.Snapshot.Arn. Sharing takes a moment
// to show, so a snapshot not found yet is asked for again for about four
// minutes.
func (e *Env) verifyShared(next string) asl.States {
	verify := e.call("rds", "describeDBClusterSnapshots", "$.Destination.RoleArn", asl.Obj(
		asl.Field("DbClusterSnapshotIdentifier", asl.Ref("$.Snapshot.Arn")),
		asl.Field("IncludeShared", asl.Bool(true)),
	))
	verify.Retry = append([]asl.Retrier{{ErrorEquals: []string{asl.ErrRdsDbClusterSnapshotNotFound},
		IntervalSeconds: 5, MaxAttempts: 8, BackoffRate: 1.5, MaxDelaySeconds: 60}}, verify.Retry...)
	// A wildcard path gives [] rather than failing when nothing is listed.
	verify.ResultSelector = asl.Obj(asl.Field("Arns", asl.Ref("$.DbClusterSnapshots[*].DbClusterSnapshotArn")))
	verify.ResultPath, verify.Next = asl.At("$.Visible"), "IsVisible"
	var s asl.States
	s.Add("Verify", verify)
	s.Add("IsVisible", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Visible.Arns[0]", true), next)},
		Default: "NotVisible",
	})
	s.Add("NotVisible", &asl.Fail{
		Error: ErrStepFailed,
		CausePath: asl.Format("Snapshot {} is shared with account {}, but that account does not see it.",
			asl.Ref("$.Snapshot.Arn"), asl.Ref("$.Destination.AccountId")),
	})
	return s
}

func grantKey() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "grant_key",
		Summary: "Let a destination account's refreshgen role use a source KMS key, for an Aurora clone.",
		Input:   grantInput(),
		Output:  Obj(Req("GrantId", Str(""))),
		Timeout: 900,
		build: func(e *Env) *asl.Machine {
			var s asl.States
			s.Add("Grant", e.createGrant("Output"))
			succeed(&s, "Output", asl.Obj(asl.Field("GrantId", asl.Ref("$.Grant.GrantId"))))
			return &asl.Machine{Comment: "Grant a source KMS key to a destination role.", StartAt: "Grant", States: s}
		},
		example: func(e *Env) map[string]any { return exampleGrant(e, nil) },
	}
}

func releaseSnapshot() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "release_snapshot",
		Summary: "Take back a shared refreshgen snapshot: revoke the run's key grants, stop sharing it and delete it.",
		Input: Obj(
			Req("Source", account()),
			Req("DestinationAccountId", Str("the account the snapshot was shared with")),
			Req("SnapshotId", Str("")),
			Req("KmsKeyArn", Str("the snapshot's key")),
			Req("GrantName", Str("the name of the run's grants")),
		),
		Output: Obj(Req("SnapshotId", Str("")), Req("Deleted", Boolean("false when the snapshot was already gone")),
			Req("GrantsRevoked", Num(""))),
		Timeout: 3600,
		build:   buildReleaseSnapshot,
		example: func(e *Env) map[string]any {
			return map[string]any{
				"Source":               accountOf(e, exampleAccount(e, spec.RoleSource)),
				"DestinationAccountId": exampleAccount(e, spec.RoleDestination).ID,
				"SnapshotId":           "example-snapshot",
				"KmsKeyArn":            exampleKey(e, spec.RoleSource),
				"GrantName":            "refreshgen-example-run",
			}
		},
	}
}

func buildReleaseSnapshot(e *Env) *asl.Machine {
	id := asl.Field("DbClusterSnapshotIdentifier", asl.Ref("$.SnapshotId"))
	describe := e.describeSnapshot("$.Source.RoleArn", "$.SnapshotId")
	describe.Catch = catchTo("AlreadyGone", asl.ErrRdsDbClusterSnapshotNotFound)
	describe.Next = "Guard"
	unshare := e.call("rds", "modifyDBClusterSnapshotAttribute", "$.Source.RoleArn", asl.Obj(id,
		asl.Field("AttributeName", asl.Str("restore")),
		asl.Field("ValuesToRemove", asl.Call(asl.FnArray, asl.Ref("$.DestinationAccountId"))),
	))
	whileBusy(unshare, asl.ErrRdsInvalidDbClusterSnapshotState)
	unshare.ResultPath, unshare.Next = asl.Discard(), "Delete"
	del := e.call("rds", "deleteDBClusterSnapshot", "$.Source.RoleArn", asl.Obj(id))
	whileBusy(del, asl.ErrRdsInvalidDbClusterSnapshotState)
	del.ResultPath, del.Next = asl.Discard(), "Deleted"
	var s asl.States
	s.Add("Describe", describe)
	s = merge(s, e.requireManaged("Guard", "$.Snapshot.TagList", "$.SnapshotId", "CountGrants"), e.revokeGrants("Unshare"))
	s.Add("Unshare", unshare)
	s.Add("Delete", del)
	s.Add("AlreadyGone", &asl.Pass{
		Parameters: asl.Obj(asl.Field("SnapshotId", asl.Ref("$.SnapshotId")), asl.Field("Deleted", asl.Bool(false)),
			asl.Field("GrantsRevoked", asl.Num(0))),
		Next: "Done",
	})
	succeed(&s, "Deleted", asl.Obj(asl.Field("SnapshotId", asl.Ref("$.SnapshotId")), asl.Field("Deleted", asl.Bool(true)),
		asl.Field("GrantsRevoked", asl.Ref("$.Revoked.Grants"))))
	return &asl.Machine{Comment: "Revoke a run's key grants, then stop sharing and delete its refreshgen snapshot.",
		StartAt: "Describe", States: s}
}

// revokeGrants revokes every grant on the key at $.KmsKeyArn named
// $.GrantName, counts them at $.Revoked.Grants and goes to next. KMS
// cannot find a grant by its name ("You cannot use the Name value to
// identify the grant in any AWS KMS operations", KMS Developer Guide), so
// this reads the key's grants 100 at a time, at most maxGrantPages pages.
func (e *Env) revokeGrants(next string) asl.States {
	list := func(marker ...asl.Member) *asl.Task {
		t := e.call("kms", "listGrants", "$.Source.RoleArn", asl.Obj(append([]asl.Member{
			asl.Field("KeyId", asl.Ref("$.KmsKeyArn")), asl.Field("Limit", asl.Num(100))}, marker...)...))
		t.ResultPath, t.Next = asl.At("$.Listing"), "RevokeNamed"
		return t
	}
	var s asl.States
	s.Add("CountGrants", &asl.Pass{Parameters: asl.Obj(asl.Field("Grants", asl.Num(0))), ResultPath: asl.At("$.Revoked"), Next: "CountPages"})
	s.Add("CountPages", &asl.Pass{Parameters: asl.Obj(asl.Field("Listed", asl.Num(1))), ResultPath: asl.At("$.Pages"), Next: "ListGrants"})
	s.Add("ListGrants", list())
	s.Add("RevokeNamed", &asl.Map{
		ItemsPath: "$.Listing.Grants",
		ItemSelector: asl.Obj(
			asl.Field("Source", asl.Ref("$.Source")),
			asl.Field("KmsKeyArn", asl.Ref("$.KmsKeyArn")),
			asl.Field("GrantName", asl.Ref("$.GrantName")),
			asl.Field("Grant", asl.Ref("$$.Map.Item.Value")),
		),
		ItemProcessor:  &asl.Processor{StartAt: "Named", States: e.revokeNamedStates()},
		MaxConcurrency: 10,
		ResultSelector: asl.Obj(asl.Field("Ids", asl.Ref(keptValues))),
		ResultPath:     asl.At("$.PageRevoked"),
		Next:           "Tally",
	})
	s.Add("Tally", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Grants", asl.Call(asl.FnMathAdd, asl.Ref("$.Revoked.Grants"),
			asl.Call(asl.FnArrayLength, asl.Ref("$.PageRevoked.Ids"))))),
		ResultPath: asl.At("$.Revoked"),
		Next:       "MoreGrants",
	})
	s.Add("MoreGrants", &asl.Choice{
		Comment: "KMS gives a NextMarker while there are more grants to read.",
		Choices: []asl.Rule{
			asl.When(asl.TypeTest(asl.IsPresent, "$.Listing.NextMarker", false), next),
			asl.When(asl.CompareNumber("$.Pages.Listed", asl.GreaterThanEquals, maxGrantPages), "TooManyGrants"),
		},
		Default: "NextPage",
	})
	s.Add("NextPage", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Listed", asl.Call(asl.FnMathAdd, asl.Ref("$.Pages.Listed"), asl.Num(1)))),
		ResultPath: asl.At("$.Pages"),
		Next:       "ListMoreGrants",
	})
	s.Add("ListMoreGrants", list(asl.Field("Marker", asl.Ref("$.Listing.NextMarker"))))
	s.Add("TooManyGrants", &asl.Fail{
		Error: ErrStepFailed,
		CausePath: asl.Format(fmt.Sprintf("Key {} has more than %d grants; refreshgen stopped looking for those named {}: revoke them by hand.",
			100*maxGrantPages), asl.Ref("$.KmsKeyArn"), asl.Ref("$.GrantName")),
	})
	return s
}

// revokeNamedStates revoke the grant at $.Grant if its name is
// $.GrantName (inside revokeGrants' Map). An unnamed grant may have no
// Name at all, hence the IsPresent test first.
func (e *Env) revokeNamedStates() asl.States {
	revoke := e.call("kms", "revokeGrant", "$.Source.RoleArn", asl.Obj(
		asl.Field("KeyId", asl.Ref("$.KmsKeyArn")),
		asl.Field("GrantId", asl.Ref("$.Grant.GrantId")),
	))
	revoke.ResultPath, revoke.Next = asl.Discard(), "Revoked"
	var s asl.States
	s.Add("Named", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Grant.Name", true), "SameName")},
		Default: "OtherGrant",
	})
	s.Add("SameName", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.Grant.Name", asl.Equals, "$.GrantName"), "Revoke")},
		Default: "OtherGrant",
	})
	s.Add("Revoke", revoke)
	s.Add("Revoked", keepItem("$.Grant.GrantId"))
	s.Add("OtherGrant", dropItem())
	return s
}

// keepItem and dropItem end an iteration of a Map that filters a list,
// which a JSONPath filter cannot do when the criterion is a value of the
// input: each iteration outputs a list holding the one value it keeps, or
// an empty list, and keptValues, an indefinite path, joins them (Jayway
// lists every match, and none when nothing was kept).
func keepItem(path string) *asl.Pass {
	return &asl.Pass{Parameters: asl.Obj(asl.Field("Kept", asl.Call(asl.FnArray, asl.Ref(path)))), OutputPath: asl.At("$.Kept"), End: true}
}

func dropItem() *asl.Pass { return &asl.Pass{Result: asl.Array{}, End: true} }

// keptValues reads the values keepItem kept from the Map's result.
const keptValues = "$[*][*]"

func listSharedSnapshots() *Workflow {
	summary := Obj(Req("SnapshotArn", Str("")), Req("ClusterId", Str("")), Req("Created", Str("")), Req("Status", Str("")))
	return &Workflow{
		Group: GroupDB, Key: "list_shared_snapshots",
		Summary: "List the cluster snapshots a source account shares with a destination account (troubleshooting).",
		Input:   Obj(Req("Account", account()), Req("SourceAccountId", Str("the account that owns the snapshots"))),
		Output: Obj(Req("Snapshots", List(summary)), Req("Count", Num("")),
			Req("Truncated", Boolean("whether more shared snapshots exist than the first 100 read"))),
		Timeout: 900,
		build:   buildListSharedSnapshots,
		example: func(e *Env) map[string]any {
			return map[string]any{
				"Account":         accountOf(e, exampleAccount(e, spec.RoleDestination)),
				"SourceAccountId": exampleAccount(e, spec.RoleSource).ID,
			}
		},
	}
}

// buildListSharedSnapshots reads one page of the snapshots shared with the
// account and keeps those of the source account. The owner is the fifth
// field of a snapshot's ARN (arn:partition:rds:region:account:...); a
// JSONPath filter cannot compare it with the input, so a Map splits each
// ARN (States.StringSplit) and keeps or drops its snapshot.
func buildListSharedSnapshots(e *Env) *asl.Machine {
	item := "$$.Map.Item.Value."
	list := e.call("rds", "describeDBClusterSnapshots", "$.Account.RoleArn", asl.Obj(
		asl.Field("SnapshotType", asl.Str("shared")),
		asl.Field("MaxRecords", asl.Num(100)),
	))
	list.ResultPath, list.Next = asl.At("$.Page"), "FromSource"
	var s asl.States
	s.Add("List", list)
	s.Add("FromSource", &asl.Map{
		ItemsPath: "$.Page.DbClusterSnapshots",
		ItemSelector: asl.Obj(
			asl.Field("SourceAccountId", asl.Ref("$.SourceAccountId")),
			asl.Field("Owner", asl.Call(asl.FnArrayGetItem,
				asl.Call(asl.FnStringSplit, asl.Ref(item+"DbClusterSnapshotArn"), asl.Str(":")), asl.Num(4))),
			asl.Field("Snapshot", asl.Obj(
				asl.Field("SnapshotArn", asl.Ref(item+"DbClusterSnapshotArn")),
				asl.Field("ClusterId", asl.Ref(item+"DbClusterIdentifier")),
				asl.Field("Created", asl.Ref(item+"SnapshotCreateTime")),
				asl.Field("Status", asl.Ref(item+"Status")),
			)),
		),
		ItemProcessor:  &asl.Processor{StartAt: "Owned", States: ownedStates()},
		ResultSelector: asl.Obj(asl.Field("Snapshots", asl.Ref(keptValues))),
		ResultPath:     asl.At("$.Owned"),
		Next:           "IsTruncated",
	})
	s.Add("IsTruncated", &asl.Choice{
		Comment: "RDS gives a Marker when there are more snapshots than the page holds.",
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Page.Marker", true), "OutputTruncated")},
		Default: "Output",
	})
	listing := func(truncated bool) *asl.Object {
		return asl.Obj(
			asl.Field("Snapshots", asl.Ref("$.Owned.Snapshots")),
			asl.Field("Count", asl.Call(asl.FnArrayLength, asl.Ref("$.Owned.Snapshots"))),
			asl.Field("Truncated", asl.Bool(truncated)),
		)
	}
	s.Add("OutputTruncated", &asl.Pass{Parameters: listing(true), Next: "Done"})
	succeed(&s, "Output", listing(false))
	return &asl.Machine{Comment: "List the cluster snapshots a source account shares with this account.", StartAt: "List", States: s}
}

// ownedStates keep the snapshot of an iteration of listSharedSnapshots'
// Map if the source account owns it.
func ownedStates() asl.States {
	var s asl.States
	s.Add("Owned", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.Owner", asl.Equals, "$.SourceAccountId"), "Keep")},
		Default: "Drop",
	})
	s.Add("Keep", keepItem("$.Snapshot"))
	s.Add("Drop", dropItem())
	return s
}
