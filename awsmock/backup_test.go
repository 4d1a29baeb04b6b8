package awsmock

import (
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/names"
)

// A cross-account AWS Backup copy, a restore into an existing file system
// and the get-efs-subpath Lambda that finds its folder.
func TestBackupCopyAndRestore(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	prod, staging := h.role("production"), h.role("staging")
	fsArn := "arn:aws:elasticfilesystem:eu-west-1:111111111111:file-system/fs-0123456789abcdef0"
	points := h.ok(prod, "aws-sdk:backup:listRecoveryPointsByBackupVault", map[string]any{"BackupVaultName": "prod-vault", "ByResourceArn": fsArn})
	list := points["RecoveryPoints"].([]any)
	if len(list) != 3 || get(list, 2, "Status") != "COMPLETED" {
		t.Fatalf("recovery points: %v", points)
	}
	h.fails(prod, "aws-sdk:backup:listRecoveryPointsByBackupVault", map[string]any{"BackupVaultName": "nope"}, "Backup.ResourceNotFoundException")
	copyJob := map[string]any{"RecoveryPointArn": get(list, 2, "RecoveryPointArn"), "SourceBackupVaultName": "prod-vault",
		"DestinationBackupVaultArn": "arn:aws:backup:eu-west-1:222222222222:backup-vault:staging-vault",
		"IamRoleArn":                "arn:aws:iam::111111111111:role/backup", "IdempotencyToken": "run-1"}
	id := h.ok(prod, "aws-sdk:backup:startCopyJob", copyJob)["CopyJobId"]
	if again := h.ok(prod, "aws-sdk:backup:startCopyJob", copyJob)["CopyJobId"]; again != id {
		t.Errorf("the same idempotency token started a second job: %v, %v", id, again)
	}
	state := func() map[string]any {
		return h.ok(prod, "aws-sdk:backup:describeCopyJob", map[string]any{"CopyJobId": id})["CopyJob"].(map[string]any)
	}
	for _, want := range []struct {
		after time.Duration
		state string
	}{{0, "CREATED"}, {2 * time.Minute, "RUNNING"}, {25 * time.Minute, "COMPLETED"}} {
		h.after(want.after)
		if j := state(); j["State"] != want.state {
			t.Fatalf("after %s: %v", want.after, j)
		}
	}
	dest := state()["DestinationRecoveryPointArn"].(string)
	if !strings.Contains(dest, ":222222222222:recovery-point:") {
		t.Fatalf("destination recovery point %s", dest)
	}
	fn := h.w.names.FunctionARN(h.s.Account("staging"), names.FnGetEFSSubpath)
	subpath := map[string]any{"FunctionName": fn, "Payload": map[string]any{"ssm_parameter_name": "/myapp/efs/media/subpath", "base_dir": ""}}
	h.fails(staging, "lambda:invoke", subpath, "RestoreFolderNotFound")
	restore := map[string]any{"RecoveryPointArn": dest, "IamRoleArn": "arn:aws:iam::222222222222:role/backup", "ResourceType": "EFS",
		"Metadata": map[string]any{"file-system-id": "fs-0fedcba9876543210", "newFileSystem": "false"}}
	h.fails(prod, "aws-sdk:backup:startRestoreJob", restore, "Backup.ResourceNotFoundException")
	job := h.ok(staging, "aws-sdk:backup:startRestoreJob", restore)["RestoreJobId"]
	h.after(22 * time.Minute)
	if r := h.ok(staging, "aws-sdk:backup:describeRestoreJob", map[string]any{"RestoreJobId": job}); r["Status"] != "COMPLETED" {
		t.Fatalf("restore job: %v", r)
	}
	out := h.ok(staging, "lambda:invoke", subpath)
	if p := get(out, "Payload", "subpath"); p != "aws-backup-restore_2026-01-01T00-27-00Z" {
		t.Errorf("subpath %v", out)
	}
	param := h.ok(staging, "aws-sdk:ssm:getParameter", map[string]any{"Name": "/myapp/efs/media/subpath"})
	if get(param, "Parameter", "Value") != get(out, "Payload", "subpath") {
		t.Errorf("parameter %v", param)
	}
	h.fails(staging, "aws-sdk:ssm:getParameter", map[string]any{"Name": "/nope"}, asl.ErrSsmParameterNotFound)
}

// A stuck copy job stays RUNNING; one ending FAILED says why.
func TestStuckBackupJobs(t *testing.T) {
	sc := &Scenario{Faults: []Fault{{Stuck: &Stuck{Type: "copy-job", Status: "RUNNING"}}}}
	h := newHarness(t, exampleSpec, Options{Scenario: sc})
	prod := h.role("production")
	points := h.ok(prod, "aws-sdk:backup:listRecoveryPointsByBackupVault", map[string]any{"BackupVaultName": "prod-vault"})
	id := h.ok(prod, "aws-sdk:backup:startCopyJob", map[string]any{"RecoveryPointArn": get(points, "RecoveryPoints", 0, "RecoveryPointArn"),
		"SourceBackupVaultName": "prod-vault", "DestinationBackupVaultArn": "arn:aws:backup:eu-west-1:222222222222:backup-vault:staging-vault",
		"IamRoleArn": "arn:aws:iam::111111111111:role/backup"})["CopyJobId"]
	h.after(48 * time.Hour)
	if j := h.ok(prod, "aws-sdk:backup:describeCopyJob", map[string]any{"CopyJobId": id}); get(j, "CopyJob", "State") != "RUNNING" {
		t.Errorf("a stuck job: %v", j)
	}
}
