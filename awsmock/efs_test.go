package awsmock

import (
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// Cross-account replication into an existing file system: refused while
// the target is protected or named by ID; ENABLING, then ENABLED with a
// LastReplicatedTimestamp once the first sync completes; deleted from the
// destination's side, after which the target is protected again.
func TestReplication(t *testing.T) {
	h := newHarness(t, goldenSpec, Options{})
	prod, qa := h.role("prod"), h.role("qa")
	const source, target = "fs-0aaaabbbbccccdddd", "fs-0eeeeffff00001111"
	targetArn := "arn:aws:elasticfilesystem:us-east-2:222222222222:file-system/" + target
	h.fails(prod, "aws-sdk:efs:describeReplicationConfigurations", map[string]any{"FileSystemId": source}, asl.ErrEfsReplicationNotFound)
	create := func(fs string) map[string]any {
		return map[string]any{"SourceFileSystemId": source, "Destinations": []any{map[string]any{
			"FileSystemId": fs, "Region": "us-east-2", "RoleArn": "arn:aws:iam::111111111111:role/replication"}}}
	}
	h.fails(prod, "aws-sdk:efs:createReplicationConfiguration", create(targetArn), "Efs.ValidationException")
	fs := h.ok(qa, "aws-sdk:efs:describeFileSystems", map[string]any{"FileSystemId": target})
	if get(fs, "FileSystems", 0, "FileSystemProtection", "ReplicationOverwriteProtection") != "ENABLED" {
		t.Fatalf("a new target is protected: %v", fs)
	}
	h.ok(qa, "aws-sdk:efs:updateFileSystemProtection", map[string]any{"FileSystemId": target, "ReplicationOverwriteProtection": "DISABLED"})
	// By ID, the destination would be a file system of the source account.
	h.fails(prod, "aws-sdk:efs:createReplicationConfiguration", create(target), asl.ErrEfsFileSystemNotFound)
	h.ok(prod, "aws-sdk:efs:createReplicationConfiguration", create(targetArn))
	h.fails(prod, "aws-sdk:efs:createReplicationConfiguration", create(targetArn), "Efs.ReplicationAlreadyExistsException")
	destination := func(role, fs string) any {
		out := h.ok(role, "aws-sdk:efs:describeReplicationConfigurations", map[string]any{"FileSystemId": fs})
		return get(out, "Replications", 0, "Destinations", 0)
	}
	if d := destination(prod, source); get(d, "Status") != "ENABLING" || get(d, "FileSystemId") != target || get(d, "LastReplicatedTimestamp") != nil {
		t.Errorf("right after: %v", d)
	}
	h.after(10 * time.Minute)
	if d := destination(qa, target); get(d, "Status") != "ENABLED" || get(d, "LastReplicatedTimestamp") != nil {
		t.Errorf("enabled, not synced yet: %v", d)
	}
	h.after(30 * time.Minute)
	if d := destination(prod, source); get(d, "LastReplicatedTimestamp") != "2026-01-01T00:35:00.000Z" {
		t.Errorf("synced: %v", d)
	}
	h.fails(qa, "aws-sdk:efs:updateFileSystemProtection", map[string]any{"FileSystemId": target, "ReplicationOverwriteProtection": "ENABLED"},
		"Efs.ReplicationAlreadyExistsException")
	h.ok(qa, "aws-sdk:efs:deleteReplicationConfiguration", map[string]any{"SourceFileSystemId": source})
	if d := destination(qa, target); get(d, "Status") != "DELETING" {
		t.Errorf("deleting: %v", d)
	}
	h.after(3 * time.Minute)
	h.fails(qa, "aws-sdk:efs:describeReplicationConfigurations", map[string]any{"FileSystemId": target}, asl.ErrEfsReplicationNotFound)
	fs = h.ok(qa, "aws-sdk:efs:describeFileSystems", map[string]any{"FileSystemId": target})
	if get(fs, "FileSystems", 0, "FileSystemProtection", "ReplicationOverwriteProtection") != "ENABLED" {
		t.Errorf("protected again: %v", fs)
	}
}

// A file system is created idempotently, gets mount targets one per zone
// and is deleted once they are gone.
func TestFileSystemLifecycle(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	create := map[string]any{"CreationToken": "media", "Encrypted": true}
	fs := h.ok(staging, "aws-sdk:efs:createFileSystem", create)
	id := fs["FileSystemId"]
	if fs["LifeCycleState"] != "creating" {
		t.Errorf("new: %v", fs)
	}
	h.fails(staging, "aws-sdk:efs:createFileSystem", create, asl.ErrEfsFileSystemAlreadyExists)
	mt := map[string]any{"FileSystemId": id, "SubnetId": "subnet-0a1b2c3d4e5f60718"}
	h.fails(staging, "aws-sdk:efs:createMountTarget", mt, asl.ErrEfsIncorrectFileSystemLifeCycleState)
	h.after(2 * time.Minute)
	m := h.ok(staging, "aws-sdk:efs:createMountTarget", mt)
	h.fails(staging, "aws-sdk:efs:createMountTarget", mt, asl.ErrEfsMountTargetConflict)
	h.fails(staging, "aws-sdk:efs:deleteFileSystem", map[string]any{"FileSystemId": id}, asl.ErrEfsFileSystemInUse)
	h.ok(staging, "aws-sdk:efs:deleteMountTarget", map[string]any{"MountTargetId": m["MountTargetId"]})
	h.after(2 * time.Minute)
	if out := h.ok(staging, "aws-sdk:efs:describeMountTargets", map[string]any{"FileSystemId": id}); len(out["MountTargets"].([]any)) != 0 {
		t.Errorf("mount targets left: %v", out)
	}
	h.ok(staging, "aws-sdk:efs:deleteFileSystem", map[string]any{"FileSystemId": id})
	h.after(2 * time.Minute)
	h.fails(staging, "aws-sdk:efs:describeFileSystems", map[string]any{"FileSystemId": id}, asl.ErrEfsFileSystemNotFound)
}
