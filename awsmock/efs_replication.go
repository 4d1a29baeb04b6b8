package awsmock

import (
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// replicationInterval is how often a replication completes a sync once the
// first one is done: EFS keeps the destination within minutes.
const replicationInterval = 15 * time.Minute

// lastReplicated is when the last sync completed at t, zero before the
// first; only an ENABLED replication syncs.
func (w *World) lastReplicated(rep *replication, t time.Time) time.Time {
	first := rep.created.Add(w.clock.d(DurReplicationSync))
	if t.Before(first) || w.replicationStatus(rep, t) != "ENABLED" {
		return time.Time{}
	}
	return first.Add(t.Sub(first) / replicationInterval * replicationInterval)
}

func (w *World) replicationJSON(rep *replication, t time.Time) map[string]any {
	dst := map[string]any{
		"Status": w.replicationStatus(rep, t), "FileSystemId": rep.target.id, "Region": w.region,
		"OwnerId": rep.target.owner.id,
	}
	if rep.role != "" {
		dst["RoleArn"] = rep.role
	}
	if last := w.lastReplicated(rep, t); !last.IsZero() {
		dst["LastReplicatedTimestamp"] = sim.ISOTime(last)
	}
	return map[string]any{
		"SourceFileSystemId": rep.source.id, "SourceFileSystemRegion": w.region, "SourceFileSystemArn": rep.source.arn,
		"OriginalSourceFileSystemArn": rep.source.arn, "CreationTime": sim.ISOTime(rep.created),
		"SourceFileSystemOwnerId": rep.source.owner.id, "Destinations": []any{dst},
	}
}

// fileSystemByRef finds a destination file system named by ID (in the
// caller's account) or by ARN (in any account).
func (w *World) fileSystemByRef(caller *account, ref string, t time.Time) *fileSystem {
	if strings.HasPrefix(ref, "arn:") {
		parts := strings.SplitN(ref, ":", 6)
		if len(parts) == 6 {
			if acct := w.byID[parts[4]]; acct != nil {
				return w.findFileSystem(acct, ref, t)
			}
		}
		return nil
	}
	return w.findFileSystem(caller, ref, t)
}

// createReplicationConfiguration replicates a file system of the caller's
// account into an existing file system, whose replication overwrite
// protection must be off. Across accounts EFS needs the destination's ARN
// and a role to replicate as ("If you are replicating the file system to a
// file system that's in a different account than the source file system
// (cross-account replication), you need to provide the ARN for the file
// system and the IAM role", EFS API Reference, DestinationToCreate).
func (w *World) createReplicationConfiguration(r *request) (any, *sim.Failure) {
	id, err := r.required("SourceFileSystemId")
	if err != nil {
		return nil, err
	}
	src := w.findFileSystem(r.acct, id, r.now)
	if src == nil {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
	}
	list, ok := r.params["Destinations"].([]any)
	if !ok || len(list) != 1 {
		return nil, r.fail("ValidationException", 400, "Destinations must hold exactly one destination.")
	}
	d, ok := list[0].(map[string]any)
	if !ok {
		return nil, r.badType("Destinations", "a list of objects", list)
	}
	ref, _ := d["FileSystemId"].(string)
	region, _ := d["Region"].(string)
	role, _ := d["RoleArn"].(string)
	if ref == "" {
		return nil, r.fail("ValidationException", 400, "awsmock models replication into an existing file system only: Destinations[0].FileSystemId is required.")
	}
	if region != "" && region != w.region {
		return nil, r.fail("ValidationException", 400, "The destination Region %s is not %s, where the destination file system is.", region, w.region)
	}
	dst := w.fileSystemByRef(r.acct, ref, r.now)
	if dst == nil {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", ref)
	}
	if dst.owner != r.acct && (!strings.HasPrefix(ref, "arn:") || role == "") {
		return nil, r.fail("ValidationException", 400, "Replicating into another account needs the destination file system's ARN and a RoleArn.")
	}
	if w.liveReplication(src, r.now) != nil || w.liveReplication(dst, r.now) != nil {
		return nil, r.fail("ReplicationAlreadyExists", 409, "A file system can be part of only one replication configuration.")
	}
	if p := w.protectionAt(dst, r.now); p != "DISABLED" {
		return nil, r.fail("ValidationException", 400, "The destination file system %s has replication overwrite protection %s; disable it first.", dst.id, p)
	}
	rep := &replication{source: src, target: dst, role: role, created: r.now,
		lc: transition(r.now, "ENABLED", phase{"ENABLING", w.clock.d(DurReplicationEnable)})}
	src.replication, dst.replication = rep, rep
	return w.replicationJSON(rep, r.now), nil
}

// describeReplicationConfigurations describes the replication a file
// system of the caller's account is the source or the destination of.
func (w *World) describeReplicationConfigurations(r *request) (any, *sim.Failure) {
	id, err := r.str("FileSystemId")
	if err != nil {
		return nil, err
	}
	if id == "" {
		list := []any{}
		for _, f := range r.acct.fileSystems {
			if rep := w.liveReplication(f, r.now); rep != nil && rep.source == f {
				list = append(list, w.replicationJSON(rep, r.now))
			}
		}
		return map[string]any{"Replications": list}, nil
	}
	f := w.findFileSystem(r.acct, id, r.now)
	if f == nil {
		return nil, r.fail("FileSystemNotFound", 404, "File system '%s' does not exist.", id)
	}
	rep := w.liveReplication(f, r.now)
	if rep == nil {
		return nil, r.fail("ReplicationNotFound", 404, "Replication configuration for file system '%s' does not exist.", id)
	}
	return map[string]any{"Replications": []any{w.replicationJSON(rep, r.now)}}, nil
}

// deleteReplicationConfiguration ends the replication of SourceFileSystemId,
// from either side; the destination becomes writable and protected again
// once the deletion completes.
func (w *World) deleteReplicationConfiguration(r *request) (any, *sim.Failure) {
	id, err := r.required("SourceFileSystemId")
	if err != nil {
		return nil, err
	}
	mode, _ := r.str("DeletionMode")
	if mode != "" && mode != "ALL_CONFIGURATIONS" && mode != "LOCAL_CONFIGURATION_ONLY" {
		return nil, r.fail("ValidationException", 400, "Invalid DeletionMode %s.", mode)
	}
	for _, a := range w.accounts {
		for _, f := range a.fileSystems {
			rep := w.liveReplication(f, r.now)
			if rep == nil || rep.source != f || f.id != id || rep.source.owner != r.acct && rep.target.owner != r.acct {
				continue
			}
			if w.replicationStatus(rep, r.now) != "DELETING" {
				rep.lc = transition(r.now, gone, phase{"DELETING", w.clock.d(DurReplicationDelete)})
				rep.target.protection = "ENABLED"
			}
			return map[string]any{}, nil
		}
	}
	return nil, r.fail("ReplicationNotFound", 404, "Replication configuration for file system '%s' does not exist.", id)
}
