package awsmock

import (
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// The error names the model raises are those the workflows catch.
func TestRDSErrorNames(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	const describe = "aws-sdk:rds:describeDBClusters"
	h.fails(staging, describe, map[string]any{"DbClusterIdentifier": "nope"}, asl.ErrRdsDbClusterNotFound)
	h.fails(staging, "aws-sdk:rds:describeDBInstances", map[string]any{"DbInstanceIdentifier": "nope"}, asl.ErrRdsDbInstanceNotFound)
	h.fails(staging, "aws-sdk:rds:describeDBClusterSnapshots", map[string]any{"DbClusterSnapshotIdentifier": "nope"}, asl.ErrRdsDbClusterSnapshotNotFound)
	h.fails(staging, "aws-sdk:rds:createDBInstance", map[string]any{
		"DbInstanceIdentifier": "staging-app-1", "DbClusterIdentifier": "staging-app", "DbInstanceClass": "db.r6g.large", "Engine": "aurora-mysql",
	}, asl.ErrRdsDbInstanceAlreadyExists)
	// A parameter the API does not take: Step Functions refuses the
	// definition, so the model fails loudly and uncatchably.
	err := h.fails(staging, describe, map[string]any{"DBClusterIdentifier": "staging-app"}, asl.ErrRuntime)
	if !strings.Contains(err.Cause, "takes no parameter DBClusterIdentifier") {
		t.Errorf("cause %q", err.Cause)
	}
	// An operation without a model fails loudly too.
	err = h.fails(staging, "aws-sdk:rds:rebootDBCluster", map[string]any{"DbClusterIdentifier": "staging-app"}, asl.ErrTaskFailed)
	if err.Cause != "awsmock: no model for rds:rebootDBCluster" {
		t.Errorf("cause %q", err.Cause)
	}
}

// The seeded estate is what the refreshes expect before their first run.
func TestSeededEstate(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	src := h.ok(h.role("production"), "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "prod-app"})
	c := get(src, "DbClusters", 0)
	if get(c, "Status") != "available" || get(c, "StorageEncrypted") != true || get(c, "KmsKeyId") != h.s.Auroras[0].KMSKeyARN {
		t.Errorf("source cluster: %v", c)
	}
	dst := h.ok(h.role("staging"), "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "staging-app"})
	for _, tag := range get(dst, "DbClusters", 0, "TagList").([]any) {
		if get(tag, "Key") == h.s.Project.ManagedTag.Key {
			t.Errorf("the target carries the managed tag before refreshgen adopts it")
		}
	}
	snaps := h.ok(h.role("production"), "aws-sdk:rds:describeDBClusterSnapshots", map[string]any{"DbClusterIdentifier": "prod-app", "SnapshotType": "automated"})
	if n := len(get(snaps, "DbClusterSnapshots").([]any)); n != 7 {
		t.Errorf("%d automated snapshots, want a week's", n)
	}
}

// A snapshot shared across accounts: creating -> available, then visible
// to the destination by ARN with IncludeShared, restorable once the
// destination role holds a grant on the source key.
func TestShareAndRestore(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	prod, staging := h.role("production"), h.role("staging")
	key := h.s.Auroras[0].KMSKeyARN
	out := h.ok(prod, "aws-sdk:rds:createDBClusterSnapshot", map[string]any{
		"DbClusterIdentifier": "prod-app", "DbClusterSnapshotIdentifier": "Refresh-1",
		"Tags": []any{map[string]any{"Key": "refreshgen:managed", "Value": "true"}},
	})
	arn := get(out, "DbClusterSnapshot", "DbClusterSnapshotArn").(string)
	if get(out, "DbClusterSnapshot", "Status") != "creating" || !strings.HasSuffix(arn, ":cluster-snapshot:refresh-1") {
		t.Fatalf("new snapshot: %v", out)
	}
	h.fails(prod, "aws-sdk:rds:createDBClusterSnapshot", map[string]any{"DbClusterIdentifier": "prod-app", "DbClusterSnapshotIdentifier": "refresh-1"},
		asl.ErrRdsDbClusterSnapshotAlreadyExists)
	share := map[string]any{"DbClusterSnapshotIdentifier": "refresh-1", "AttributeName": "restore", "ValuesToAdd": []any{"222222222222"}}
	h.fails(prod, "aws-sdk:rds:modifyDBClusterSnapshotAttribute", share, asl.ErrRdsInvalidDbClusterSnapshotState)
	h.after(8 * time.Minute)
	visible := map[string]any{"DbClusterSnapshotIdentifier": arn, "IncludeShared": true}
	h.fails(staging, "aws-sdk:rds:describeDBClusterSnapshots", visible, asl.ErrRdsDbClusterSnapshotNotFound)
	h.ok(prod, "aws-sdk:rds:modifyDBClusterSnapshotAttribute", share)
	seen := h.ok(staging, "aws-sdk:rds:describeDBClusterSnapshots", visible)
	if s := get(seen, "DbClusterSnapshots", 0); get(s, "SnapshotType") != "shared" || len(get(s, "TagList").([]any)) != 0 || get(s, "Status") != "available" {
		t.Errorf("the shared snapshot as the destination sees it: %v", s)
	}
	h.fails(staging, "aws-sdk:rds:describeDBClusterSnapshots", map[string]any{"DbClusterSnapshotIdentifier": arn}, asl.ErrRdsDbClusterSnapshotNotFound)

	restore := map[string]any{
		"DbClusterIdentifier": "staging-app-restore", "SnapshotIdentifier": arn, "Engine": "aurora-mysql",
		"KmsKeyId": h.s.Refreshes[1].Databases[0].KMSKeyARN, "DbSubnetGroupName": "staging-db",
	}
	h.fails(staging, "aws-sdk:rds:restoreDBClusterFromSnapshot", restore, asl.ErrRdsKmsKeyNotAccessible)
	h.ok(prod, "aws-sdk:kms:createGrant", map[string]any{"KeyId": key, "GranteePrincipal": staging, "Name": "run-1",
		"Operations": []any{"Decrypt", "DescribeKey", "CreateGrant"}})
	created := h.ok(staging, "aws-sdk:rds:restoreDBClusterFromSnapshot", restore)
	if get(created, "DbCluster", "Status") != "creating" {
		t.Errorf("restored cluster: %v", created)
	}
	h.fails(staging, "aws-sdk:rds:restoreDBClusterFromSnapshot", restore, asl.ErrRdsDbClusterAlreadyExists)
	h.ok(staging, "aws-sdk:rds:createDBInstance", map[string]any{"DbInstanceIdentifier": "staging-app-restore-1",
		"DbClusterIdentifier": "staging-app-restore", "DbInstanceClass": "db.r6g.large", "Engine": "aurora-mysql"})
	status := func() (string, string) {
		c := h.ok(staging, "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "staging-app-restore"})
		i := h.ok(staging, "aws-sdk:rds:describeDBInstances", map[string]any{"DbInstanceIdentifier": "staging-app-restore-1"})
		return get(c, "DbClusters", 0, "Status").(string), get(i, "DbInstances", 0, "DbInstanceStatus").(string)
	}
	if c, i := status(); c != "creating" || i != "creating" {
		t.Errorf("right after the restore: cluster %s, instance %s", c, i)
	}
	h.after(18 * time.Minute)
	if c, i := status(); c != "available" || i != "creating" {
		t.Errorf("after 18 minutes: cluster %s, instance %s", c, i)
	}
	h.after(11 * time.Minute)
	if c, i := status(); c != "available" || i != "available" {
		t.Errorf("after 29 minutes: cluster %s, instance %s", c, i)
	}
}

// A rename: the old id answers for a moment, then the new one, renaming
// until it is available again.
func TestRenameCluster(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	describe := func(id string) (string, *string) {
		out, err := h.call(staging, "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": id})
		if err != nil {
			return err.Name, nil
		}
		arn := get(out, "DbClusters", 0, "DbClusterArn").(string)
		return get(out, "DbClusters", 0, "Status").(string), &arn
	}
	rename := map[string]any{"DbClusterIdentifier": "staging-app", "NewDBClusterIdentifier": "staging-app-old"}
	h.ok(staging, "aws-sdk:rds:modifyDBCluster", rename)
	if st, _ := describe("staging-app-old"); st != asl.ErrRdsDbClusterNotFound {
		t.Errorf("without ApplyImmediately the rename waits for the maintenance window, yet the new id answers %s", st)
	}
	rename["ApplyImmediately"] = true
	h.fails(staging, "aws-sdk:rds:modifyDBCluster", map[string]any{"DbClusterIdentifier": "staging-app", "NewDBClusterIdentifier": "2-bad", "ApplyImmediately": true}, "Rds.RdsException")
	h.ok(staging, "aws-sdk:rds:modifyDBCluster", rename)
	if st, _ := describe("staging-app"); st != "renaming" {
		t.Errorf("the old id during the rename: %s", st)
	}
	if st, _ := describe("staging-app-old"); st != asl.ErrRdsDbClusterNotFound {
		t.Errorf("the new id right after the rename: %s", st)
	}
	h.after(45 * time.Second)
	if st, _ := describe("staging-app"); st != asl.ErrRdsDbClusterNotFound {
		t.Errorf("the old id after the rename shows: %s", st)
	}
	st, arn := describe("staging-app-old")
	if st != "renaming" || arn == nil || !strings.HasSuffix(*arn, ":cluster:staging-app-old") {
		t.Errorf("the new id: %s %v", st, arn)
	}
	h.after(time.Minute)
	if st, _ := describe("staging-app-old"); st != "available" {
		t.Errorf("the new id after the rename: %s", st)
	}
	// Its instance kept its name and follows the cluster.
	i := h.ok(staging, "aws-sdk:rds:describeDBInstances", map[string]any{"DbInstanceIdentifier": "staging-app-1"})
	if get(i, "DbInstances", 0, "DbClusterIdentifier") != "staging-app-old" {
		t.Errorf("the instance's cluster: %v", get(i, "DbInstances", 0, "DbClusterIdentifier"))
	}
}

// Stop, start and delete follow RDS's rules on the statuses they need.
func TestClusterStopStartDelete(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	id := map[string]any{"DbClusterIdentifier": "staging-app"}
	h.fails(staging, "aws-sdk:rds:startDBCluster", id, asl.ErrRdsInvalidDbClusterState)
	h.ok(staging, "aws-sdk:rds:stopDBCluster", id)
	h.fails(staging, "aws-sdk:rds:stopDBCluster", id, asl.ErrRdsInvalidDbClusterState)
	h.after(7 * time.Minute)
	c := h.ok(staging, "aws-sdk:rds:describeDBClusters", id)
	if get(c, "DbClusters", 0, "Status") != "stopped" {
		t.Errorf("after stopping: %v", get(c, "DbClusters", 0, "Status"))
	}
	h.fails(staging, "aws-sdk:rds:deleteDBInstance", map[string]any{"DbInstanceIdentifier": "staging-app-1"}, asl.ErrRdsInvalidDbClusterState)
	h.ok(staging, "aws-sdk:rds:startDBCluster", id)
	h.after(8 * time.Minute)
	del := map[string]any{"DbClusterIdentifier": "staging-app", "SkipFinalSnapshot": false, "FinalDBSnapshotIdentifier": "staging-app-final"}
	err := h.fails(staging, "aws-sdk:rds:deleteDBCluster", del, asl.ErrRdsInvalidDbClusterState)
	if !strings.Contains(err.Cause, "still contains DB instances") {
		t.Errorf("cause %q", err.Cause)
	}
	h.ok(staging, "aws-sdk:rds:deleteDBInstance", map[string]any{"DbInstanceIdentifier": "staging-app-1", "SkipFinalSnapshot": true})
	h.ok(staging, "aws-sdk:rds:deleteDBCluster", del)
	h.after(5 * time.Minute)
	h.fails(staging, "aws-sdk:rds:describeDBClusters", id, asl.ErrRdsDbClusterNotFound)
	h.after(2 * time.Minute)
	snap := h.ok(staging, "aws-sdk:rds:describeDBClusterSnapshots", map[string]any{"DbClusterSnapshotIdentifier": "staging-app-final"})
	if get(snap, "DbClusterSnapshots", 0, "Status") != "available" {
		t.Errorf("the final snapshot: %v", snap)
	}
	// Production's cluster is protected.
	h.fails(h.role("production"), "aws-sdk:rds:deleteDBCluster", map[string]any{"DbClusterIdentifier": "prod-app", "SkipFinalSnapshot": true}, "Rds.RdsException")
}

// ManageMasterUserPassword hands the password to a secret RDS creates.
func TestMasterUserSecret(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	id := map[string]any{"DbClusterIdentifier": "staging-app"}
	h.ok(staging, "aws-sdk:rds:modifyDBCluster", map[string]any{"DbClusterIdentifier": "staging-app", "ManageMasterUserPassword": true,
		"MasterUserSecretKmsKeyId": h.s.Refreshes[1].Databases[0].KMSKeyARN, "ApplyImmediately": true})
	c := get(h.ok(staging, "aws-sdk:rds:describeDBClusters", id), "DbClusters", 0)
	if get(c, "Status") != "modifying" || get(c, "MasterUserSecret", "SecretStatus") != "creating" {
		t.Errorf("right after: %v %v", get(c, "Status"), get(c, "MasterUserSecret"))
	}
	h.after(2 * time.Minute)
	c = get(h.ok(staging, "aws-sdk:rds:describeDBClusters", id), "DbClusters", 0)
	if get(c, "Status") != "available" || get(c, "MasterUserSecret", "SecretStatus") != "active" {
		t.Errorf("after two minutes: %v %v", get(c, "Status"), get(c, "MasterUserSecret"))
	}
	arn := get(c, "MasterUserSecret", "SecretArn").(string)
	s := h.ok(staging, "aws-sdk:secretsmanager:describeSecret", map[string]any{"SecretId": arn})
	if get(s, "OwningService") != "rds" || !strings.HasPrefix(get(s, "Name").(string), "rds!cluster-") {
		t.Errorf("the master user secret: %v", s)
	}
}

// Tags: added, listed, and in TagList.
func TestRDSTags(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	arn := "arn:aws:rds:eu-west-1:222222222222:cluster:staging-app"
	h.ok(staging, "aws-sdk:rds:addTagsToResource", map[string]any{"ResourceName": arn,
		"Tags": []any{map[string]any{"Key": "refreshgen:managed", "Value": "true"}}})
	list := h.ok(staging, "aws-sdk:rds:listTagsForResource", map[string]any{"ResourceName": arn})
	if !tagsOf(list["TagList"]).has("refreshgen:managed", "true") {
		t.Errorf("tags: %v", list)
	}
	c := h.ok(staging, "aws-sdk:rds:describeDBClusters", map[string]any{"DbClusterIdentifier": "staging-app"})
	if !tagsOf(get(c, "DbClusters", 0, "TagList")).has("refreshgen:managed", "true") {
		t.Errorf("TagList: %v", get(c, "DbClusters", 0, "TagList"))
	}
	h.fails(staging, "aws-sdk:rds:addTagsToResource", map[string]any{"ResourceName": "arn:aws:rds:eu-west-1:111111111111:cluster:prod-app",
		"Tags": []any{}}, "Rds.RdsException")
}

func tagsOf(v any) tags {
	var out tags
	list, _ := v.([]any)
	for _, x := range list {
		out = out.set(get(x, "Key").(string), get(x, "Value").(string))
	}
	return out
}

// Automated snapshots follow the clock: a day later there is a new one.
func TestAutomatedSnapshots(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	prod := h.role("production")
	list := func() []any {
		out := h.ok(prod, "aws-sdk:rds:describeDBClusterSnapshots", map[string]any{"DbClusterIdentifier": "prod-app", "MaxRecords": 100})
		return out["DbClusterSnapshots"].([]any)
	}
	before := list()
	h.after(3*time.Hour + 20*time.Minute) // past the backup window
	after := list()
	if len(after) != len(before) {
		t.Fatalf("%d snapshots, then %d: a new one, the oldest expired", len(before), len(after))
	}
	newest := after[len(after)-1]
	if get(newest, "DbClusterSnapshotIdentifier") != "rds:prod-app-2026-01-01-03-05" || get(newest, "Status") != "available" {
		t.Errorf("newest: %v", newest)
	}
	h.fails(prod, "aws-sdk:rds:describeDBClusterSnapshots", map[string]any{"DbClusterIdentifier": "prod-app", "MaxRecords": 10}, "Rds.RdsException")
}
