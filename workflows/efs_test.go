package workflows

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/spec/spectest"
)

// targetFileSystem is the example's target file system.
const targetFileSystem = "fs-0fedcba9876543210"

// fileSystem is a describeFileSystems answer for the target; managed adds
// the managed tag.
func fileSystem(state string, managed bool) sim.Result {
	return answer(map[string]any{"FileSystems": []any{map[string]any{
		"FileSystemId":   targetFileSystem,
		"FileSystemArn":  "arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/" + targetFileSystem,
		"LifeCycleState": state, "Tags": resourceTags(managed),
	}}})
}

func TestCreateFileSystem(t *testing.T) {
	wantCalls(t, machineOf(t, GroupEFS, "create_filesystem"), map[string][]string{
		"efs:createFileSystem": {roleAccount}, "efs:describeFileSystems": repeated(roleAccount, 2),
		"efs:createMountTarget": {roleAccount}, "efs:describeMountTargets": {roleAccount},
	})
	targets := func(states ...string) sim.Result {
		var list []any
		for _, s := range states {
			list = append(list, map[string]any{"MountTargetId": "fsmt-" + s, "LifeCycleState": s})
		}
		return answer(map[string]any{"MountTargets": list})
	}
	t.Run("a second call finds the file system of the first", func(t *testing.T) {
		x := simulateExample(t, GroupEFS, "create_filesystem", nil, map[string][]sim.Result{
			"Create":            {failure(asl.ErrEfsFileSystemAlreadyExists)},
			"FindExisting":      {answer(jsonOf(t, `{"FileSystems": [{"FileSystemId": "fs-0fedcba9876543210"}]}`))},
			"WaitAvailable":     {fileSystem("creating", true), fileSystem("available", true)},
			"CreateMountTarget": {failure(asl.ErrEfsMountTargetConflict)},
			"WaitMountTargets":  {targets("available", "creating"), targets("available", "available")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		out := asJSON(t, x.Output)
		if want := `{"FileSystemArn":"arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/fs-0fedcba9876543210","FileSystemId":"fs-0fedcba9876543210","MountTargets":2}`; out != want {
			t.Errorf("output %s, want %s", out, want)
		}
		if got := asJSON(t, callsIn(x, "Create")[0].Parameters); !strings.Contains(got, `"PerformanceMode":"generalPurpose"`) || !strings.Contains(got, `"Encrypted":true`) {
			t.Errorf("createFileSystem %s: want generalPurpose by default, encrypted", got)
		}
		if n := len(callsIn(x, "CreateMountTarget")); n != 2 {
			t.Errorf("%d mount target calls, want one per subnet (2)", n)
		}
	})
	t.Run("a failed mount target fails fast", func(t *testing.T) {
		x := simulateExample(t, GroupEFS, "create_filesystem", map[string]any{"PerformanceMode": "maxIO"}, map[string][]sim.Result{
			"Create":            {answer(map[string]any{"FileSystemId": "fs-0fedcba9876543210"})},
			"WaitAvailable":     {fileSystem("available", true)},
			"CreateMountTarget": {answer(map[string]any{})},
			"WaitMountTargets":  {targets("available", "error")},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
		if n := len(callsIn(x, "WaitMountTargets")); n != 1 {
			t.Errorf("%d polls, want 1", n)
		}
	})
}

func TestDeleteFileSystem(t *testing.T) {
	wantCalls(t, machineOf(t, GroupEFS, "delete_filesystem"), map[string][]string{
		"efs:describeFileSystems": repeated(roleAccount, 2), "efs:describeReplicationConfigurations": {roleAccount},
		"efs:describeAccessPoints": {roleAccount}, "efs:deleteAccessPoint": {roleAccount},
		"efs:describeMountTargets": repeated(roleAccount, 2), "efs:deleteMountTarget": {roleAccount}, "efs:deleteFileSystem": {roleAccount},
	})
	mountTargets := func(n int) sim.Result {
		list := []any{}
		for range n {
			list = append(list, map[string]any{"MountTargetId": "fsmt-1", "LifeCycleState": "available"})
		}
		return answer(map[string]any{"MountTargets": list})
	}
	deletes := []string{"DeleteAccessPoint", "DeleteMountTarget", "DeleteFileSystem"}
	tests := []struct {
		name      string
		answers   map[string][]sim.Result
		status    sim.Status
		err       string
		deleted   any // the output's Deleted, when it succeeds
		deletions int
	}{
		{"deletes access points, mount targets, then the file system", map[string][]sim.Result{
			"Describe":             {fileSystem("available", true)},
			"CheckReplication":     {failure(asl.ErrEfsReplicationNotFound)},
			"ListAccessPoints":     {answer(jsonOf(t, `{"AccessPoints": [{"AccessPointId": "fsap-1"}]}`))},
			"DeleteAccessPoint":    {failure(asl.ErrEfsAccessPointNotFound)},
			"ListMountTargets":     {mountTargets(2)},
			"DeleteMountTarget":    {answer(map[string]any{})},
			"WaitMountTargetsGone": {mountTargets(1), mountTargets(0)},
			"DeleteFileSystem":     {failure(asl.ErrEfsFileSystemInUse), answer(map[string]any{})},
			"WaitGone":             {fileSystem("deleting", true), failure(asl.ErrEfsFileSystemNotFound)},
		}, sim.Succeeded, "", true, 5},
		{"already gone", map[string][]sim.Result{
			"Describe": {failure(asl.ErrEfsFileSystemNotFound)},
		}, sim.Succeeded, "", false, 0},
		{"not refreshgen's", map[string][]sim.Result{
			"Describe": {fileSystem("available", false)},
		}, sim.Failed, ErrNotManaged, nil, 0},
		{"part of a replication", map[string][]sim.Result{
			"Describe":         {fileSystem("available", true)},
			"CheckReplication": {answer(jsonOf(t, `{"Replications": [{"SourceFileSystemId": "fs-0fedcba9876543210"}]}`))},
		}, sim.Failed, ErrPreconditions, nil, 0},
		{"no access to the replication is not 'no replication'", map[string][]sim.Result{
			"Describe":         {fileSystem("available", true)},
			"CheckReplication": {failure("Efs.AccessDeniedException")},
		}, sim.Failed, "Efs.AccessDeniedException", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := simulateExample(t, GroupEFS, "delete_filesystem", nil, tt.answers)
			wantStatus(t, x, tt.status, tt.err)
			if tt.deleted != nil && x.Output.(map[string]any)["Deleted"] != tt.deleted {
				t.Errorf("output %v, want Deleted %v", x.Output, tt.deleted)
			}
			n := 0
			for _, s := range deletes {
				n += len(callsIn(x, s))
			}
			if n != tt.deletions {
				t.Errorf("%d delete calls, want %d", n, tt.deletions)
			}
		})
	}
}

func TestGetSubpathAndStoreInSSM(t *testing.T) {
	wantCalls(t, machineOf(t, GroupEFS, "get_subpath_and_store_in_ssm"), map[string][]string{"lambda:invoke": {roleAccount}})
	found := answer(jsonOf(t, `{"StatusCode": 200, "Payload": {"subpath": "aws-backup-restore_2026-11-26T03-12-45Z", "ssm_parameter_name": "/myapp/efs/media/subpath"}}`))
	x := simulateExample(t, GroupEFS, "get_subpath_and_store_in_ssm", nil, map[string][]sim.Result{"Invoke": {found}})
	wantStatus(t, x, sim.Succeeded, "")
	if got, want := asJSON(t, callsIn(x, "Invoke")[0].Parameters), `"Payload":{"base_dir":"","ssm_parameter_name":"/myapp/efs/media/subpath"}`; !strings.Contains(got, want) {
		t.Errorf("invoke %s, want %s (the mount root without BaseDir)", got, want)
	}
	if x.Output.(map[string]any)["Subpath"] != "aws-backup-restore_2026-11-26T03-12-45Z" {
		t.Errorf("output %v", x.Output)
	}
	x = simulateExample(t, GroupEFS, "get_subpath_and_store_in_ssm", map[string]any{"BaseDir": "restores"}, map[string][]sim.Result{"Invoke": {failure("RestoreFolderNotFound")}})
	wantStatus(t, x, sim.Failed, "RestoreFolderNotFound")
	if n := len(callsIn(x, "Invoke")); n != 1 {
		t.Errorf("%d invocations, want 1: a function error is not retried", n)
	}
}

func TestRestoreFromBackup(t *testing.T) {
	// The source account is only read, but for the copy to the destination.
	wantCalls(t, machineOf(t, GroupEFS, "restore_from_backup"), map[string][]string{
		"backup:listRecoveryPointsByBackupVault": {roleSource}, "backup:startCopyJob": {roleSource}, "backup:describeCopyJob": {roleSource},
		"backup:startRestoreJob": {roleDestination}, "backup:describeRestoreJob": {roleDestination},
	})
	points := answer(jsonOf(t, `{"RecoveryPoints": [
		{"RecoveryPointArn": "rp-old", "Status": "COMPLETED", "CreationDate": "2026-01-01T03:00:00.000Z"},
		{"RecoveryPointArn": "rp-new", "Status": "AVAILABLE", "CreationDate": "2026-01-03T03:00:00.000Z"},
		{"RecoveryPointArn": "rp-running", "Status": "CREATING", "CreationDate": "2026-01-04T03:00:00.000Z"},
		{"RecoveryPointArn": "rp-mid", "Status": "COMPLETED", "CreationDate": "2026-01-02T03:00:00.000Z"}]}`))
	copied := answer(jsonOf(t, `{"CopyJob": {"State": "COMPLETED", "DestinationRecoveryPointArn": "rp-copy"}}`))
	t.Run("copies the newest usable point, then restores the copy", func(t *testing.T) {
		x := simulateExample(t, GroupEFS, "restore_from_backup", nil, map[string][]sim.Result{
			"ListRecoveryPoints": {points},
			"Copy":               {answer(map[string]any{"CopyJobId": "copy-1"})},
			"WaitCopy":           {answer(jsonOf(t, `{"CopyJob": {"State": "RUNNING"}}`)), copied},
			"Restore":            {answer(map[string]any{"RestoreJobId": "restore-1"})},
			"WaitRestore":        {answer(map[string]any{"Status": "PENDING"}), answer(map[string]any{"Status": "COMPLETED"})},
		})
		wantStatus(t, x, sim.Succeeded, "")
		if got := asJSON(t, callsIn(x, "Copy")[0].Parameters); !strings.Contains(got, `"RecoveryPointArn":"rp-new"`) || !strings.Contains(got, `"IdempotencyToken":"run-1"`) {
			t.Errorf("startCopyJob %s: want rp-new, the newest AVAILABLE or COMPLETED, and the run as token", got)
		}
		if got := asJSON(t, callsIn(x, "Restore")[0].Parameters); !strings.Contains(got, `"Metadata":{"file-system-id":"fs-0fedcba9876543210","newFileSystem":"false"}`) ||
			!strings.Contains(got, `"RecoveryPointArn":"rp-copy"`) {
			t.Errorf("startRestoreJob %s: want the copy restored into the target", got)
		}
		if out := x.Output.(map[string]any); out["RecoveryPointArn"] != "rp-copy" || out["RestoreJobId"] != "restore-1" {
			t.Errorf("output %v", out)
		}
	})
	failures := []struct {
		name, err, cause string
		answers          map[string][]sim.Result
	}{
		{"no usable recovery point", ErrNoRecoveryPoint, "no completed recovery point", map[string][]sim.Result{
			"ListRecoveryPoints": {answer(jsonOf(t, `{"RecoveryPoints": [{"RecoveryPointArn": "rp", "Status": "EXPIRED", "CreationDate": "2026-01-01T03:00:00Z"}]}`))},
		}},
		{"more than a page", ErrPreconditions, "more than 100 recovery points", map[string][]sim.Result{
			"ListRecoveryPoints": {answer(jsonOf(t, `{"RecoveryPoints": [], "NextToken": "more"}`))},
		}},
		{"a partial copy", ErrStepFailed, "ended PARTIAL: quota", map[string][]sim.Result{
			"ListRecoveryPoints": {points},
			"Copy":               {answer(map[string]any{"CopyJobId": "copy-1"})},
			"WaitCopy":           {answer(jsonOf(t, `{"CopyJob": {"State": "PARTIAL", "StatusMessage": "quota"}}`))},
		}},
		{"an aborted restore", ErrStepFailed, "restore-1 ended ABORTED.", map[string][]sim.Result{
			"ListRecoveryPoints": {points},
			"Copy":               {answer(map[string]any{"CopyJobId": "copy-1"})},
			"WaitCopy":           {copied},
			"Restore":            {answer(map[string]any{"RestoreJobId": "restore-1"})},
			"WaitRestore":        {answer(map[string]any{"Status": "ABORTED"})},
		}},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			x := simulateExample(t, GroupEFS, "restore_from_backup", nil, tt.answers)
			wantStatus(t, x, sim.Failed, tt.err)
			if !strings.Contains(x.Cause, tt.cause) {
				t.Errorf("cause %q, want it to say %q", x.Cause, tt.cause)
			}
		})
	}
}

// replication is a describeReplicationConfigurations answer.
func replication(t *testing.T, destination, status, synced string) sim.Result {
	d := map[string]any{"FileSystemId": destination, "Region": "eu-west-1", "Status": status}
	if synced != "" {
		d["LastReplicatedTimestamp"] = synced
	}
	return answer(map[string]any{"Replications": []any{map[string]any{"SourceFileSystemId": "fs-0123456789abcdef0", "Destinations": []any{d}}}})
}

func TestSetupCrossAccountReplication(t *testing.T) {
	// The source account only reads and creates the replication; the
	// overwrite protection of the target changes in its own account.
	wantCalls(t, machineOf(t, GroupEFS, "setup_cross_account_replication"), map[string][]string{
		"efs:describeReplicationConfigurations": {roleSource}, "efs:createReplicationConfiguration": {roleSource},
		"efs:describeFileSystems": {roleDestination}, "efs:updateFileSystemProtection": {roleDestination},
	})
	tests := []struct {
		name    string
		answers map[string][]sim.Result
		status  sim.Status
		err     string
		writes  int // updateFileSystemProtection and createReplicationConfiguration calls
	}{
		{"creates it", map[string][]sim.Result{
			"FindReplication": {failure(asl.ErrEfsReplicationNotFound)},
			"DescribeTarget":  {fileSystem("available", true)},
			"Unprotect":       {answer(map[string]any{})},
			"Replicate":       {answer(map[string]any{})},
		}, sim.Succeeded, "", 2},
		{"reuses the one into the target", map[string][]sim.Result{
			"FindReplication": {replication(t, targetFileSystem, "ENABLED", "")},
		}, sim.Succeeded, "", 0},
		{"refuses one into another file system", map[string][]sim.Result{
			"FindReplication": {replication(t, "fs-0aaaaaaaaaaaaaaaa", "ENABLED", "")},
		}, sim.Failed, ErrPreconditions, 0},
		{"an access error is not 'no replication'", map[string][]sim.Result{
			"FindReplication": {failure("Efs.AccessDeniedException")},
		}, sim.Failed, "Efs.AccessDeniedException", 0},
		{"refuses a target refreshgen does not manage", map[string][]sim.Result{
			"FindReplication": {failure(asl.ErrEfsReplicationNotFound)},
			"DescribeTarget":  {fileSystem("available", false)},
		}, sim.Failed, ErrNotManaged, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := simulateExample(t, GroupEFS, "setup_cross_account_replication", nil, tt.answers)
			wantStatus(t, x, tt.status, tt.err)
			if n := len(callsIn(x, "Unprotect")) + len(callsIn(x, "Replicate")); n != tt.writes {
				t.Errorf("%d writes, want %d", n, tt.writes)
			}
			if tt.writes == 0 {
				return
			}
			if got := asJSON(t, callsIn(x, "Unprotect")[0].Parameters); got != `{"FileSystemId":"`+targetFileSystem+`","ReplicationOverwriteProtection":"DISABLED"}` {
				t.Errorf("updateFileSystemProtection %s", got)
			}
			want := `{"Destinations":[{"FileSystemId":"arn:aws:elasticfilesystem:eu-west-1:222222222222:file-system/` + targetFileSystem +
				`","Region":"eu-west-1","RoleArn":"arn:aws:iam::111111111111:role/myapp-refresh-efs-replication"}],"SourceFileSystemId":"fs-0123456789abcdef0"}`
			if got := asJSON(t, callsIn(x, "Replicate")[0].Parameters); got != want {
				t.Errorf("createReplicationConfiguration\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestWaitReplicationComplete(t *testing.T) {
	// The sync is read in the source account; the verify_file check runs
	// in the destination's, where the check-flag-file Lambda mounts the
	// target.
	wantCalls(t, machineOf(t, GroupEFS, "wait_replication_complete"), map[string][]string{
		"efs:describeReplicationConfigurations": {roleSource}, "lambda:invoke": {roleAccount},
	})
	tests := []struct {
		name    string
		answers []sim.Result
		status  sim.Status
		err     string
		polls   int
	}{
		{"a sync after the start", []sim.Result{
			replication(t, targetFileSystem, "ENABLING", ""),
			replication(t, targetFileSystem, "ENABLED", ""),
			replication(t, targetFileSystem, "ENABLED", "2026-01-04T02:59:00.000Z"), // before After
			replication(t, targetFileSystem, "ENABLED", "2026-01-04T03:30:00.000Z"),
		}, sim.Succeeded, "", 4},
		{"an error", []sim.Result{replication(t, targetFileSystem, "ERROR", "")}, sim.Failed, ErrInvalidState, 1},
		{"paused", []sim.Result{replication(t, targetFileSystem, "PAUSED", "2026-01-04T03:30:00.000Z")}, sim.Failed, ErrInvalidState, 1},
		{"another destination", []sim.Result{replication(t, "fs-0aaaaaaaaaaaaaaaa", "ENABLED", "")}, sim.Failed, ErrPreconditions, 1},
		{"never synced", []sim.Result{replication(t, targetFileSystem, "ENABLED", "")}, sim.Failed, asl.ErrPollTimeout, 180},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Without VerifyFile (the example's input) the sync alone decides.
			x := simulateExample(t, GroupEFS, "wait_replication_complete", nil, map[string][]sim.Result{"WaitSynced": tt.answers})
			wantStatus(t, x, tt.status, tt.err)
			if n := len(callsIn(x, "WaitSynced")); n != tt.polls {
				t.Errorf("%d polls, want %d", n, tt.polls)
			}
			if n := len(callsTo(x, "lambda:invoke")); n != 0 {
				t.Errorf("%d check-flag-file invocations without VerifyFile, want none", n)
			}
			if tt.status == sim.Succeeded {
				wantJSON(t, "output", x.Output, `{"LastReplicatedTimestamp":"2026-01-04T03:30:00.000Z"}`)
			}
		})
	}
}

// flagFile is a check-flag-file answer for the verify file: modified ""
// is a file that is not there.
func flagFile(t *testing.T, modified string) sim.Result {
	payload := map[string]any{"path": verifyFile, "exists": false}
	if modified != "" {
		payload = map[string]any{"path": verifyFile, "exists": true, "size": 36, "modified": modified,
			"truncated": false, "content": "4f1c1b0e-5b7e-4a43-9b52-2a57c3f0b8a1"}
	}
	return answer(map[string]any{"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": payload})
}

const verifyFile = "health/heartbeat"

func TestWaitReplicationVerifiesTheFile(t *testing.T) {
	e := exampleEnv(t)
	_, dst, _ := exampleCopy(e, "")
	checkFlagFile := e.FunctionARN(dst, names.FnCheckFlagFile)
	verify := map[string]any{"VerifyFile": verifyFile, "FunctionArn": checkFlagFile, "Account": accountOf(e, dst)}
	synced := replication(t, targetFileSystem, "ENABLED", "2026-01-04T03:30:00.000Z") // After is 03:00
	const (
		stale = "2026-01-04T02:59:59.999999999Z"
		fresh = "2026-01-04T03:31:02.123456789Z" // the Lambda's RFC 3339 with nanoseconds
	)
	tests := []struct {
		name    string
		answers []sim.Result
		status  sim.Status
		err     string
		cause   []string // what the cause must say
		checks  int
	}{
		{"fresh on the first check", []sim.Result{flagFile(t, fresh)}, sim.Succeeded, "", nil, 1},
		{"modified exactly at the start", []sim.Result{flagFile(t, "2026-01-04T03:00:00Z")}, sim.Succeeded, "", nil, 1},
		{"missing, then stale, then fresh", []sim.Result{flagFile(t, ""), flagFile(t, stale), flagFile(t, stale), flagFile(t, fresh)},
			sim.Succeeded, "", nil, 4},
		{"missing until the attempts run out", []sim.Result{flagFile(t, "")}, sim.Failed, ErrNotVerified,
			[]string{verifyFile, targetFileSystem, "not on the target", "30 checks 60 s apart"}, 30},
		{"stale until the attempts run out", []sim.Result{flagFile(t, ""), flagFile(t, stale)}, sim.Failed, ErrNotVerified,
			[]string{verifyFile, targetFileSystem, "last modification on the target is " + stale, "before the run started (2026-01-04T03:00:00Z)"}, 30},
		// A function error is the function's to explain, never "not yet".
		{"the function fails", []sim.Result{flagFile(t, ""), {Err: &sim.Failure{Name: "InvalidEvent", Cause: `{"errorMessage":"path: must be relative","errorType":"InvalidEvent"}`}}},
			sim.Failed, "InvalidEvent", []string{"path: must be relative"}, 2},
		{"the function crashes", []sim.Result{{Err: &sim.Failure{Name: asl.ErrLambdaUnknown, Cause: "Task timed out after 60.00 seconds"}}},
			sim.Failed, asl.ErrLambdaUnknown, []string{"Task timed out"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := simulateExample(t, GroupEFS, "wait_replication_complete", verify, map[string][]sim.Result{
				"WaitSynced": {synced}, "FindFile": tt.answers,
			})
			wantStatus(t, x, tt.status, tt.err)
			for _, c := range tt.cause {
				if !strings.Contains(x.Cause, c) {
					t.Errorf("cause %q, want it to say %q", x.Cause, c)
				}
			}
			checks := callsIn(x, "FindFile")
			if len(checks) != tt.checks {
				t.Fatalf("%d checks, want %d", len(checks), tt.checks)
			}
			for i, c := range checks {
				if c.RoleArn != e.AccountRoleARN(dst) {
					t.Errorf("check %d runs as %q, want the destination's role %s", i, c.RoleArn, e.AccountRoleARN(dst))
				}
				wantJSON(t, "invoke", c.Parameters, `{"FunctionName":"`+checkFlagFile+`","Payload":{"path":"health/heartbeat"}}`)
				if c.RetryCount != 0 {
					t.Errorf("check %d is retry %d: a function error is not retried", i, c.RetryCount)
				}
				if i > 0 {
					if gap := c.Time.Sub(checks[i-1].Time); gap != 60*time.Second {
						t.Errorf("check %d came %s after the previous one, want 1m0s", i, gap)
					}
				}
			}
			if tt.status == sim.Succeeded {
				// The checks come after the sync, and do not change the output.
				if first, last := checks[0].Time, callsIn(x, "WaitSynced")[0].Time; first.Before(last) {
					t.Errorf("the first check at %s comes before the sync was seen at %s", first, last)
				}
				wantJSON(t, "output", x.Output, `{"LastReplicatedTimestamp":"2026-01-04T03:30:00.000Z"}`)
			}
		})
	}
	t.Run("a stale sync is polled before any check", func(t *testing.T) {
		x := simulateExample(t, GroupEFS, "wait_replication_complete", verify, map[string][]sim.Result{
			"WaitSynced": {replication(t, targetFileSystem, "ENABLED", "2026-01-04T02:59:00.000Z"), synced},
			"FindFile":   {flagFile(t, fresh)},
		})
		wantStatus(t, x, sim.Succeeded, "")
		if s, c := len(callsIn(x, "WaitSynced")), len(callsIn(x, "FindFile")); s != 2 || c != 1 {
			t.Errorf("%d polls and %d checks, want 2 and 1", s, c)
		}
	})
	t.Run("VerifyFile without the function", func(t *testing.T) {
		x := simulateExample(t, GroupEFS, "wait_replication_complete", map[string]any{"VerifyFile": verifyFile, "Account": accountOf(e, dst)},
			map[string][]sim.Result{"WaitSynced": {synced}})
		wantStatus(t, x, sim.Failed, ErrPreconditions)
		if n := len(callsIn(x, "FindFile")); n != 0 {
			t.Errorf("%d checks, want none", n)
		}
	})
}

// TestReplicationPassesTheVerifyFile checks what the orchestrator gives
// wait_replication_complete, and what the Lambda call then is for IAM: the
// check-flag-file function of the destination, under the destination's
// role, only for a copy with a verify_file.
func TestReplicationPassesTheVerifyFile(t *testing.T) {
	s := spectest.Load(t, "../testdata/golden/render-every-feature/refresh.hcl")
	var reports *spec.FileSystemCopy
	var r *spec.Refresh
	for _, ref := range s.Refreshes {
		for _, fs := range ref.FileSystems {
			if fs.Strategy == spec.FSReplication {
				reports, r = fs, ref
			}
		}
	}
	if reports == nil {
		t.Fatal("the spec has no replication copy")
	}
	n := names.New(s)
	synced := "States.Copy.Branches[" + strconv.Itoa(len(r.Databases)+slices.Index(r.FileSystems, reports)) + "].States." + stateName(reports.Name) + "Synced"
	inventory := func(t *testing.T) (start Call, invokes []Call) {
		t.Helper()
		ms, err := Generate(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range Inventory(ms) {
			switch {
			case c.Machine.Workflow.Group == GroupOrchestrator && c.State == synced:
				start = c
			case c.Machine.Workflow.Key == "wait_replication_complete" && c.Integration.Service == "lambda":
				invokes = append(invokes, c)
			}
		}
		if start.Machine == nil {
			t.Fatalf("no call at %s", synced)
		}
		return start, invokes
	}
	t.Run("without verify_file", func(t *testing.T) {
		start, invokes := inventory(t)
		for _, k := range []string{"Input.VerifyFile", "Input.FunctionArn", "Input.Account.RoleArn"} {
			if v, ok := start.Params[k]; ok {
				t.Errorf("%s = %v, want it absent", k, v)
			}
		}
		if len(invokes) != 0 {
			t.Errorf("check-flag-file is invoked: %+v", invokes)
		}
	})
	t.Run("with verify_file", func(t *testing.T) {
		reports.VerifyFile = verifyFile
		start, invokes := inventory(t)
		function, role := n.FunctionARN(r.Destination, names.FnCheckFlagFile), n.AccountRoleARN(r.Destination)
		for k, want := range map[string]string{"Input.VerifyFile": verifyFile, "Input.FunctionArn": function,
			"Input.Account.RoleArn": role, "Input.Account.AccountId": r.Destination.ID} {
			if got := start.Params[k]; !slices.Equal(got.Static, []string{want}) || got.Unknown {
				t.Errorf("%s = %+v, want %s", k, got, want)
			}
		}
		if len(invokes) != 1 {
			t.Fatalf("%d check-flag-file calls, want 1", len(invokes))
		}
		c := invokes[0]
		if !slices.Equal(c.Role.Static, []string{role}) || c.Role.Unknown {
			t.Errorf("check-flag-file runs as %+v, want %s", c.Role, role)
		}
		if got := c.Params["FunctionName"]; !slices.Equal(got.Static, []string{function}) {
			t.Errorf("FunctionName = %+v, want %s", got, function)
		}
		if got := c.Params["Payload.path"]; !slices.Equal(got.Static, []string{verifyFile}) {
			t.Errorf("Payload.path = %+v, want %s", got, verifyFile)
		}
	})
}

func TestFinishReplication(t *testing.T) {
	// Everything happens in the destination account, from the replica's side.
	wantCalls(t, machineOf(t, GroupEFS, "finish_replication"), map[string][]string{
		"efs:describeFileSystems": {roleAccount}, "efs:describeReplicationConfigurations": repeated(roleAccount, 2),
		"efs:deleteReplicationConfiguration": {roleAccount}, "efs:updateFileSystemProtection": {roleAccount},
	})
	tests := []struct {
		name       string
		answers    map[string][]sim.Result
		status     sim.Status
		err        string
		deletions  int
		protection int
	}{
		{"ends it and protects the copy", map[string][]sim.Result{
			"DescribeTarget":    {fileSystem("available", true)},
			"FindReplication":   {replication(t, targetFileSystem, "ENABLED", "")},
			"DeleteReplication": {answer(map[string]any{})},
			"WaitDeleted":       {replication(t, targetFileSystem, "DELETING", ""), failure(asl.ErrEfsReplicationNotFound)},
			"Protect":           {answer(map[string]any{})},
		}, sim.Succeeded, "", 1, 1},
		{"ended already", map[string][]sim.Result{
			"DescribeTarget":  {fileSystem("available", true)},
			"FindReplication": {failure(asl.ErrEfsReplicationNotFound)},
			"Protect":         {answer(map[string]any{})},
		}, sim.Succeeded, "", 0, 1},
		{"the target is a source", map[string][]sim.Result{
			"DescribeTarget":  {fileSystem("available", true)},
			"FindReplication": {replication(t, "fs-0aaaaaaaaaaaaaaaa", "ENABLED", "")},
		}, sim.Failed, ErrPreconditions, 0, 0},
		{"not refreshgen's", map[string][]sim.Result{
			"DescribeTarget": {fileSystem("available", false)},
		}, sim.Failed, ErrNotManaged, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := simulateExample(t, GroupEFS, "finish_replication", nil, tt.answers)
			wantStatus(t, x, tt.status, tt.err)
			if d, p := len(callsIn(x, "DeleteReplication")), len(callsIn(x, "Protect")); d != tt.deletions || p != tt.protection {
				t.Errorf("%d deletions and %d protections, want %d and %d", d, p, tt.deletions, tt.protection)
			}
			if tt.deletions > 0 {
				if got := asJSON(t, callsIn(x, "DeleteReplication")[0].Parameters); got != `{"SourceFileSystemId":"fs-0123456789abcdef0"}` {
					t.Errorf("deleteReplicationConfiguration %s: want the source's ID", got)
				}
				if got := asJSON(t, callsIn(x, "Protect")[0].Parameters); !strings.Contains(got, `"ReplicationOverwriteProtection":"ENABLED"`) {
					t.Errorf("updateFileSystemProtection %s", got)
				}
			}
		})
	}
}
