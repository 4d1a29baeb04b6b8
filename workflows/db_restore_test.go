package workflows

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// The db restore workflows are checked twice: on their structure (what
// they call, with which role) and by simulating them against scripted AWS
// answers, for the behaviours the seed got wrong.

// clusterAnswer is a describeDBClusters answer for one cluster; managed
// says whether it carries the example spec's managed tag.
func clusterAnswer(id, status string, managed bool, members ...string) sim.Result {
	var list []any
	for _, m := range members {
		list = append(list, map[string]any{"DbInstanceIdentifier": m, "IsClusterWriter": len(list) == 0})
	}
	return answer(map[string]any{"DbClusters": []any{map[string]any{
		"DbClusterIdentifier": id, "DbClusterArn": "arn:aws:rds:eu-west-1:222222222222:cluster:" + id,
		"Status": status, "TagList": resourceTags(managed), "DbClusterMembers": list, "DeletionProtection": false,
		"Engine": "aurora-mysql", "Endpoint": id + ".cluster-abc.eu-west-1.rds.amazonaws.com", "Port": 3306,
	}}})
}

// instanceAnswer is a describeDBInstances answer.
func instanceAnswer(status string) sim.Result {
	return answer(map[string]any{"DbInstances": []any{map[string]any{"DbInstanceStatus": status}}})
}

