package workflows

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// The tests of the snapshot, SQL and Job workflows check each machine's
// calls and guard statically, then run it in the simulator (package sim)
// against scripted AWS answers.

// ourWorkflows are the workflows of db_snapshot.go, db_sql.go and
// db_jobs.go, with the calls each makes: integration -> the role of each
// call, in the order of the machine's states.
var ourWorkflows = []struct {
	group Group
	key   string
	calls map[string][]string
}{
	{GroupDB, "create_manual_snapshot", map[string][]string{
		"rds:describeDBClusters": {roleAccount}, "rds:createDBClusterSnapshot": {roleAccount},
		"rds:describeDBClusterSnapshots": repeated(roleAccount, 2)}},
	{GroupDB, "copy_latest_snapshot", map[string][]string{
		"rds:describeDBClusterSnapshots": repeated(roleAccount, 3), "rds:copyDBClusterSnapshot": {roleAccount}}},
	{GroupDB, "share_snapshot", map[string][]string{
		"rds:describeDBClusterSnapshots":       {roleSource, roleSource, roleDestination},
		"kms:createGrant":                      {roleSource},
		"rds:modifyDBClusterSnapshotAttribute": {roleSource}}},
	{GroupDB, "grant_key", map[string][]string{"kms:createGrant": {roleSource}}},
	{GroupDB, "release_snapshot", map[string][]string{
		"rds:describeDBClusterSnapshots": {roleSource}, "kms:listGrants": repeated(roleSource, 2),
		"kms:revokeGrant": {roleSource}, "rds:modifyDBClusterSnapshotAttribute": {roleSource},
		"rds:deleteDBClusterSnapshot": {roleSource}}},
	{GroupDB, "list_shared_snapshots", map[string][]string{"rds:describeDBClusterSnapshots": {roleAccount}}},
	{GroupDB, "run_sql_lambda", map[string][]string{"lambda:invoke": repeated(roleAccount, 2)}},
	{GroupDB, "run_sql_from_s3", map[string][]string{"lambda:invoke": repeated(roleAccount, 4)}},
	{GroupDB, "run_mysqldump_on_eks", map[string][]string{"eks:describeCluster": {roleAccount}, "eks:runJob": {roleAccount}}},
	{GroupDB, "run_mysqlimport_on_eks", map[string][]string{"eks:describeCluster": {roleAccount}, "eks:runJob": {roleAccount}}},
	{GroupUtils, "run_archive_job", map[string][]string{"eks:describeCluster": {roleAccount}, "eks:runJob": {roleAccount}}},
}

// TestOurWorkflows pins each machine's integrations and the role each
// runs as (a source workflow acts with the source role only), and checks
// that it uses canonical error names only and that it never reads a
// secret nor sends a password anywhere (§14.6).
func TestOurWorkflows(t *testing.T) {
	for _, w := range ourWorkflows {
		m := machineOf(t, w.group, w.key)
		wantCalls(t, m, w.calls)
		if m.Workflow.Summary == "" || m.Definition.Comment == "" || m.Definition.TimeoutSeconds <= 0 || m.Workflow.example == nil {
			t.Errorf("%s needs a Summary, a Comment, a Timeout and an example", w.key)
		}
		wantCanonicalErrors(t, m)
		data, err := asl.Marshal(m.Definition)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"getsecretvalue", "password", "secretstring"} {
			if strings.Contains(strings.ToLower(string(data)), bad) {
				t.Errorf("%s mentions %s", w.key, bad)
			}
		}
	}
}

// snapshotAnswer is a describeDBClusterSnapshots answer for one snapshot
// of cluster example-cluster, with the managed tag when managed. It has no
// KmsKeyId, as for an unencrypted snapshot.
func snapshotAnswer(status string, managed bool) sim.Result {
	return answer(map[string]any{"DbClusterSnapshots": []map[string]any{{
		"DbClusterSnapshotIdentifier": "example-snapshot",
		"DbClusterSnapshotArn":        "arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:example-snapshot",
		"DbClusterIdentifier":         "example-cluster",
		"Status":                      status,
		"StorageEncrypted":            false,
		"TagList":                     resourceTags(managed),
	}}})
}

