package workflows

import (
	"slices"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// The shapes contracts share, so that every workflow names things the same
// way (the seed had five spellings of a cluster identifier, §12).

// account is where a workflow acts: an account and the refreshgen role in
// it that the workflow's calls assume (Credentials).
func account() *Shape {
	return Obj(
		Req("AccountId", Str("the 12-digit account ID")),
		Req("RoleArn", Str("the refreshgen role the calls assume in that account")),
	)
}

// tags is a list of {Key, Value}, the form RDS, EFS and Backup take.
func tags() *Shape {
	return List(Obj(Req("Key", Str("")), Req("Value", Str(""))))
}

// errorInfo is what a catcher records: the error name and its cause.
func errorInfo() *Shape {
	return Obj(Req("Error", Str("the error name")), Req("Cause", Str("what went wrong")))
}

// accountOf is an account's value in an example input.
func accountOf(e *Env, a *spec.Account) map[string]any {
	return map[string]any{"AccountId": a.ID, "RoleArn": e.AccountRoleARN(a)}
}

// exampleAccount is the account the example inputs act in for role: the
// first of the spec with that role.
func exampleAccount(e *Env, role spec.AccountRole) *spec.Account {
	return e.Spec.AccountsWithRole(role)[0]
}

// exampleKey is the ARN of an example KMS key of exampleAccount(e, role).
func exampleKey(e *Env, role spec.AccountRole) string {
	return e.ARN("kms", exampleAccount(e, role).ID, "key/00000000-0000-4000-8000-000000000000")
}

// exampleTags are the tags a caller passes: at least the managed tag.
func exampleTags(e *Env) []map[string]string {
	tag := e.ManagedTag()
	return []map[string]string{{"Key": tag.Key, "Value": tag.Value}}
}

// Library returns every workflow of the library, group by group.
func Library() []*Workflow {
	return slices.Concat(
		dbClusterWorkflows(),
		dbRestoreWorkflows(),
		dbSnapshotWorkflows(),
		dbShareWorkflows(),
		dbSQLWorkflows(),
		dbJobWorkflows(),
		efsWorkflows(),
		eksWorkflows(),
		utilsWorkflows(),
	)
}

// clusterDescription selects what the cluster workflows need from a
// describeDBClusters response.
func clusterDescription() *asl.Object {
	return asl.Obj(
		asl.Field("Id", asl.Ref("$.DbClusters[0].DbClusterIdentifier")),
		asl.Field("Arn", asl.Ref("$.DbClusters[0].DbClusterArn")),
		asl.Field("Status", asl.Ref("$.DbClusters[0].Status")),
		asl.Field("TagList", asl.Ref("$.DbClusters[0].TagList")),
		asl.Field("Members", asl.Ref("$.DbClusters[0].DbClusterMembers")),
		asl.Field("DeletionProtection", asl.Ref("$.DbClusters[0].DeletionProtection")),
	)
}

// Cluster statuses (Aurora) from which a cluster never becomes available
// by waiting: a polling loop fails fast on them instead of waiting out its
// attempts (seed-workflows §9: only 2 of 24 loops checked for these).
var clusterDeadEnds = []string{
	"inaccessible-encryption-credentials", "cloning-failed", "migration-failed",
}

// Instance statuses with no way back to available.
var instanceDeadEnds = []string{
	"failed", "incompatible-network", "incompatible-option-group", "incompatible-parameters",
	"incompatible-restore", "inaccessible-encryption-credentials", "restore-error", "storage-full",
}
