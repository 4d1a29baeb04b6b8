package awsmock

import (
	"fmt"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// cluster is an Aurora DB cluster.
type cluster struct {
	id         string // lower case, as RDS stores identifiers
	resourceID string // cluster-..., stable across renames
	engine     string
	version    string
	kmsKey     string // the key ARN; "" when unencrypted
	created    time.Time
	lc         lifecycle
	tags       tags

	subnetGroup, paramGroup string
	securityGroups          []string
	deletionProtection      bool
	copyTagsToSnapshot      bool
	serverless              *scaling
	secret                  *masterSecret
	roles                   []*clusterRole

	// oldID is the identifier before a rename; it answers until renamedAt
	// plus the rename-visible duration, and the new one answers after.
	oldID     string
	renamedAt time.Time
	// hosts are other names its endpoint answers to (an example's).
	hosts []string
	// retention is how many days of daily automated snapshots RDS keeps
	// (see backups); 0 for none.
	retention int
}

// scaling is a Serverless v2 capacity range.
type scaling struct{ min, max float64 }

// masterSecret is the master user password RDS manages in Secrets Manager.
type masterSecret struct {
	secret *secret
	lc     lifecycle // creating -> active
	kmsKey string
}

// clusterRole is an IAM role associated with a cluster.
type clusterRole struct {
	arn, feature string
	lc           lifecycle // PENDING -> ACTIVE
}

func (w *World) clusterARN(acct *account, id string) string {
	return w.arn("rds", acct.id, "cluster:"+id)
}

func (w *World) clusterStatus(acct *account, c *cluster, t time.Time) string {
	return w.statusAt("cluster", acct, c.id, c.lc, t)
}

// visibleID is the identifier a cluster answers to at t.
func (w *World) visibleID(c *cluster, t time.Time) string {
	if c.oldID != "" && t.Before(c.renamedAt.Add(w.clock.d(DurRenameVisible))) {
		return c.oldID
	}
	return c.id
}

// findCluster returns the cluster of acct that answers to id (an
// identifier or its ARN) at t.
func (w *World) findCluster(acct *account, id string, t time.Time) *cluster {
	id = strings.ToLower(id)
	if owner, rest, ok := rdsARN(id, "cluster"); ok {
		if owner != acct.id {
			return nil
		}
		id = rest
	}
	for _, c := range acct.clusters {
		if w.visibleID(c, t) == id && w.clusterStatus(acct, c, t) != gone {
			return c
		}
	}
	return nil
}

// idTaken reports whether a cluster answers, or will answer after a
// rename, to id.
func (w *World) idTaken(acct *account, id string, t time.Time) bool {
	id = strings.ToLower(id)
	for _, c := range acct.clusters {
		if (c.id == id || w.visibleID(c, t) == id) && w.clusterStatus(acct, c, t) != gone {
			return true
		}
	}
	return false
}

// rdsARN splits arn:<p>:rds:<region>:<account>:<kind>:<id>.
func rdsARN(s, kind string) (owner, id string, ok bool) {
	parts := strings.SplitN(s, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "rds" || parts[5] != kind {
		return "", "", false
	}
	return parts[4], parts[6], true
}

// members are the live instances of a cluster at t, in creation order.
func (w *World) members(acct *account, c *cluster, t time.Time) []*instance {
	var out []*instance
	for _, i := range acct.instances {
		if i.cluster == c && w.instanceStatus(acct, i, t) != gone {
			out = append(out, i)
		}
	}
	return out
}

func (w *World) endpoint(acct *account, id, kind string) string {
	return fmt.Sprintf("%s.%s-%s.%s.rds.amazonaws.com", id, kind, acct.dnsSuffix, w.region)
}

func enginePort(engine string) int {
	if engine == "aurora-postgresql" {
		return 5432
	}
	return 3306
}

// clusterJSON is a DBCluster as describeDBClusters returns it at t.
func (w *World) clusterJSON(acct *account, c *cluster, t time.Time) map[string]any {
	id := w.visibleID(c, t)
	var members []any
	for n, i := range w.members(acct, c, t) {
		members = append(members, map[string]any{
			"DbInstanceIdentifier": w.visibleInstanceID(i, t), "IsClusterWriter": n == 0,
			"DbClusterParameterGroupStatus": "in-sync", "PromotionTier": i.tier,
		})
	}
	var sgs []any
	for _, sg := range c.securityGroups {
		sgs = append(sgs, map[string]any{"VpcSecurityGroupId": sg, "Status": "active"})
	}
	out := map[string]any{
		"DbClusterIdentifier":              id,
		"DbClusterArn":                     w.clusterARN(acct, id),
		"DbClusterResourceId":              c.resourceID,
		"Status":                           w.clusterStatus(acct, c, t),
		"Engine":                           c.engine,
		"EngineVersion":                    c.version,
		"EngineMode":                       "provisioned",
		"Endpoint":                         w.endpoint(acct, id, "cluster"),
		"ReaderEndpoint":                   w.endpoint(acct, id, "cluster-ro"),
		"Port":                             enginePort(c.engine),
		"MasterUsername":                   "admin",
		"StorageEncrypted":                 c.kmsKey != "",
		"DbSubnetGroup":                    c.subnetGroup,
		"DbClusterParameterGroup":          c.paramGroup,
		"VpcSecurityGroups":                orEmpty(sgs),
		"DbClusterMembers":                 orEmpty(members),
		"TagList":                          c.tags.list(),
		"DeletionProtection":               c.deletionProtection,
		"CopyTagsToSnapshot":               c.copyTagsToSnapshot,
		"ClusterCreateTime":                sim.ISOTime(c.created),
		"MultiAZ":                          len(members) > 1,
		"BackupRetentionPeriod":            7,
		"PreferredBackupWindow":            "03:00-03:30",
		"HttpEndpointEnabled":              false,
		"AssociatedRoles":                  w.rolesJSON(acct, c, t),
		"AvailabilityZones":                []any{w.region + "a", w.region + "b", w.region + "c"},
		"EarliestRestorableTime":           sim.ISOTime(c.created),
		"LatestRestorableTime":             sim.ISOTime(t.Add(-5 * time.Minute)),
		"IamDatabaseAuthenticationEnabled": false,
	}
	if c.kmsKey != "" {
		out["KmsKeyId"] = c.kmsKey
	}
	if c.serverless != nil {
		out["ServerlessV2ScalingConfiguration"] = map[string]any{"MinCapacity": c.serverless.min, "MaxCapacity": c.serverless.max}
	}
	if s := c.secret; s != nil {
		secret := map[string]any{"SecretArn": s.secret.arn, "SecretStatus": w.statusAt("master-secret", acct, c.id, s.lc, t)}
		if s.kmsKey != "" {
			secret["KmsKeyId"] = s.kmsKey
		}
		out["MasterUserSecret"] = secret
	}
	return out
}

func (w *World) rolesJSON(acct *account, c *cluster, t time.Time) []any {
	out := []any{}
	for _, r := range c.roles {
		role := map[string]any{"RoleArn": r.arn, "Status": w.statusAt("role-association", acct, c.id, r.lc, t)}
		if r.feature != "" {
			role["FeatureName"] = r.feature
		}
		out = append(out, role)
	}
	return out
}

func orEmpty(list []any) []any {
	if list == nil {
		return []any{}
	}
	return list
}

// describeDBClusters lists the clusters of the account, or the one named.
func (w *World) describeDBClusters(r *request) (any, *sim.Failure) {
	id, err := r.str("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	if id != "" {
		c := w.findCluster(r.acct, id, r.now)
		if c == nil {
			return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", id)
		}
		return map[string]any{"DbClusters": []any{w.clusterJSON(r.acct, c, r.now)}}, nil
	}
	list := []any{}
	for _, c := range r.acct.clusters {
		if w.clusterStatus(r.acct, c, r.now) != gone {
			list = append(list, w.clusterJSON(r.acct, c, r.now))
		}
	}
	return map[string]any{"DbClusters": list}, nil
}
