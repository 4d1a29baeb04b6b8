package awsmock

import (
	"slices"
	"strings"
	"time"
)

// Read-only views of the World's state, for whoever checks what a run
// left behind (package simulate, tests) and for IAM's view of resource
// tags. Accounts are named as the spec names them (or by ID for an
// account outside the spec); every view is a copy, in creation order.

// Tags returns the tags at t of the resource whose ARN is arn, as IAM
// reads them for aws:ResourceTag conditions: an RDS cluster, instance or
// cluster snapshot, an EFS file system or access point, an AWS RAM
// resource share. nil when the resource does not exist at t or has no
// tags; an empty map is never returned.
func (w *World) Tags(arn string, at time.Time) map[string]string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return nil
	}
	acct := w.byID[parts[4]]
	if acct == nil {
		return nil
	}
	var t tags
	switch parts[2] {
	case "rds":
		switch {
		case strings.HasPrefix(parts[5], "cluster:"):
			if c := w.findCluster(acct, arn, at); c != nil {
				t = c.tags
			}
		case strings.HasPrefix(parts[5], "db:"):
			if i := w.findInstance(acct, arn, at); i != nil {
				t = i.tags
			}
		case strings.HasPrefix(parts[5], "cluster-snapshot:"):
			if s := w.findSnapshot(acct, arn, at); s != nil {
				t = s.tags
			}
		}
	case "elasticfilesystem":
		kind, id, _ := strings.Cut(parts[5], "/")
		switch kind {
		case "file-system":
			if f := w.findFileSystem(acct, id, at); f != nil {
				t = f.tags
			}
		case "access-point":
			for _, f := range acct.fileSystems {
				for _, ap := range f.accessPoints {
					if ap.id == id || ap.arn == arn {
						t = ap.tags
					}
				}
			}
		}
	case "ram":
		for _, sh := range acct.shares {
			if sh.arn == arn && w.shareStatus(sh, at) != "DELETED" {
				t = sh.tags
			}
		}
	}
	return t.asMap()
}

// asMap is the tags as a map, nil when there are none.
func (t tags) asMap() map[string]string {
	if len(t) == 0 {
		return nil
	}
	out := make(map[string]string, len(t))
	for _, x := range t {
		out[x.Key] = x.Value
	}
	return out
}

// account returns the account the spec calls name (or whose ID it is).
func (w *World) account(name string) *account {
	if a := w.byID[w.accountID(name)]; a != nil {
		return a
	}
	return w.byID[name]
}

// ClusterState is an Aurora cluster as it stands at a time.
type ClusterState struct {
	ID, ARN string
	Status  string
	Created time.Time
	Tags    map[string]string
	// Instances are the identifiers of its live instances.
	Instances []string
}

// Clusters lists the clusters of an account that exist at t.
func (w *World) Clusters(account string, at time.Time) []ClusterState {
	acct := w.account(account)
	if acct == nil {
		return nil
	}
	var out []ClusterState
	for _, c := range acct.clusters {
		st := w.clusterStatus(acct, c, at)
		if st == gone {
			continue
		}
		id := w.visibleID(c, at)
		cs := ClusterState{ID: id, ARN: w.clusterARN(acct, id), Status: st, Created: c.created, Tags: c.tags.asMap()}
		for _, i := range w.members(acct, c, at) {
			cs.Instances = append(cs.Instances, w.visibleInstanceID(i, at))
		}
		out = append(out, cs)
	}
	return out
}

// SnapshotState is a DB cluster snapshot as it stands at a time.
type SnapshotState struct {
	ID, ARN string
	Type    string // manual or automated
	Status  string
	Created time.Time
	Tags    map[string]string
	// SharedWith are the accounts it is shared with ("all": public).
	SharedWith []string
}

// Snapshots lists the cluster snapshots an account owns at t.
func (w *World) Snapshots(account string, at time.Time) []SnapshotState {
	acct := w.account(account)
	if acct == nil {
		return nil
	}
	w.backups(acct, at)
	var out []SnapshotState
	for _, s := range acct.snapshots {
		st := w.snapshotStatus(s, at)
		if st == gone {
			continue
		}
		out = append(out, SnapshotState{ID: s.id, ARN: s.arn, Type: s.typ, Status: st, Created: s.created,
			Tags: s.tags.asMap(), SharedWith: slices.Clone(s.restore)})
	}
	return out
}