func TestCreateManualSnapshot(t *testing.T) {
	in := exampleInput(t, GroupDB, "create_manual_snapshot", nil)
	t.Run("waits for the cluster, then for the snapshot", func(t *testing.T) {
		x := simulate(t, GroupDB, "create_manual_snapshot", in, map[string][]sim.Result{
			"WaitCluster":  {clusterAnswer("example-cluster", "backing-up", false), clusterAnswer("example-cluster", "available", false)},
			"Create":       {answer(map[string]any{})},
			"WaitSnapshot": {snapshotAnswer("creating", true), snapshotAnswer("available", true)},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"SnapshotArn":"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:example-snapshot","SnapshotId":"example-snapshot","StorageEncrypted":false}`)
		create := callsIn(x, "Create")
		if len(create) != 1 || len(callsIn(x, "WaitCluster")) != 2 {
			t.Fatalf("calls: %v", x.Calls)
		}
		wantJSON(t, "tags", param(create[0], "Tags"), asJSON(t, in["Tags"]))
	})
	t.Run("a rerun reuses refreshgen's snapshot of the same cluster", func(t *testing.T) {
		x := simulate(t, GroupDB, "create_manual_snapshot", in, map[string][]sim.Result{
			"WaitCluster":  {clusterAnswer("example-cluster", "available", false)},
			"Create":       {failure(asl.ErrRdsDbClusterSnapshotAlreadyExists)},
			"Existing":     {snapshotAnswer("available", true)},
			"WaitSnapshot": {snapshotAnswer("available", true)},
		})
		wantStatus(t, x, sim.Succeeded, "")
	})
	t.Run("a snapshot refreshgen did not make is not reused", func(t *testing.T) {
		x := simulate(t, GroupDB, "create_manual_snapshot", in, map[string][]sim.Result{
			"WaitCluster": {clusterAnswer("example-cluster", "available", false)},
			"Create":      {failure(asl.ErrRdsDbClusterSnapshotAlreadyExists)},
			"Existing":    {snapshotAnswer("available", false)},
		})
		wantStatus(t, x, sim.Failed, ErrNotManaged)
	})
	t.Run("a snapshot of another cluster is not reused", func(t *testing.T) {
		other := exampleInput(t, GroupDB, "create_manual_snapshot", map[string]any{"ClusterId": "other-cluster"})
		x := simulate(t, GroupDB, "create_manual_snapshot", other, map[string][]sim.Result{
			"WaitCluster": {clusterAnswer("example-cluster", "available", false)},
			"Create":      {failure(asl.ErrRdsDbClusterSnapshotAlreadyExists)},
			"Existing":    {snapshotAnswer("available", true)},
		})
		wantStatus(t, x, sim.Failed, ErrAlreadyExists)
	})
	t.Run("a failed snapshot fails at once", func(t *testing.T) {
		x := simulate(t, GroupDB, "create_manual_snapshot", in, map[string][]sim.Result{
			"WaitCluster":  {clusterAnswer("example-cluster", "available", false)},
			"Create":       {answer(map[string]any{})},
			"WaitSnapshot": {snapshotAnswer("failed", true)},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
		if n := len(callsIn(x, "WaitSnapshot")); n != 1 {
			t.Errorf("polled %d times", n)
		}
	})
	t.Run("a stopped source cluster fails at once", func(t *testing.T) {
		x := simulate(t, GroupDB, "create_manual_snapshot", in, map[string][]sim.Result{"WaitCluster": {clusterAnswer("example-cluster", "stopped", false)}})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
	})
}

func TestCopyLatestSnapshot(t *testing.T) {
	in := exampleInput(t, GroupDB, "copy_latest_snapshot", nil)
	snapshot := func(id, status, created string) map[string]any {
		return map[string]any{"DbClusterSnapshotIdentifier": id, "Status": status, "SnapshotCreateTime": created,
			"DbClusterSnapshotArn": "arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:" + id}
	}
	t.Run("copies the newest available snapshot", func(t *testing.T) {
		listed := answer(map[string]any{"DbClusterSnapshots": []map[string]any{
			snapshot("rds:example-cluster-2026-01-02", "available", "2026-01-02T03:00:00Z"),
			snapshot("manual-new", "creating", "2026-01-04T03:00:00Z"),
			snapshot("rds:example-cluster-2026-01-03", "available", "2026-01-03T03:00:00Z"),
			snapshot("rds:example-cluster-2026-01-01", "available", "2026-01-01T03:00:00Z"),
		}})
		x := simulate(t, GroupDB, "copy_latest_snapshot", in, map[string][]sim.Result{
			"List": {listed}, "Copy": {answer(map[string]any{})}, "WaitCopy": {snapshotAnswer("available", true)},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "copy", callsIn(x, "Copy")[0].Parameters, asJSON(t, map[string]any{
			"KmsKeyId": in["KmsKeyArn"], "SourceDBClusterSnapshotIdentifier": "rds:example-cluster-2026-01-03",
			"Tags": in["Tags"], "TargetDBClusterSnapshotIdentifier": "example-snapshot",
		}))
		wantJSON(t, "source", x.Output.(map[string]any)["SourceSnapshotArn"],
			`"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:rds:example-cluster-2026-01-03"`)
	})
	t.Run("no available snapshot fails clearly", func(t *testing.T) {
		x := simulate(t, GroupDB, "copy_latest_snapshot", in, map[string][]sim.Result{
			"List": {answer(map[string]any{"DbClusterSnapshots": []map[string]any{snapshot("rds:x", "creating", "2026-01-04T03:00:00Z")}})},
		})
		wantStatus(t, x, sim.Failed, ErrNoRecoveryPoint)
	})
	t.Run("a rerun reuses refreshgen's copy", func(t *testing.T) {
		x := simulate(t, GroupDB, "copy_latest_snapshot", in, map[string][]sim.Result{
			"List":     {answer(map[string]any{"DbClusterSnapshots": []map[string]any{snapshot("rds:x", "available", "2026-01-04T03:00:00Z")}})},
			"Copy":     {failure(asl.ErrRdsDbClusterSnapshotAlreadyExists)},
			"Existing": {snapshotAnswer("copying", true)}, "WaitCopy": {snapshotAnswer("available", true)},
		})
		wantStatus(t, x, sim.Succeeded, "")
	})
}

func TestShareSnapshot(t *testing.T) {
	in := exampleInput(t, GroupDB, "share_snapshot", nil)
	visible := answer(map[string]any{"DbClusterSnapshots": []map[string]any{
		{"DbClusterSnapshotArn": "arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:example-snapshot"}}})
	t.Run("grants the key to the destination role, shares, and checks from the destination", func(t *testing.T) {
		x := simulate(t, GroupDB, "share_snapshot", in, map[string][]sim.Result{
			"Describe":     {snapshotAnswer("available", true)},
			"WaitSnapshot": {snapshotAnswer("available", true)},
			"Grant":        {answer(map[string]any{"GrantId": "g-1", "GrantToken": "token"})},
			"Share":        {answer(map[string]any{})},
			"Verify":       {failure(asl.ErrRdsDbClusterSnapshotNotFound), visible},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"GrantId":"g-1","SnapshotArn":"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:example-snapshot"}`)
		dst, src := in["Destination"].(map[string]any), in["Source"].(map[string]any)
		grant := callsIn(x, "Grant")[0]
		wantJSON(t, "grant", grant.Parameters, asJSON(t, map[string]any{
			"GranteePrincipal": dst["RoleArn"], "KeyId": in["KmsKeyArn"], "Name": in["GrantName"],
			"Operations": []string{"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
				"ReEncryptFrom", "ReEncryptTo", "DescribeKey", "CreateGrant", "RetireGrant"},
		}))
		if grant.RoleArn != src["RoleArn"] {
			t.Errorf("grant made as %s", grant.RoleArn)
		}
		wantJSON(t, "share", param(callsIn(x, "Share")[0], "ValuesToAdd"), asJSON(t, []any{dst["AccountId"]}))
		verify := callsIn(x, "Verify")
		if len(verify) != 2 || verify[1].RoleArn != dst["RoleArn"] {
			t.Errorf("verify calls: %+v", verify)
		}
	})
	t.Run("a snapshot refreshgen did not make is neither granted nor shared", func(t *testing.T) {
		x := simulate(t, GroupDB, "share_snapshot", in, map[string][]sim.Result{"Describe": {snapshotAnswer("available", false)}})
		wantStatus(t, x, sim.Failed, ErrNotManaged)
		if len(x.Calls) != 1 {
			t.Errorf("made calls after the guard refused: %v", x.Calls)
		}
	})
	t.Run("a snapshot the destination cannot see fails", func(t *testing.T) {
		x := simulate(t, GroupDB, "share_snapshot", in, map[string][]sim.Result{
			"Describe": {snapshotAnswer("available", true)}, "WaitSnapshot": {snapshotAnswer("available", true)},
			"Grant": {answer(map[string]any{"GrantId": "g-1"})}, "Share": {answer(map[string]any{})},
			"Verify": {answer(map[string]any{"DbClusterSnapshots": []any{}})},
		})
		wantStatus(t, x, sim.Failed, ErrStepFailed)
	})
}

