package awsmock

import (
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// newClusterParams are the parameters both calls that create a cluster
// from another take.
var newClusterParams = []string{
	"DbClusterIdentifier", "KmsKeyId", "DbSubnetGroupName", "VpcSecurityGroupIds", "Tags", "CopyTagsToSnapshot",
	"DeletionProtection", "DbClusterParameterGroupName", "ServerlessV2ScalingConfiguration", "Port", "OptionGroupName",
	"EnableIAMDatabaseAuthentication", "BacktrackWindow", "EnableCloudwatchLogsExports", "Domain", "DomainIAMRoleName",
	"DbClusterInstanceClass", "StorageType", "Iops", "PubliclyAccessible", "NetworkType", "MonitoringInterval",
	"MonitoringRoleArn", "EnablePerformanceInsights", "PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod",
	"EngineLifecycleSupport", "ScalingConfiguration", "RdsCustomClusterConfiguration",
}

// newCluster reads the settings common to restoreDBClusterFromSnapshot
// and restoreDBClusterToPointInTime and checks the identifier is free.
func (w *World) newCluster(r *request) (*cluster, *sim.Failure) {
	id, err := r.required("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	if !validIdentifier(id, 63) {
		return nil, r.invalid("The parameter DBClusterIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.")
	}
	if w.idTaken(r.acct, id, r.now) {
		return nil, r.fail("DBClusterAlreadyExistsFault", 400, "DB Cluster already exists")
	}
	c := &cluster{id: strings.ToLower(id), resourceID: "cluster-" + strings.ToUpper(w.hexID(26)), created: r.now,
		lc: transition(r.now, "available", phase{"creating", w.clock.d(DurClusterCreate)})}
	if c.subnetGroup, err = r.str("DbSubnetGroupName"); err != nil {
		return nil, err
	}
	if c.subnetGroup == "" {
		c.subnetGroup = "default"
	} else if !r.acct.subnetGroups[strings.ToLower(c.subnetGroup)] {
		return nil, r.fail("DBSubnetGroupNotFoundFault", 404, "DBSubnetGroup %s not found.", c.subnetGroup)
	}
	if c.paramGroup, err = r.str("DbClusterParameterGroupName"); err != nil {
		return nil, err
	}
	if c.paramGroup != "" && !r.acct.clusterParams[strings.ToLower(c.paramGroup)] {
		return nil, r.fail("DBClusterParameterGroupNotFoundFault", 404, "DBClusterParameterGroup not found: %s", c.paramGroup)
	}
	if c.securityGroups, err = r.stringList("VpcSecurityGroupIds"); err != nil {
		return nil, err
	}
	if c.tags, err = r.tagList("Tags"); err != nil {
		return nil, err
	}
	if c.copyTagsToSnapshot, _, err = r.boolean("CopyTagsToSnapshot"); err != nil {
		return nil, err
	}
	if c.deletionProtection, _, err = r.boolean("DeletionProtection"); err != nil {
		return nil, err
	}
	if c.serverless, err = r.scaling("ServerlessV2ScalingConfiguration"); err != nil {
		return nil, err
	}
	return c, nil
}

// scaling reads a ServerlessV2ScalingConfiguration.
func (r *request) scaling(key string) (*scaling, *sim.Failure) {
	m, err := r.object(key)
	if err != nil || m == nil {
		return nil, err
	}
	lo, ok1 := toFloat(m["MinCapacity"])
	hi, ok2 := toFloat(m["MaxCapacity"])
	if !ok1 || !ok2 || len(m) != 2 {
		return nil, r.badType(key, "{MinCapacity, MaxCapacity}", m)
	}
	if lo < 0 || hi < 1 || hi > 256 || lo > hi {
		return nil, r.invalid("Invalid ServerlessV2ScalingConfiguration: MinCapacity %v, MaxCapacity %v", lo, hi)
	}
	return &scaling{min: lo, max: hi}, nil
}

// encryptWith decides the key of a cluster copied from data encrypted
// with sourceKey: the KmsKeyId of the request, which the caller must be
// able to use, else the source's.
func (w *World) encryptWith(r *request, sourceKey string) (string, *sim.Failure) {
	target, err := r.str("KmsKeyId")
	if err != nil {
		return "", err
	}
	if target == "" {
		return sourceKey, nil
	}
	k := w.findKey(r.acct, target)
	if k == nil || !w.canUseKey(r, k) {
		return "", r.fail("KMSKeyNotAccessibleFault", 400, "The specified KMS key [%s] does not exist, is not enabled or you do not have permissions to access it.", target)
	}
	return k.arn, nil
}

// restoreDBClusterFromSnapshot restores a new cluster from a snapshot of
// the account or one another account shares with it (by ARN).
func (w *World) restoreDBClusterFromSnapshot(r *request) (any, *sim.Failure) {
	c, err := w.newCluster(r)
	if err != nil {
		return nil, err
	}
	ident, err := r.required("SnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	snap := w.visibleSnapshot(r.acct, ident, r.now, true)
	if snap == nil {
		return nil, r.fail("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot not found: %s", ident)
	}
	if st := w.snapshotStatus(snap, r.now); st != "available" {
		return nil, r.fail("InvalidDBClusterSnapshotStateFault", 400, "DBClusterSnapshot %s is not available (its status is %s).", ident, st)
	}
	engine, err := r.required("Engine")
	if err != nil {
		return nil, err
	}
	if engine != snap.engine {
		return nil, r.generic("InvalidParameterCombination", 400, "The engine %s does not match the snapshot's engine %s.", engine, snap.engine)
	}
	if snap.kmsKey != "" && !w.canUseKeyARN(r, snap.kmsKey) {
		return nil, r.fail("KMSKeyNotAccessibleFault", 400, "The specified KMS key [%s] does not exist, is not enabled or you do not have permissions to access it.", snap.kmsKey)
	}
	if c.kmsKey, err = w.encryptWith(r, snap.kmsKey); err != nil {
		return nil, err
	}
	c.engine, c.version = snap.engine, snap.version
	r.acct.clusters = append(r.acct.clusters, c)
	return map[string]any{"DbCluster": w.clusterJSON(r.acct, c, r.now)}, nil
}

// restoreDBClusterToPointInTime clones (copy-on-write) or restores a
// cluster of the account, or of another account that shares it through
// AWS RAM (by ARN).
func (w *World) restoreDBClusterToPointInTime(r *request) (any, *sim.Failure) {
	c, err := w.newCluster(r)
	if err != nil {
		return nil, err
	}
	ident, err := r.required("SourceDBClusterIdentifier")
	if err != nil {
		return nil, err
	}
	owner, src := w.visibleCluster(r.acct, ident, r.now)
	if src == nil {
		return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", ident)
	}
	kind, err := r.str("RestoreType")
	if err != nil {
		return nil, err
	}
	if owner != r.acct && kind != "copy-on-write" {
		return nil, r.generic("InvalidParameterCombination", 400, "A cluster of another account can only be cloned with RestoreType copy-on-write.")
	}
	latest, _, err := r.boolean("UseLatestRestorableTime")
	if err != nil {
		return nil, err
	}
	if !latest && !r.has("RestoreToTime") {
		return nil, r.generic("InvalidParameterCombination", 400, "Either RestoreToTime or UseLatestRestorableTime must be set.")
	}
	if st := w.clusterStatus(owner, src, r.now); st != "available" {
		return nil, r.fail("InvalidDBClusterStateFault", 400, "DBCluster %s is not in the available state (%s).", ident, st)
	}
	if src.kmsKey != "" && !w.canUseKeyARN(r, src.kmsKey) {
		return nil, r.fail("KMSKeyNotAccessibleFault", 400, "The specified KMS key [%s] does not exist, is not enabled or you do not have permissions to access it.", src.kmsKey)
	}
	if c.kmsKey, err = w.encryptWith(r, src.kmsKey); err != nil {
		return nil, err
	}
	c.engine, c.version = src.engine, src.version
	r.acct.clusters = append(r.acct.clusters, c)
	return map[string]any{"DbCluster": w.clusterJSON(r.acct, c, r.now)}, nil
}

// visibleCluster finds a cluster by identifier in the caller's account, or
// by ARN in another account that shares it with the caller through RAM.
func (w *World) visibleCluster(caller *account, ident string, t time.Time) (*account, *cluster) {
	if owner, _, ok := rdsARN(strings.ToLower(ident), "cluster"); ok && owner != caller.id {
		acct := w.byID[owner]
		if acct == nil {
			return nil, nil
		}
		c := w.findCluster(acct, ident, t)
		if c == nil || !w.sharedWith(acct, w.clusterARN(acct, c.id), caller.id, t) {
			return nil, nil
		}
		return acct, c
	}
	return caller, w.findCluster(caller, ident, t)
}