// GrantState is a KMS grant.
type GrantState struct {
	KeyARN, ID, Name string
	Grantee          string
	Operations       []string
	// Issuer is the ID of the account that made the grant.
	Issuer  string
	Created time.Time
}

// Grants lists the grants on the KMS keys of an account (revoked and
// retired grants are gone), those RDS holds for its own use included.
func (w *World) Grants(account string) []GrantState {
	acct := w.account(account)
	if acct == nil {
		return nil
	}
	var out []GrantState
	for _, k := range acct.keys {
		for _, g := range k.grants {
			out = append(out, GrantState{KeyARN: k.arn, ID: g.id, Name: g.name, Grantee: g.grantee,
				Operations: slices.Clone(g.operations), Issuer: g.issuer, Created: g.created})
		}
	}
	return out
}

// ShareState is an AWS RAM resource share as it stands at a time.
type ShareState struct {
	ARN, Name string
	Status    string // ACTIVE, DELETING or DELETED
	Created   time.Time
	// Resources and Principals are the ARNs and account IDs it shares, and
	// with whom.
	Resources  []string
	Principals []string
}

// Shares lists the resource shares an account owns, deleted ones
// included (AWS lists them for a while as DELETED).
func (w *World) Shares(account string, at time.Time) []ShareState {
	acct := w.account(account)
	if acct == nil {
		return nil
	}
	var out []ShareState
	for _, sh := range acct.shares {
		if sh.created.After(at) {
			continue
		}
		s := ShareState{ARN: sh.arn, Name: sh.name, Status: w.shareStatus(sh, at), Created: sh.created}
		for _, x := range sh.resources {
			s.Resources = append(s.Resources, x.arn)
		}
		for _, p := range sh.principals {
			s.Principals = append(s.Principals, p.principal)
		}
		out = append(out, s)
	}
	return out
}

// FileSystemState is an EFS file system as it stands at a time.
type FileSystemState struct {
	ID, ARN string
	Status  string
	Tags    map[string]string
	// Protection is its replication overwrite protection: ENABLED,
	// DISABLED or REPLICATING.
	Protection string
	// Replicating is set while a replication configuration of which it is
	// the source or the destination exists.
	Replicating bool
	// Folders are the folders AWS Backup restores wrote into it.
	Folders []string
}

// FileSystems lists the file systems of an account that exist at t.
func (w *World) FileSystems(account string, at time.Time) []FileSystemState {
	acct := w.account(account)
	if acct == nil {
		return nil
	}
	var out []FileSystemState
	for _, f := range acct.fileSystems {
		st := w.fsStatus(f, at)
		if st == gone {
			continue
		}
		out = append(out, FileSystemState{ID: f.id, ARN: f.arn, Status: st, Tags: f.tags.asMap(),
			Protection: w.protectionAt(f, at), Replicating: w.liveReplication(f, at) != nil, Folders: w.folders(f, at)})
	}
	return out
}

// NodegroupState is a managed node group's scaling at a time, and what
// it was seeded with.
type NodegroupState struct {
	Cluster, Name                 string
	Min, Desired, Max             int
	BaseMin, BaseDesired, BaseMax int
}

// Nodegroups lists the node groups of the EKS clusters of an account.
func (w *World) Nodegroups(account string, at time.Time) []NodegroupState {
	acct := w.account(account)
	if acct == nil {
		return nil
	}
	var out []NodegroupState
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range acct.eks {
			if !yield(k) {
				return
			}
		}
	}) {
		c := acct.eks[name]
		for _, ng := range c.nodegroups {
			s := w.sizesAt(c, ng, at)
			out = append(out, NodegroupState{Cluster: c.name, Name: ng.name, Min: s.min, Desired: s.desired, Max: s.max,
				BaseMin: ng.base.min, BaseDesired: ng.base.desired, BaseMax: ng.base.max})
		}
	}
	return out
}
