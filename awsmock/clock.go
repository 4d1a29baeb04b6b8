package awsmock

import (
	"maps"
	"slices"
	"time"
)

// The durations of the model, by the name a scenario's clock.durations
// uses. Their defaults are typical of AWS for a small estate; a scenario
// changes them to test a bound (a wait that gives up) or a race.
const (
	DurClusterCreate     = "cluster-create"      // restore or clone: creating -> available
	DurClusterModify     = "cluster-modify"      // modifying -> available
	DurClusterRename     = "cluster-rename"      // renaming -> available under the new id
	DurRenameVisible     = "rename-visible"      // until the new id answers (the old one answers until then)
	DurClusterStop       = "cluster-stop"        // stopping -> stopped
	DurClusterStart      = "cluster-start"       // starting -> available
	DurClusterDelete     = "cluster-delete"      // deleting -> gone
	DurInstanceCreate    = "instance-create"     // creating -> available
	DurInstanceRename    = "instance-rename"     // renaming -> available
	DurInstanceDelete    = "instance-delete"     // deleting -> gone
	DurSnapshotCreate    = "snapshot-create"     // creating -> available
	DurSnapshotCopy      = "snapshot-copy"       // copying -> available
	DurMasterSecret      = "master-secret"       // the master user secret: creating -> active
	DurRoleAssociation   = "role-association"    // a cluster's IAM role: PENDING -> ACTIVE
	DurCopyJob           = "copy-job"            // AWS Backup copy: CREATED, RUNNING -> COMPLETED
	DurRestoreJob        = "restore-job"         // AWS Backup restore: PENDING, RUNNING -> COMPLETED
	DurFileSystemCreate  = "filesystem-create"   // creating -> available
	DurFileSystemDelete  = "filesystem-delete"   // deleting -> gone
	DurMountTargetCreate = "mount-target-create" // creating -> available
	DurMountTargetDelete = "mount-target-delete" // deleting -> gone
	DurReplicationEnable = "replication-enable"  // ENABLING -> ENABLED
	DurReplicationSync   = "replication-sync"    // from creation to the first completed sync
	DurReplicationDelete = "replication-delete"  // DELETING -> gone
	DurNodegroupUpdate   = "nodegroup-update"    // InProgress -> Successful
	DurSecretRotation    = "secret-rotation"     // RotateSecret until LastRotatedDate moves
	DurShareAssociation  = "share-association"   // RAM: ASSOCIATING -> ASSOCIATED
	DurClaimRelease      = "claim-release"       // a deleted claim no pod uses goes
	DurRunSQL            = "run-sql"             // one invocation of the run-sql Lambda
	DurGetSubpath        = "get-efs-subpath"     // one invocation of get-efs-subpath
	DurCheckFlagFile     = "check-flag-file"     // one invocation of check-flag-file
	DurJob               = "job"                 // a Kubernetes Job of eks:runJob.sync
)

// Clock is the time model of a World: when the run starts, how long an
// API call takes, and how long each transition lasts.
type Clock struct {
	Start     time.Time
	Latency   time.Duration
	Durations map[string]time.Duration
	// latencySet says a scenario set Latency, possibly to 0.
	latencySet bool
}

// DefaultClock is the clock of a World without a scenario.
func DefaultClock() Clock {
	return Clock{
		Latency: 300 * time.Millisecond,
		Durations: map[string]time.Duration{
			DurClusterCreate: 18 * time.Minute, DurClusterModify: time.Minute,
			DurClusterRename: 90 * time.Second, DurRenameVisible: 30 * time.Second,
			DurClusterStop: 6 * time.Minute, DurClusterStart: 7 * time.Minute, DurClusterDelete: 4 * time.Minute,
			DurInstanceCreate: 11 * time.Minute, DurInstanceRename: 2 * time.Minute, DurInstanceDelete: 6 * time.Minute,
			DurSnapshotCreate: 7 * time.Minute, DurSnapshotCopy: 12 * time.Minute,
			DurMasterSecret: 40 * time.Second, DurRoleAssociation: 45 * time.Second,
			DurCopyJob: 25 * time.Minute, DurRestoreJob: 20 * time.Minute,
			DurFileSystemCreate: time.Minute, DurFileSystemDelete: time.Minute,
			DurMountTargetCreate: 90 * time.Second, DurMountTargetDelete: time.Minute,
			DurReplicationEnable: 4 * time.Minute, DurReplicationSync: 35 * time.Minute, DurReplicationDelete: 2 * time.Minute,
			DurNodegroupUpdate: 4 * time.Minute, DurSecretRotation: 50 * time.Second,
			DurShareAssociation: 30 * time.Second, DurClaimRelease: 5 * time.Second,
			DurRunSQL: 25 * time.Second, DurGetSubpath: 3 * time.Second, DurCheckFlagFile: 2 * time.Second,
			DurJob: 10 * time.Minute,
		},
	}
}

// DurationNames lists the names clock.durations accepts, sorted.
func DurationNames() []string {
	return slices.Sorted(maps.Keys(DefaultClock().Durations))
}

// with returns c changed by the settings of o that are set.
func (c Clock) with(o Clock) Clock {
	out := Clock{Start: c.Start, Latency: c.Latency, Durations: maps.Clone(c.Durations)}
	if !o.Start.IsZero() {
		out.Start = o.Start
	}
	if o.latencySet || o.Latency > 0 {
		out.Latency = o.Latency
	}
	maps.Copy(out.Durations, o.Durations)
	return out
}

// d is the duration called name.
func (c Clock) d(name string) time.Duration { return c.Durations[name] }
