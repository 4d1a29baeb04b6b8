package awsmock

import (
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// fileSystem is an EFS file system.
type fileSystem struct {
	id, arn         string
	owner           *account
	token           string
	created         time.Time
	lc              lifecycle
	tags            tags
	protection      string // ENABLED or DISABLED; REPLICATING comes from replication
	kmsKey          string
	performanceMode string
	mountTargets    []*mountTarget
	accessPoints    []*accessPoint
	// replication is the replication the file system is the source or the
	// destination of.
	replication *replication
	// restores are the AWS Backup restores into the file system: each
	// writes its folder when it completes.
	restores []*restoreJob
}

// replication is an EFS replication configuration.
type replication struct {
	source, target *fileSystem
	role           string
	created        time.Time
	lc             lifecycle // ENABLING -> ENABLED, or DELETING -> gone
}

func (w *World) fsStatus(f *fileSystem, t time.Time) string {
	return w.statusAt("filesystem", f.owner, f.id, f.lc, t)
}

func (w *World) replicationStatus(rep *replication, t time.Time) string {
	return w.statusAt("replication", rep.source.owner, rep.source.id, rep.lc, t)
}

// liveReplication is the replication of f that exists at t.
func (w *World) liveReplication(f *fileSystem, t time.Time) *replication {
	if f.replication == nil || w.replicationStatus(f.replication, t) == gone {
		return nil
	}
	return f.replication
}

// protectionAt is the file system's replication overwrite protection.
func (w *World) protectionAt(f *fileSystem, t time.Time) string {
	if rep := w.liveReplication(f, t); rep != nil && rep.target == f {
		return "REPLICATING"
	}
	return f.protection
}

// findFileSystem returns the file system of acct with the ID (or ARN) id.
func (w *World) findFileSystem(acct *account, id string, t time.Time) *fileSystem {
	if strings.HasPrefix(id, "arn:") {
		parts := strings.SplitN(id, ":", 6)
		if len(parts) != 6 || parts[4] != acct.id || !strings.HasPrefix(parts[5], "file-system/") {
			return nil
		}
		id = strings.TrimPrefix(parts[5], "file-system/")
	}
	for _, f := range acct.fileSystems {
		if f.id == id && w.fsStatus(f, t) != gone {
			return f
		}
	}
	return nil
}

func (w *World) newFileSystem(acct *account, id, token string, created time.Time) *fileSystem {
	f := &fileSystem{id: id, arn: w.arn("elasticfilesystem", acct.id, "file-system/"+id), owner: acct, token: token,
		created: created, lc: steady("available"), protection: "ENABLED", performanceMode: "generalPurpose"}
	acct.fileSystems = append(acct.fileSystems, f)
	return f
}

// folders are the restore folders of f at t, oldest first.
func (w *World) folders(f *fileSystem, t time.Time) []string {
	var out []string
	for _, j := range f.restores {
		if w.restoreStatus(j, t) == "COMPLETED" {
			out = append(out, j.folder)
		}
	}
	return out
}

func (w *World) fsJSON(f *fileSystem, t time.Time) map[string]any {
	out := map[string]any{
		"OwnerId": f.owner.id, "CreationToken": f.token, "FileSystemId": f.id, "FileSystemArn": f.arn,
		"CreationTime": sim.ISOTime(f.created), "LifeCycleState": w.fsStatus(f, t),
		"NumberOfMountTargets": len(w.liveMountTargets(f, t)),
		"SizeInBytes":          map[string]any{"Value": 6144, "ValueInStandard": 6144, "ValueInIA": 0, "ValueInArchive": 0},
		"PerformanceMode":      f.performanceMode, "ThroughputMode": "elastic", "Encrypted": f.kmsKey != "",
		"Tags":                 f.tags.list(),
		"FileSystemProtection": map[string]any{"ReplicationOverwriteProtection": w.protectionAt(f, t)},
	}
	for _, x := range f.tags {
		if x.Key == "Name" {
			out["Name"] = x.Value
		}
	}
	if f.kmsKey != "" {
		out["KmsKeyId"] = f.kmsKey
	}
	return out
}

// describeFileSystems describes one file system by ID or creation token,
// or all of the account's.
func (w *World) describeFileSystems(r *request) (any, *sim.Failure) {
	id, err := r.str("FileSystemId")
	if err != nil {
		return nil, err
	}
	token, err := r.str("CreationToken")
	if err != nil {
		return nil, err
	}
	if id != "" {
		f := w.findFileSystem(r.acct, id, r.now)
		if f == nil {
			return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
		}
		return map[string]any{"FileSystems": []any{w.fsJSON(f, r.now)}}, nil
	}
	list := []any{}
	for _, f := range r.acct.fileSystems {
		if w.fsStatus(f, r.now) != gone && (token == "" || f.token == token) {
			list = append(list, w.fsJSON(f, r.now))
		}
	}
	return map[string]any{"FileSystems": list}, nil
}

// createFileSystem creates a file system; a creation token already used
// fails with FileSystemAlreadyExists.
func (w *World) createFileSystem(r *request) (any, *sim.Failure) {
	token, err := r.required("CreationToken")
	if err != nil {
		return nil, err
	}
	for _, f := range r.acct.fileSystems {
		if f.token == token && w.fsStatus(f, r.now) != gone {
			return nil, r.fail("FileSystemAlreadyExists", 409, "File system '%s' already exists with creation token '%s'", f.id, token)
		}
	}
	encrypted, _, err := r.boolean("Encrypted")
	if err != nil {
		return nil, err
	}
	keyID, err := r.str("KmsKeyId")
	if err != nil {
		return nil, err
	}
	if keyID != "" && !encrypted {
		return nil, r.invalid("KmsKeyId requires Encrypted to be true.")
	}
	t, err := r.tagList("Tags")
	if err != nil {
		return nil, err
	}
	mode, _ := r.str("PerformanceMode")
	if mode == "" {
		mode = "generalPurpose"
	}
	if mode != "generalPurpose" && mode != "maxIO" {
		return nil, r.invalid("Invalid PerformanceMode %s", mode)
	}
	f := w.newFileSystem(r.acct, "fs-"+w.hexID(17), token, r.now)
	f.lc = transition(r.now, "available", phase{"creating", w.clock.d(DurFileSystemCreate)})
	f.tags, f.performanceMode = t, mode
	if encrypted {
		f.kmsKey = keyID
		if f.kmsKey == "" {
			f.kmsKey = w.arn("kms", r.acct.id, "alias/aws/elasticfilesystem")
		}
	}
	return w.fsJSON(f, r.now), nil
}

// deleteFileSystem deletes a file system without mount targets that is
// part of no replication.
func (w *World) deleteFileSystem(r *request) (any, *sim.Failure) {
	id, err := r.required("FileSystemId")
	if err != nil {
		return nil, err
	}
	f := w.findFileSystem(r.acct, id, r.now)
	if f == nil {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
	}
	if len(w.liveMountTargets(f, r.now)) > 0 {
		return nil, r.fail("FileSystemInUse", 409, "File system '%s' has mount targets.", id)
	}
	if w.liveReplication(f, r.now) != nil {
		return nil, r.fail("FileSystemInUse", 409, "File system '%s' is part of a replication configuration.", id)
	}
	if w.fsStatus(f, r.now) != "deleting" {
		f.lc = transition(r.now, gone, phase{"deleting", w.clock.d(DurFileSystemDelete)})
	}
	return map[string]any{}, nil
}

// efsTagResource is efs:tagResource: it tags a file system or an access
// point.
func (w *World) efsTagResource(r *request) (any, *sim.Failure) {
	id, err := r.required("ResourceId")
	if err != nil {
		return nil, err
	}
	add, err := r.tagList("Tags")
	if err != nil {
		return nil, err
	}
	if f := w.findFileSystem(r.acct, id, r.now); f != nil {
		f.tags = f.tags.merge(add)
		return map[string]any{}, nil
	}
	for _, f := range r.acct.fileSystems {
		for _, a := range f.accessPoints {
			if a.id == id || a.arn == id {
				a.tags = a.tags.merge(add)
				return map[string]any{}, nil
			}
		}
	}
	if strings.HasPrefix(id, "fsap-") {
		return nil, r.fail("AccessPointNotFound", 404, "Access point '%s' does not exist.", id)
	}
	return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
}

// updateFileSystemProtection turns replication overwrite protection on or
// off; it cannot change while the file system is a replica.
func (w *World) updateFileSystemProtection(r *request) (any, *sim.Failure) {
	id, err := r.required("FileSystemId")
	if err != nil {
		return nil, err
	}
	value, err := r.str("ReplicationOverwriteProtection")
	if err != nil {
		return nil, err
	}
	f := w.findFileSystem(r.acct, id, r.now)
	if f == nil {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
	}
	if value != "" {
		if value != "ENABLED" && value != "DISABLED" {
			return nil, r.invalid("ReplicationOverwriteProtection must be ENABLED or DISABLED, not %s.", value)
		}
		if w.protectionAt(f, r.now) == "REPLICATING" {
			return nil, r.fail("ReplicationAlreadyExists", 409, "File system '%s' is the destination of a replication: its protection cannot change.", id)
		}
		f.protection = value
	}
	return map[string]any{"ReplicationOverwriteProtection": w.protectionAt(f, r.now)}, nil
}