func TestRestoreCluster(t *testing.T) {
	m := machineOf(t, GroupDB, "restore_cluster")
	wantCalls(t, m, map[string][]string{
		"rds:restoreDBClusterFromSnapshot": repeated(roleAccount, 4), // with and without each optional setting
		"rds:describeDBClusters":           repeated(roleAccount, 2),
	})
	var restores int
	for l := range m.Definition.Walk() {
		if task, ok := l.State.(*asl.Task); ok && strings.HasSuffix(task.Resource, ":restoreDBClusterFromSnapshot") {
			restores++
			for key, want := range map[string]asl.Value{
				"SnapshotIdentifier": asl.Ref("$.SnapshotArn"), "KmsKeyId": asl.Ref("$.KmsKeyId"), "Tags": asl.Ref("$.Tags"),
				"DeletionProtection": asl.Bool(false), "CopyTagsToSnapshot": asl.Bool(true),
			} {
				if got := memberOf(task.Parameters, key); got != want {
					t.Errorf("%s: %s is %v, want %v", l.Name, key, got, want)
				}
			}
		}
	}
	if restores != 4 {
		t.Fatalf("%d restore variants", restores)
	}

	t.Run("restores and waits", func(t *testing.T) {
		in := exampleInput(t, GroupDB, "restore_cluster", map[string]any{"Serverless": map[string]any{"MinCapacity": 0.5, "MaxCapacity": 4}})
		x := simulate(t, GroupDB, "restore_cluster", in, map[string][]sim.Result{
			"CreateWithServerless": {answer(map[string]any{})},
			"WaitAvailable":        {clusterAnswer("example-cluster", "creating", true), clusterAnswer("example-cluster", "available", true)},
			"ReadEndpoint":         {clusterAnswer("example-cluster", "available", true)},
		})
		wantStatus(t, x, sim.Succeeded, "")
		want := map[string]any{"ClusterId": "example-cluster", "ClusterArn": "arn:aws:rds:eu-west-1:222222222222:cluster:example-cluster",
			"Endpoint": "example-cluster.cluster-abc.eu-west-1.rds.amazonaws.com", "Port": 3306}
		wantJSON(t, "output", x.Output, asJSON(t, want))
		restore := callsTo(x, "rds:restoreDBClusterFromSnapshot")[0]
		wantJSON(t, "ServerlessV2ScalingConfiguration", param(restore, "ServerlessV2ScalingConfiguration"), asJSON(t, in["Serverless"]))
		if _, ok := restore.Parameters.(map[string]any)["DbClusterParameterGroupName"]; ok {
			t.Error("a parameter group was passed though the input has none")
		}
	})
	t.Run("an existing cluster is an error, never deleted", func(t *testing.T) {
		x := simulate(t, GroupDB, "restore_cluster", exampleInput(t, GroupDB, "restore_cluster", nil), map[string][]sim.Result{
			"Create": {failure(asl.ErrRdsDbClusterAlreadyExists)},
		})
		wantStatus(t, x, sim.Failed, ErrAlreadyExists)
		if !strings.Contains(x.Cause, "example-cluster already exists") {
			t.Errorf("cause %q does not name the cluster", x.Cause)
		}
	})
	t.Run("a dead end fails fast", func(t *testing.T) {
		x := simulate(t, GroupDB, "restore_cluster", exampleInput(t, GroupDB, "restore_cluster", nil), map[string][]sim.Result{
			"Create":        {answer(map[string]any{})},
			"WaitAvailable": {clusterAnswer("example-cluster", "inaccessible-encryption-credentials", true)},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
		if n := len(callsTo(x, "rds:describeDBClusters")); n != 1 {
			t.Errorf("%d describe calls after a dead end, want 1", n)
		}
	})
}

// memberOf is the value of key in a payload template, or nil.
func memberOf(o *asl.Object, key string) asl.Value {
	for _, m := range o.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

func TestCloneCluster(t *testing.T) {
	wantCalls(t, machineOf(t, GroupDB, "clone_cluster"), map[string][]string{
		"rds:restoreDBClusterToPointInTime": repeated(roleAccount, 4),
		"rds:describeDBClusters":            repeated(roleAccount, 2),
	})
	in := exampleInput(t, GroupDB, "clone_cluster", map[string]any{"ClusterParameterGroup": "app-cluster-params"})
	x := simulate(t, GroupDB, "clone_cluster", in, map[string][]sim.Result{
		"CreateWithClusterParameterGroup": {answer(map[string]any{})},
		"WaitAvailable":                   {clusterAnswer("example-cluster", "available", true)},
		"ReadEndpoint":                    {clusterAnswer("example-cluster", "available", true)},
	})
	wantStatus(t, x, sim.Succeeded, "")
	clone := callsTo(x, "rds:restoreDBClusterToPointInTime")[0].Parameters.(map[string]any)
	for key, want := range map[string]any{
		"SourceDBClusterIdentifier": in["SourceClusterArn"], "RestoreType": "copy-on-write", "UseLatestRestorableTime": true,
		"DbClusterParameterGroupName": "app-cluster-params", "DeletionProtection": false,
	} {
		if clone[key] != want {
			t.Errorf("%s = %v, want %v", key, clone[key], want)
		}
	}
	if _, ok := clone["Engine"]; ok {
		t.Error("RestoreDBClusterToPointInTime takes no Engine")
	}
}

func TestCreateInstance(t *testing.T) {
	wantCalls(t, machineOf(t, GroupDB, "create_instance"), map[string][]string{
		"rds:createDBInstance":    repeated("$.Request.Account.RoleArn", 2),
		"rds:describeDBInstances": repeated("$.Request.Account.RoleArn", 2),
	})
	two := map[string]any{"Instances": []any{
		map[string]any{"InstanceId": "example-cluster-1", "InstanceClass": "db.r6g.large", "PromotionTier": 0},
		map[string]any{"InstanceId": "example-cluster-2", "InstanceClass": "db.r6g.large", "PromotionTier": 1},
	}}
	existing := func(cluster ...string) sim.Result {
		instance := map[string]any{"DbInstanceIdentifier": "example-cluster-2"}
		if len(cluster) > 0 {
			instance["DbClusterIdentifier"] = cluster[0]
		}
		return answer(map[string]any{"DbInstances": []any{instance}})
	}

	t.Run("creates every instance; one a previous run made is kept", func(t *testing.T) {
		in := exampleInput(t, GroupDB, "create_instance", maps.Clone(two))
		in["ParameterGroup"] = "app-params"
		x := simulate(t, GroupDB, "create_instance", in, map[string][]sim.Result{
			"CreateWithParameterGroup": {answer(map[string]any{}), failure(asl.ErrRdsDbInstanceAlreadyExists)},
			"DescribeExisting":         {existing("example-cluster")},
			"WaitAvailable":            {instanceAnswer("creating"), instanceAnswer("available")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"InstanceIds":["example-cluster-1","example-cluster-2"]}`)
		create := callsTo(x, "rds:createDBInstance")[0]
		for key, want := range map[string]any{"DbClusterIdentifier": "example-cluster", "DbParameterGroupName": "app-params",
			"PubliclyAccessible": false, "PromotionTier": 0, "Engine": "aurora-mysql"} {
			wantJSON(t, key, param(create, key), asJSON(t, want))
		}
	})
	for name, found := range map[string]sim.Result{
		"in another cluster": existing("other-cluster"),
		"outside a cluster":  existing(),
	} {
		t.Run("a name taken "+name+" is refused", func(t *testing.T) {
			x := simulate(t, GroupDB, "create_instance", exampleInput(t, GroupDB, "create_instance", maps.Clone(two)), map[string][]sim.Result{
				"Create":           {answer(map[string]any{}), failure(asl.ErrRdsDbInstanceAlreadyExists)},
				"DescribeExisting": {found},
				"WaitAvailable":    {instanceAnswer("available")},
			})
			wantStatus(t, x, sim.Failed, ErrAlreadyExists)
		})
	}
	t.Run("a failed instance fails fast", func(t *testing.T) {
		x := simulate(t, GroupDB, "create_instance", exampleInput(t, GroupDB, "create_instance", nil), map[string][]sim.Result{
			"Create":        {answer(map[string]any{})},
			"WaitAvailable": {instanceAnswer("incompatible-parameters")},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
	})
}

// secretCluster is a describeDBClusters answer for enable_master_secret;
// secretStatus "" means RDS does not manage the password.
func secretCluster(status, secretStatus string, managed bool) sim.Result {
	r := clusterAnswer("example-cluster", status, managed)
	if secretStatus != "" {
		cluster := r.Output.(map[string]any)["DbClusters"].([]any)[0].(map[string]any)
		cluster["MasterUserSecret"] = map[string]any{"SecretArn": "arn:aws:secretsmanager:eu-west-1:222222222222:secret:rds!cluster-1",
			"SecretStatus": secretStatus, "KmsKeyId": "key"}
	}
	return r
}

func TestEnableMasterSecret(t *testing.T) {
	wantCalls(t, machineOf(t, GroupDB, "enable_master_secret"), map[string][]string{
		"rds:describeDBClusters": repeated(roleAccount, 2),
		"rds:modifyDBCluster":    {roleAccount},
	})
	in := exampleInput(t, GroupDB, "enable_master_secret", nil)
	arn := "arn:aws:secretsmanager:eu-west-1:222222222222:secret:rds!cluster-1"

	t.Run("enables and waits for an active secret", func(t *testing.T) {
		x := simulate(t, GroupDB, "enable_master_secret", in, map[string][]sim.Result{
			"Describe":   {secretCluster("available", "", true)},
			"Enable":     {answer(map[string]any{})},
			"WaitSecret": {secretCluster("modifying", "creating", true), secretCluster("available", "creating", true), secretCluster("available", "active", true)},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, asJSON(t, map[string]any{"ClusterId": "example-cluster", "SecretArn": arn}))
		enable := callsTo(x, "rds:modifyDBCluster")[0]
		for key, want := range map[string]any{"ManageMasterUserPassword": true, "MasterUserSecretKmsKeyId": in["KmsKeyId"], "ApplyImmediately": true} {
			if got := param(enable, key); got != want {
				t.Errorf("%s = %v, want %v", key, got, want)
			}
		}
		if n := len(callsTo(x, "rds:describeDBClusters")); n != 4 {
			t.Errorf("%d describes, want 4: it must wait for available and active together", n)
		}
	})
	t.Run("a managed password is not changed again", func(t *testing.T) {
		x := simulate(t, GroupDB, "enable_master_secret", in, map[string][]sim.Result{
			"Describe":   {secretCluster("available", "active", true)},
			"WaitSecret": {secretCluster("available", "active", true)},
		})
		wantStatus(t, x, sim.Succeeded, "")
		if n := len(callsTo(x, "rds:modifyDBCluster")); n != 0 {
			t.Errorf("%d modify calls on a cluster whose password RDS already manages", n)
		}
	})
	t.Run("an unmanaged cluster is refused", func(t *testing.T) {
		x := simulate(t, GroupDB, "enable_master_secret", in, map[string][]sim.Result{"Describe": {secretCluster("available", "", false)}})
		wantStatus(t, x, sim.Failed, ErrNotManaged)
		if n := len(callsTo(x, "rds:modifyDBCluster")); n != 0 {
			t.Errorf("%d modify calls on an unmanaged cluster", n)
		}
	})
	t.Run("an impaired secret fails", func(t *testing.T) {
		x := simulate(t, GroupDB, "enable_master_secret", in, map[string][]sim.Result{
			"Describe":   {secretCluster("available", "", true)},
			"Enable":     {answer(map[string]any{})},
			"WaitSecret": {secretCluster("available", "impaired", true)},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
	})
}

func TestRenameCluster(t *testing.T) {
	wantCalls(t, machineOf(t, GroupDB, "rename_cluster"), map[string][]string{
		"rds:describeDBClusters":  repeated(roleAccount, 4), // the cluster, the new id, the wait, the members
		"rds:modifyDBCluster":     {roleAccount},
		"rds:modifyDBInstance":    {roleAccount},
		"rds:describeDBInstances": {roleAccount},
	})
	in := exampleInput(t, GroupDB, "rename_cluster", nil) // example-cluster -> example-cluster-new
	notFound := failure(asl.ErrRdsDbClusterNotFound)

	t.Run("renames the cluster, then its instances in member order", func(t *testing.T) {
		x := simulate(t, GroupDB, "rename_cluster", in, map[string][]sim.Result{
			"Describe":            {clusterAnswer("example-cluster", "available", true, "a", "b")},
			"CheckNewId":          {notFound},
			"Rename":              {answer(map[string]any{})},
			"WaitRenamed":         {notFound, clusterAnswer("example-cluster-new", "renaming", true), clusterAnswer("example-cluster-new", "available", true)},
			"DescribeRenamed":     {clusterAnswer("example-cluster-new", "available", true, "b", "a")},
			"RenameInstance":      {answer(map[string]any{})},
			"WaitInstanceRenamed": {failure(asl.ErrRdsDbInstanceNotFound), instanceAnswer("available")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		want := map[string]any{"ClusterId": "example-cluster-new", "Renamed": true, "InstanceIds": []any{"example-cluster-new-1", "example-cluster-new-2"}}
		wantJSON(t, "output", x.Output, asJSON(t, want))
		var renames []string
		for _, c := range callsTo(x, "rds:modifyDBInstance") {
			renames = append(renames, param(c, "DbInstanceIdentifier").(string)+"->"+param(c, "NewDBInstanceIdentifier").(string))
		}
		if want := []string{"b->example-cluster-new-1", "a->example-cluster-new-2"}; !slices.Equal(renames, want) {
			t.Errorf("instance renames %v, want %v", renames, want)
		}
		if got := param(callsTo(x, "rds:modifyDBCluster")[0], "NewDBClusterIdentifier"); got != "example-cluster-new" {
			t.Errorf("NewDBClusterIdentifier = %v", got)
		}
	})
	t.Run("a missing cluster is skipped when asked", func(t *testing.T) {
		x := simulate(t, GroupDB, "rename_cluster", exampleInput(t, GroupDB, "rename_cluster", map[string]any{"IfMissing": "skip"}),
			map[string][]sim.Result{"Describe": {notFound}})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"ClusterId":"example-cluster","InstanceIds":[],"Renamed":false}`)
	})
	t.Run("a missing cluster fails otherwise", func(t *testing.T) {
		x := simulate(t, GroupDB, "rename_cluster", in, map[string][]sim.Result{"Describe": {notFound}})
		wantStatus(t, x, sim.Failed, asl.ErrRdsDbClusterNotFound)
	})
	for _, tt := range []struct {
		name   string
		script map[string][]sim.Result
		want   string
	}{
		{"a taken new id is refused, never deleted", map[string][]sim.Result{
			"Describe":   {clusterAnswer("example-cluster", "available", true)},
			"CheckNewId": {clusterAnswer("example-cluster-new", "available", true)},
		}, ErrAlreadyExists},
		{"an unmanaged cluster is refused", map[string][]sim.Result{
			"Describe": {clusterAnswer("example-cluster", "available", false)},
		}, ErrNotManaged},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x := simulate(t, GroupDB, "rename_cluster", in, tt.script)
			wantStatus(t, x, sim.Failed, tt.want)
			for _, c := range x.Calls {
				if c.Integration.Action != "describeDBClusters" {
					t.Errorf("%s called %s", c.State, c.Integration.Action)
				}
			}
		})
	}
}

// secretAnswer is a describeSecret answer; lastRotated "" leaves it out.
func secretAnswer(lastRotated string) sim.Result {
	secret := map[string]any{"ARN": "arn", "Name": "app-user", "VersionIdsToStages": map[string]any{"v1": []any{"AWSCURRENT"}}}
	if lastRotated != "" {
		secret["LastRotatedDate"] = lastRotated
	}
	return answer(secret)
}

func TestRotateSecrets(t *testing.T) {
	m := machineOf(t, GroupDB, "rotate_secrets")
	wantCalls(t, m, map[string][]string{ // never a call that reads a secret's value
		"secretsmanager:describeSecret": repeated(roleAccount, 2),
		"secretsmanager:rotateSecret":   {roleAccount},
	})
	if each := m.Definition.States[0].State.(*asl.Map); each.MaxConcurrency != 1 {
		t.Errorf("secrets are rotated %d at a time, want 1", each.MaxConcurrency)
	}
	arns := []any{"arn:aws:secretsmanager:eu-west-1:222222222222:secret:app-a", "arn:aws:secretsmanager:eu-west-1:222222222222:secret:app-b"}
	in := exampleInput(t, GroupDB, "rotate_secrets", map[string]any{"SecretArns": arns})
	before, after := "2025-12-01T03:00:00Z", "2026-01-01T00:05:00Z"
	rotated := answer(map[string]any{"ARN": "arn", "VersionId": "v2"})

	t.Run("rotates each secret and waits until the rotation completed", func(t *testing.T) {
		x := simulate(t, GroupDB, "rotate_secrets", in, map[string][]sim.Result{
			"Describe":    {secretAnswer(before)},
			"Rotate":      {rotated},
			"WaitRotated": {secretAnswer(before), secretAnswer(after), secretAnswer(after)},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, asJSON(t, map[string]any{"Rotated": arns}))
		if got := param(callsTo(x, "secretsmanager:rotateSecret")[0], "RotateImmediately"); got != true {
			t.Errorf("RotateImmediately = %v", got)
		}
	})
	t.Run("a secret that never rotated is refused before rotating", func(t *testing.T) {
		x := simulate(t, GroupDB, "rotate_secrets", in, map[string][]sim.Result{"Describe": {secretAnswer("")}})
		wantStatus(t, x, sim.Failed, ErrPreconditions)
		if n := len(callsTo(x, "secretsmanager:rotateSecret")); n != 0 {
			t.Errorf("%d rotations started", n)
		}
	})
	t.Run("a rotation that does not complete fails, naming the secret", func(t *testing.T) {
		x := simulate(t, GroupDB, "rotate_secrets", in, map[string][]sim.Result{
			"Describe":    {secretAnswer(before)},
			"Rotate":      {rotated},
			"WaitRotated": {secretAnswer(before)},
		})
		wantStatus(t, x, sim.Failed, ErrStepFailed)
		if !strings.Contains(x.Cause, arns[0].(string)) || !strings.Contains(x.Cause, "version v2") {
			t.Errorf("cause %q names neither the secret nor the version", x.Cause)
		}
	})
}

// rolesAnswer is a describeDBClusters answer with associated roles, each
// "ARN=STATUS".
func rolesAnswer(engine string, roles ...string) sim.Result {
	var list []any
	for _, r := range roles {
		arn, status, _ := strings.Cut(r, "=")
		list = append(list, map[string]any{"RoleArn": arn, "Status": status})
	}
	return answer(map[string]any{"DbClusters": []any{map[string]any{"Engine": engine, "AssociatedRoles": list}}})
}

func TestConfigureS3Integration(t *testing.T) {
	wantCalls(t, machineOf(t, GroupDB, "configure_s3_integration"), map[string][]string{
		"rds:describeDBClusters": repeated(roleAccount, 2),
		"rds:addRoleToDBCluster": repeated(roleAccount, 2),
	})
	in := exampleInput(t, GroupDB, "configure_s3_integration", nil)
	ours, other := in["RoleArn"].(string), "arn:aws:iam::222222222222:role/other"

	for _, tt := range []struct {
		name, engine, feature, wantFeature string
	}{
		{"aurora-mysql takes no feature name", "aurora-mysql", "", ""},
		{"aurora-postgresql defaults to s3Import", "aurora-postgresql", "", "s3Import"},
		{"a given feature name is kept", "aurora-postgresql", "s3Export", "s3Export"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			input := maps.Clone(in)
			if tt.feature != "" {
				input["FeatureName"] = tt.feature
			}
			add := "Add"
			if tt.wantFeature != "" {
				add = "AddWithFeatureName"
			}
			x := simulate(t, GroupDB, "configure_s3_integration", input, map[string][]sim.Result{
				"Describe": {rolesAnswer(tt.engine)},
				add:        {answer(map[string]any{})},
				// Another role, active at index 0, must not end the wait.
				"WaitActive": {rolesAnswer(tt.engine, other+"=ACTIVE", ours+"=PENDING"), rolesAnswer(tt.engine, other+"=ACTIVE", ours+"=ACTIVE")},
			})
			wantStatus(t, x, sim.Succeeded, "")
			wantJSON(t, "output", x.Output, asJSON(t, map[string]any{"ClusterId": "example-cluster", "RoleArn": ours, "Status": "ACTIVE"}))
			if got, _ := param(callsTo(x, "rds:addRoleToDBCluster")[0], "FeatureName").(string); got != tt.wantFeature {
				t.Errorf("FeatureName = %q, want %q", got, tt.wantFeature)
			}
			if n := len(callsTo(x, "rds:describeDBClusters")); n != 3 {
				t.Errorf("%d describes, want 3", n)
			}
		})
	}
	t.Run("an associated role is fine", func(t *testing.T) {
		x := simulate(t, GroupDB, "configure_s3_integration", in, map[string][]sim.Result{
			"Describe":   {rolesAnswer("aurora-mysql", ours+"=ACTIVE")},
			"Add":        {failure(asl.ErrRdsDbClusterRoleAlreadyExists)},
			"WaitActive": {rolesAnswer("aurora-mysql", ours+"=ACTIVE")},
		})
		wantStatus(t, x, sim.Succeeded, "")
	})
	t.Run("an invalid role fails", func(t *testing.T) {
		x := simulate(t, GroupDB, "configure_s3_integration", in, map[string][]sim.Result{
			"Describe":   {rolesAnswer("aurora-mysql")},
			"Add":        {answer(map[string]any{})},
			"WaitActive": {rolesAnswer("aurora-mysql", ours+"=INVALID")},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
	})
}

// TestRestoreErrorNames checks every error name the db restore workflows
// retry, catch or raise.
func TestRestoreErrorNames(t *testing.T) {
	for _, w := range dbRestoreWorkflows() {
		wantCanonicalErrors(t, machineOf(t, GroupDB, w.Key))
	}
}