// TestDestinationOnlyReads: the destination role never changes anything
// in the source account.
func TestDestinationOnlyReads(t *testing.T) {
	m := machineOf(t, GroupDB, "share_snapshot").Definition
	for l := range m.Walk() {
		task, ok := l.State.(*asl.Task)
		if !ok || task.Credentials == nil || task.Credentials.RoleArn != asl.Ref("$.Destination.RoleArn") {
			continue
		}
		in, _, _ := asl.ParseIntegration(task.Resource)
		if !strings.HasPrefix(in.Action, "describe") {
			t.Errorf("%s: the destination role calls %s:%s", l.At, in.Service, in.Action)
		}
	}
}

func TestGrantKey(t *testing.T) {
	x := simulate(t, GroupDB, "grant_key", exampleInput(t, GroupDB, "grant_key", nil),
		map[string][]sim.Result{"Grant": {answer(map[string]any{"GrantId": "g-1", "GrantToken": "token"})}})
	wantStatus(t, x, sim.Succeeded, "")
	wantJSON(t, "output", x.Output, `{"GrantId":"g-1"}`)
	share := machineOf(t, GroupDB, "share_snapshot").Definition
	grant, _ := share.States.Get("Grant")
	clone, _ := machineOf(t, GroupDB, "grant_key").Definition.States.Get("Grant")
	if asJSON(t, grant.(*asl.Task).Parameters) != asJSON(t, clone.(*asl.Task).Parameters) {
		t.Error("grant_key and share_snapshot grant differently")
	}
}

