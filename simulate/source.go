package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/awsmock"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
)

// SourceWrite is a call a refresh made as refreshgen's role in its source
// account (production) that is not read-only.
type SourceWrite struct {
	Entry awsmock.Entry
	// Owned says which of the run's own resources the call changes; ""
	// when it changes something else: a change to production.
	Owned string
}

// SourceWrites classifies the calls of a refresh's timeline made as the
// source account's role. A call is read-only when its action is a
// Describe, List or Get. Any other call must act on what the run itself
// makes or made, and nothing else:
//
//   - RDS: creating, copying to, sharing (modifyDBClusterSnapshotAttribute),
//     tagging, untagging or deleting a cluster snapshot whose identifier
//     starts with the refresh's snapshot prefix (names.SnapshotPrefix of
//     one of its databases); copying reads the source snapshot, creating
//     reads the cluster;
//   - KMS: creating a grant to the destination's refreshgen role, and
//     revoking or retiring a grant this run created;
//   - AWS RAM: creating a resource share named with the refresh's
//     snapshot prefix, and deleting a share this run created;
//   - AWS Backup: starting a copy job of a recovery point into a vault of
//     the destination account (it reads the source vault);
//   - EFS: creating the replication of a source file system into a file
//     system of the destination account, and deleting a replication this
//     run created.
//
// Calls that failed count too: an attempt to change production is as bad
// as a change. The result lists every non-read-only call, in time order.
func SourceWrites(s *spec.Spec, r *spec.Refresh, timeline []awsmock.Entry) []SourceWrite {
	n := names.New(s)
	role := n.AccountRoleARN(r.Source)
	dstRole := n.AccountRoleARN(r.Destination)
	var prefixes []string
	for _, db := range r.Databases {
		prefixes = append(prefixes, strings.ToLower(n.SnapshotPrefix(r, db)))
	}
	ownSnapshot := func(id string) bool {
		if i := strings.LastIndex(id, ":cluster-snapshot:"); i >= 0 {
			id = id[i+len(":cluster-snapshot:"):]
		}
		id = strings.ToLower(id)
		return id != "" && slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(id, p+"-") })
	}
	// What the run created, from the outputs of its own calls. (Parallel
	// branches run one after another in the simulator, so a release may
	// come before the creation in time order.)
	grants, shares, replications := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, e := range timeline {
		p, _ := e.Parameters.(map[string]any)
		o, _ := e.Output.(map[string]any)
		if e.Role != role || o == nil {
			continue
		}
		switch e.Call {
		case "kms:createGrant":
			if p["GranteePrincipal"] == dstRole {
				grants[fmt.Sprint(o["GrantId"])] = true
			}
		case "ram:createResourceShare":
			if name, _ := p["Name"].(string); ownSnapshot(name) {
				sh, _ := o["ResourceShare"].(map[string]any)
				shares[fmt.Sprint(sh["ResourceShareArn"])] = true
			}
		case "efs:createReplicationConfiguration":
			replications[fmt.Sprint(p["SourceFileSystemId"])] = true
		}
	}
	var out []SourceWrite
	for _, e := range timeline {
		if e.Role != role || readOnly(e.Call) {
			continue
		}
		p, _ := e.Parameters.(map[string]any)
		str := func(k string) string { v, _ := p[k].(string); return v }
		owned := ""
		switch e.Call {
		case "rds:createDBClusterSnapshot", "rds:modifyDBClusterSnapshotAttribute", "rds:deleteDBClusterSnapshot":
			if id := str("DbClusterSnapshotIdentifier"); ownSnapshot(id) {
				owned = "the run's snapshot " + id
			}
		case "rds:copyDBClusterSnapshot":
			if id := str("TargetDBClusterSnapshotIdentifier"); ownSnapshot(id) {
				owned = "the run's snapshot " + id
			}
		case "rds:addTagsToResource", "rds:removeTagsFromResource":
			if id := str("ResourceName"); strings.Contains(id, ":cluster-snapshot:") && ownSnapshot(id) {
				owned = "the tags of the run's snapshot " + id
			}
		case "kms:createGrant":
			if str("GranteePrincipal") == dstRole {
				owned = "a grant to " + dstRole
			}
		case "kms:revokeGrant", "kms:retireGrant":
			if grants[str("GrantId")] {
				owned = "the run's grant " + str("GrantId")
			}
		case "ram:createResourceShare":
			if name := str("Name"); ownSnapshot(name) {
				owned = "the run's resource share " + name
			}
		case "ram:deleteResourceShare":
			if arn := str("ResourceShareArn"); shares[arn] {
				owned = "the run's resource share " + arn
			}
		case "backup:startCopyJob":
			if vault := str("DestinationBackupVaultArn"); iam.AccountOf(vault) == r.Destination.ID {
				owned = "a copy job into " + vault
			}
		case "efs:createReplicationConfiguration":
			dsts, _ := p["Destinations"].([]any)
			if len(dsts) == 1 {
				d, _ := dsts[0].(map[string]any)
				if fs, _ := d["FileSystemId"].(string); iam.AccountOf(fs) == r.Destination.ID {
					owned = "the run's replication of " + str("SourceFileSystemId") + " into " + fs
				}
			}
		case "efs:deleteReplicationConfiguration":
			if id := str("SourceFileSystemId"); replications[id] {
				owned = "the run's replication of " + id
			}
		}
		out = append(out, SourceWrite{Entry: e, Owned: owned})
	}
	return out
}

// readOnly reports whether a call (service:action) only reads.
func readOnly(call string) bool {
	_, action, _ := strings.Cut(call, ":")
	for _, verb := range []string{"describe", "list", "get"} {
		if strings.HasPrefix(action, verb) {
			return true
		}
	}
	return false
}
