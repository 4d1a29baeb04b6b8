package awsmock

import (
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/sim"
)

// requireAvailable fails a change to a cluster that is not available:
// RDS refuses one in transition (InvalidDBClusterStateFault).
func (w *World) requireAvailable(r *request, c *cluster, what string) *sim.Failure {
	if st := w.clusterStatus(r.acct, c, r.now); st != "available" {
		return r.fail("InvalidDBClusterStateFault", 400, "DBCluster %s is not in the available state to %s; its status is %s.", w.visibleID(c, r.now), what, st)
	}
	return nil
}

// modifyDBCluster renames a cluster, changes its deletion protection or
// hands its master password to Secrets Manager.
func (w *World) modifyDBCluster(r *request) (any, *sim.Failure) {
	id, err := r.required("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	c := w.findCluster(r.acct, id, r.now)
	if c == nil {
		return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", id)
	}
	if err := w.requireAvailable(r, c, "modify it"); err != nil {
		return nil, err
	}
	now, _, err := r.boolean("ApplyImmediately")
	if err != nil {
		return nil, err
	}
	newID, err := r.str("NewDBClusterIdentifier")
	if err != nil {
		return nil, err
	}
	rename := newID != "" && !strings.EqualFold(newID, c.id)
	if rename {
		if !validIdentifier(newID, 63) {
			return nil, r.invalid("The parameter NewDBClusterIdentifier is not a valid identifier.")
		}
		if w.idTaken(r.acct, newID, r.now) {
			return nil, r.fail("DBClusterAlreadyExistsFault", 400, "DB Cluster already exists")
		}
	}
	protect, setProtection, err := r.boolean("DeletionProtection")
	if err != nil {
		return nil, err
	}
	manage, setManage, err := r.boolean("ManageMasterUserPassword")
	if err != nil {
		return nil, err
	}
	secretKey, err := r.str("MasterUserSecretKmsKeyId")
	if err != nil {
		return nil, err
	}
	if secretKey != "" && !setManage {
		return nil, r.generic("InvalidParameterCombination", 400, "MasterUserSecretKmsKeyId requires ManageMasterUserPassword.")
	}
	out := w.clusterJSON(r.acct, c, r.now)
	if setProtection {
		c.deletionProtection = protect
	}
	if setManage && manage && c.secret == nil {
		if secretKey != "" {
			k := w.findKey(r.acct, secretKey)
			if k == nil || !w.canUseKey(r, k) {
				return nil, r.fail("KMSKeyNotAccessibleFault", 400, "The specified KMS key [%s] does not exist, is not enabled or you do not have permissions to access it.", secretKey)
			}
			secretKey = k.arn
		}
		s := w.newSecret(r.acct, "rds!"+c.resourceID, r.now)
		s.owningService = "rds"
		c.secret = &masterSecret{secret: s, kmsKey: secretKey,
			lc: transition(r.now, "active", phase{"creating", w.clock.d(DurMasterSecret)})}
		c.lc = transition(r.now, "available", phase{"modifying", w.clock.d(DurClusterModify)})
	}
	if rename {
		// A rename waits for the maintenance window unless applied at once.
		if !now {
			out["PendingModifiedValues"] = map[string]any{"DbClusterIdentifier": strings.ToLower(newID)}
			return map[string]any{"DbCluster": out}, nil
		}
		c.oldID, c.id, c.renamedAt = c.id, strings.ToLower(newID), r.now
		c.lc = transition(r.now, "available", phase{"renaming", w.clock.d(DurClusterRename)})
	}
	return map[string]any{"DbCluster": out}, nil
}

// stopDBCluster stops an available cluster and its instances.
func (w *World) stopDBCluster(r *request) (any, *sim.Failure) {
	return w.startStop(r, "available", "stopping", "stopped", DurClusterStop)
}

// startDBCluster starts a stopped cluster and its instances.
func (w *World) startDBCluster(r *request) (any, *sim.Failure) {
	return w.startStop(r, "stopped", "starting", "available", DurClusterStart)
}

func (w *World) startStop(r *request, from, during, to, dur string) (any, *sim.Failure) {
	id, err := r.required("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	c := w.findCluster(r.acct, id, r.now)
	if c == nil {
		return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", id)
	}
	if st := w.clusterStatus(r.acct, c, r.now); st != from {
		return nil, r.fail("InvalidDBClusterStateFault", 400, "DbCluster %s is in %s state but expected it to be %s.", id, st, from)
	}
	c.lc = transition(r.now, to, phase{during, w.clock.d(dur)})
	for _, i := range w.members(r.acct, c, r.now) {
		i.lc = transition(r.now, to, phase{during, w.clock.d(dur)})
	}
	return map[string]any{"DbCluster": w.clusterJSON(r.acct, c, r.now)}, nil
}

// transitional are the cluster statuses in which RDS refuses a deletion.
var transitional = []string{"creating", "modifying", "renaming", "starting", "stopping", "deleting", "backing-up", "upgrading", "migrating"}

// deleteDBCluster deletes a cluster without instances, after a final
// snapshot unless SkipFinalSnapshot.
func (w *World) deleteDBCluster(r *request) (any, *sim.Failure) {
	id, err := r.required("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	c := w.findCluster(r.acct, id, r.now)
	if c == nil {
		return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", id)
	}
	if c.deletionProtection {
		return nil, r.generic("InvalidParameterCombination", 400, "Cannot delete protected Cluster, please disable deletion protection and try again.")
	}
	if st := w.clusterStatus(r.acct, c, r.now); slices.Contains(transitional, st) {
		return nil, r.fail("InvalidDBClusterStateFault", 400, "Cluster %s is in %s state; it cannot be deleted.", id, st)
	}
	for _, i := range w.members(r.acct, c, r.now) {
		if w.instanceStatus(r.acct, i, r.now) != "deleting" {
			return nil, r.fail("InvalidDBClusterStateFault", 400, "Cluster cannot be deleted, it still contains DB instances in non-deleting state.")
		}
	}
	skip, _, err := r.boolean("SkipFinalSnapshot")
	if err != nil {
		return nil, err
	}
	final, err := r.str("FinalDBSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	switch {
	case !skip && final == "":
		return nil, r.generic("InvalidParameterCombination", 400, "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")
	case skip && final != "":
		return nil, r.generic("InvalidParameterCombination", 400, "FinalDBSnapshotIdentifier can not be specified when deleting a cluster with SkipFinalSnapshot set to true.")
	case !skip:
		if !validIdentifier(final, 255) {
			return nil, r.invalid("The parameter FinalDBSnapshotIdentifier is not a valid identifier.")
		}
		if w.findSnapshot(r.acct, final, r.now) != nil {
			return nil, r.fail("DBClusterSnapshotAlreadyExistsFault", 400, "Cannot create the cluster snapshot because one with the identifier %s already exists.", final)
		}
		s := w.takeSnapshot(r.acct, c, final, "manual", r.now)
		if c.copyTagsToSnapshot {
			s.tags = c.tags
		}
	}
	c.lc = transition(r.now, gone, phase{"deleting", w.clock.d(DurClusterDelete)})
	return map[string]any{"DbCluster": w.clusterJSON(r.acct, c, r.now)}, nil
}

// addRoleToDBCluster associates an IAM role with a cluster.
func (w *World) addRoleToDBCluster(r *request) (any, *sim.Failure) {
	id, err := r.required("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	role, err := r.required("RoleArn")
	if err != nil {
		return nil, err
	}
	feature, err := r.str("FeatureName")
	if err != nil {
		return nil, err
	}
	c := w.findCluster(r.acct, id, r.now)
	if c == nil {
		return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", id)
	}
	for _, x := range c.roles {
		if x.arn == role {
			return nil, r.fail("DBClusterRoleAlreadyExistsFault", 400, "Role ARN %s is already associated with DB Cluster.", role)
		}
	}
	if err := w.requireAvailable(r, c, "associate a role"); err != nil {
		return nil, err
	}
	switch {
	case c.engine == "aurora-mysql" && feature != "":
		return nil, r.invalid("The feature-name parameter must not be provided for aurora-mysql.")
	case c.engine == "aurora-postgresql" && feature != "s3Import" && feature != "s3Export" && feature != "Lambda":
		return nil, r.invalid("The FeatureName %q is not valid for aurora-postgresql.", feature)
	}
	c.roles = append(c.roles, &clusterRole{arn: role, feature: feature,
		lc: transition(r.now, "ACTIVE", phase{"PENDING", w.clock.d(DurRoleAssociation)})})
	return map[string]any{}, nil
}

// validIdentifier applies RDS's identifier rules: 1 to max letters, digits
// and hyphens, starting with a letter, no two hyphens in a row and none at
// the end.
func validIdentifier(id string, max int) bool {
	if id == "" || len(id) > max || strings.Contains(id, "--") || strings.HasSuffix(id, "-") {
		return false
	}
	for i, r := range id {
		letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if i == 0 && !letter || !letter && r != '-' && !('0' <= r && r <= '9') {
			return false
		}
	}
	return true
}