func TestReleaseSnapshot(t *testing.T) {
	in := exampleInput(t, GroupDB, "release_snapshot", nil)
	grant := func(id, name string) map[string]any {
		g := map[string]any{"GrantId": id}
		if name != "-" {
			g["Name"] = name
		}
		return g
	}
	t.Run("revokes the run's grants on every page, unshares and deletes", func(t *testing.T) {
		x := simulate(t, GroupDB, "release_snapshot", in, map[string][]sim.Result{
			"Describe": {snapshotAnswer("available", true)},
			"ListGrants": {answer(map[string]any{"Truncated": true, "NextMarker": "m2", "Grants": []map[string]any{
				grant("g-rds", ""), grant("g-run", "refreshgen-example-run"), grant("g-unnamed", "-"), grant("g-other", "refreshgen-other-run")}})},
			"ListMoreGrants": {answer(map[string]any{"Truncated": false, "Grants": []map[string]any{grant("g-run-2", "refreshgen-example-run")}})},
			"Revoke":         {answer(map[string]any{})},
			"Unshare":        {answer(map[string]any{})},
			"Delete":         {answer(map[string]any{})},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"Deleted":true,"GrantsRevoked":2,"SnapshotId":"example-snapshot"}`)
		var revoked []any
		for _, c := range callsIn(x, "Revoke") {
			revoked = append(revoked, param(c, "GrantId"))
		}
		wantJSON(t, "revoked", revoked, `["g-run","g-run-2"]`)
		wantJSON(t, "marker", param(callsIn(x, "ListMoreGrants")[0], "Marker"), `"m2"`)
		wantJSON(t, "unshare", param(callsIn(x, "Unshare")[0], "ValuesToRemove"), asJSON(t, []any{in["DestinationAccountId"]}))
	})
	t.Run("a snapshot already gone is fine", func(t *testing.T) {
		x := simulate(t, GroupDB, "release_snapshot", in, map[string][]sim.Result{"Describe": {failure(asl.ErrRdsDbClusterSnapshotNotFound)}})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"Deleted":false,"GrantsRevoked":0,"SnapshotId":"example-snapshot"}`)
	})
	t.Run("a snapshot refreshgen did not make is left alone", func(t *testing.T) {
		x := simulate(t, GroupDB, "release_snapshot", in, map[string][]sim.Result{"Describe": {snapshotAnswer("available", false)}})
		wantStatus(t, x, sim.Failed, ErrNotManaged)
		if len(x.Calls) != 1 {
			t.Errorf("made calls after the guard refused: %v", x.Calls)
		}
	})
}

func TestListSharedSnapshots(t *testing.T) {
	in := exampleInput(t, GroupDB, "list_shared_snapshots", nil)
	shared := func(account, id string) map[string]any {
		return map[string]any{"DbClusterSnapshotArn": "arn:aws:rds:eu-west-1:" + account + ":cluster-snapshot:" + id,
			"DbClusterIdentifier": "prod-app", "SnapshotCreateTime": "2026-01-01T03:00:00Z", "Status": "available"}
	}
	page := map[string]any{"DbClusterSnapshots": []map[string]any{
		shared("111111111111", "a"), shared("999999999999", "b"), shared("111111111111", "c")}}
	x := simulate(t, GroupDB, "list_shared_snapshots", in, map[string][]sim.Result{"List": {answer(page)}})
	wantStatus(t, x, sim.Succeeded, "")
	wantJSON(t, "output", x.Output, `{"Count":2,"Snapshots":[`+
		`{"ClusterId":"prod-app","Created":"2026-01-01T03:00:00Z","SnapshotArn":"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:a","Status":"available"},`+
		`{"ClusterId":"prod-app","Created":"2026-01-01T03:00:00Z","SnapshotArn":"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:c","Status":"available"}],"Truncated":false}`)

	page["Marker"] = "next"
	page["DbClusterSnapshots"] = []map[string]any{shared("999999999999", "b")}
	x = simulate(t, GroupDB, "list_shared_snapshots", in, map[string][]sim.Result{"List": {answer(page)}})
	wantStatus(t, x, sim.Succeeded, "")
	wantJSON(t, "output", x.Output, `{"Count":0,"Snapshots":[],"Truncated":true}`)
}
