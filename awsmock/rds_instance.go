package awsmock

import (
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// instance is a DB instance of an Aurora cluster.
type instance struct {
	id         string
	cluster    *cluster
	class      string
	engine     string
	tier       int
	created    time.Time
	lc         lifecycle
	tags       tags
	paramGroup string
	// oldID answers until renamedAt plus the rename-visible duration.
	oldID     string
	renamedAt time.Time
}

func (w *World) instanceStatus(acct *account, i *instance, t time.Time) string {
	return w.statusAt("instance", acct, i.id, i.lc, t)
}

func (w *World) visibleInstanceID(i *instance, t time.Time) string {
	if i.oldID != "" && t.Before(i.renamedAt.Add(w.clock.d(DurRenameVisible))) {
		return i.oldID
	}
	return i.id
}

// findInstance returns the instance of acct that answers to id at t.
func (w *World) findInstance(acct *account, id string, t time.Time) *instance {
	id = strings.ToLower(id)
	if owner, rest, ok := rdsARN(id, "db"); ok {
		if owner != acct.id {
			return nil
		}
		id = rest
	}
	for _, i := range acct.instances {
		if w.visibleInstanceID(i, t) == id && w.instanceStatus(acct, i, t) != gone {
			return i
		}
	}
	return nil
}

// instanceTaken reports whether an instance answers, or will answer after
// a rename, to id.
func (w *World) instanceTaken(acct *account, id string, t time.Time) bool {
	id = strings.ToLower(id)
	for _, i := range acct.instances {
		if (i.id == id || w.visibleInstanceID(i, t) == id) && w.instanceStatus(acct, i, t) != gone {
			return true
		}
	}
	return false
}

func (w *World) instanceJSON(acct *account, i *instance, t time.Time) map[string]any {
	id := w.visibleInstanceID(i, t)
	out := map[string]any{
		"DbInstanceIdentifier": id,
		"DbInstanceArn":        w.arn("rds", acct.id, "db:"+id),
		"DbInstanceClass":      i.class,
		"Engine":               i.engine,
		"EngineVersion":        i.cluster.version,
		"DbInstanceStatus":     w.instanceStatus(acct, i, t),
		"DbClusterIdentifier":  w.visibleID(i.cluster, t),
		"PromotionTier":        i.tier,
		"PubliclyAccessible":   false,
		"StorageEncrypted":     i.cluster.kmsKey != "",
		"InstanceCreateTime":   sim.ISOTime(i.created),
		"AvailabilityZone":     w.region + "a",
		"TagList":              i.tags.list(),
		"Endpoint": map[string]any{
			"Address": w.endpoint(acct, id, "instance"), "Port": enginePort(i.engine),
		},
	}
	if i.cluster.kmsKey != "" {
		out["KmsKeyId"] = i.cluster.kmsKey
	}
	if i.paramGroup != "" {
		out["DbParameterGroups"] = []any{map[string]any{"DbParameterGroupName": i.paramGroup, "ParameterApplyStatus": "in-sync"}}
	}
	return out
}

var createInstanceParams = []string{
	"DbInstanceIdentifier", "DbClusterIdentifier", "DbInstanceClass", "Engine", "PromotionTier", "PubliclyAccessible",
	"Tags", "DbParameterGroupName", "AvailabilityZone", "MonitoringInterval", "MonitoringRoleArn", "EnablePerformanceInsights",
	"PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod", "AutoMinorVersionUpgrade", "CopyTagsToSnapshot",
	"CaCertificateIdentifier", "PreferredMaintenanceWindow", "DbSubnetGroupName", "EngineVersion", "OptionGroupName",
}

// createDBInstance adds an instance to a cluster.
func (w *World) createDBInstance(r *request) (any, *sim.Failure) {
	id, err := r.required("DbInstanceIdentifier")
	if err != nil {
		return nil, err
	}
	if !validIdentifier(id, 63) {
		return nil, r.invalid("The parameter DBInstanceIdentifier is not a valid identifier.")
	}
	clusterID, err := r.required("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	class, err := r.required("DbInstanceClass")
	if err != nil {
		return nil, err
	}
	engine, err := r.required("Engine")
	if err != nil {
		return nil, err
	}
	if w.instanceTaken(r.acct, id, r.now) {
		return nil, r.fail("DBInstanceAlreadyExistsFault", 400, "DB instance already exists")
	}
	c := w.findCluster(r.acct, clusterID, r.now)
	if c == nil {
		return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", clusterID)
	}
	// RDS takes instances for a cluster still being created; not for one
	// that is stopped or going away.
	if st := w.clusterStatus(r.acct, c, r.now); st != "available" && st != "creating" && st != "modifying" {
		return nil, r.fail("InvalidDBClusterStateFault", 400, "DB cluster %s is in %s state; instances cannot be added.", clusterID, st)
	}
	if engine != c.engine {
		return nil, r.generic("InvalidParameterCombination", 400, "The engine name requested for your DB instance (%s) doesn't match the engine name of your DB cluster (%s).", engine, c.engine)
	}
	if !strings.HasPrefix(class, "db.") {
		return nil, r.invalid("Invalid DB instance class: %s", class)
	}
	if class == "db.serverless" && c.serverless == nil {
		return nil, r.generic("InvalidParameterCombination", 400, "Set the Serverless v2 scaling configuration on the parent DB cluster before creating a Serverless v2 DB instance.")
	}
	tier, _, err := r.number("PromotionTier")
	if err != nil {
		return nil, err
	}
	if tier < 0 || tier > 15 {
		return nil, r.invalid("PromotionTier must be between 0 and 15.")
	}
	group, err := r.str("DbParameterGroupName")
	if err != nil {
		return nil, err
	}
	if group != "" && !r.acct.instanceParams[strings.ToLower(group)] {
		return nil, r.fail("DBParameterGroupNotFoundFault", 404, "DBParameterGroup not found: %s", group)
	}
	t, err := r.tagList("Tags")
	if err != nil {
		return nil, err
	}
	// The instance starts building once its cluster is available.
	since := r.now
	if settles := c.lc.settles(); settles.After(since) {
		since = settles
	}
	i := &instance{id: strings.ToLower(id), cluster: c, class: class, engine: engine, tier: int(tier), created: r.now,
		tags: t, paramGroup: group, lc: transition(r.now, "available", phase{"creating", since.Sub(r.now) + w.clock.d(DurInstanceCreate)})}
	r.acct.instances = append(r.acct.instances, i)
	return map[string]any{"DbInstance": w.instanceJSON(r.acct, i, r.now)}, nil
}

// describeDBInstances lists the instances of the account, or the one named.
func (w *World) describeDBInstances(r *request) (any, *sim.Failure) {
	id, err := r.str("DbInstanceIdentifier")
	if err != nil {
		return nil, err
	}
	if id != "" {
		i := w.findInstance(r.acct, id, r.now)
		if i == nil {
			return nil, r.fail("DBInstanceNotFoundFault", 404, "DBInstance %s not found.", id)
		}
		return map[string]any{"DbInstances": []any{w.instanceJSON(r.acct, i, r.now)}}, nil
	}
	list := []any{}
	for _, i := range r.acct.instances {
		if w.instanceStatus(r.acct, i, r.now) != gone {
			list = append(list, w.instanceJSON(r.acct, i, r.now))
		}
	}
	return map[string]any{"DbInstances": list}, nil
}

// modifyDBInstance renames an instance (NewDBInstanceIdentifier) or
// changes its class or promotion tier.
func (w *World) modifyDBInstance(r *request) (any, *sim.Failure) {
	id, err := r.required("DbInstanceIdentifier")
	if err != nil {
		return nil, err
	}
	i := w.findInstance(r.acct, id, r.now)
	if i == nil {
		return nil, r.fail("DBInstanceNotFoundFault", 404, "DBInstance %s not found.", id)
	}
	if st := w.instanceStatus(r.acct, i, r.now); st != "available" {
		return nil, r.fail("InvalidDBInstanceStateFault", 400, "Database instance is not in available state (%s).", st)
	}
	now, _, err := r.boolean("ApplyImmediately")
	if err != nil {
		return nil, err
	}
	out := w.instanceJSON(r.acct, i, r.now)
	newID, err := r.str("NewDBInstanceIdentifier")
	if err != nil {
		return nil, err
	}
	if newID != "" && !strings.EqualFold(newID, i.id) {
		if !validIdentifier(newID, 63) {
			return nil, r.invalid("The parameter NewDBInstanceIdentifier is not a valid identifier.")
		}
		if w.instanceTaken(r.acct, newID, r.now) {
			return nil, r.fail("DBInstanceAlreadyExistsFault", 400, "DB instance already exists")
		}
		if !now {
			out["PendingModifiedValues"] = map[string]any{"DbInstanceIdentifier": strings.ToLower(newID)}
			return map[string]any{"DbInstance": out}, nil
		}
		i.oldID, i.id, i.renamedAt = i.id, strings.ToLower(newID), r.now
		i.lc = transition(r.now, "available", phase{"renaming", w.clock.d(DurInstanceRename)})
	}
	if class, _ := r.str("DbInstanceClass"); class != "" {
		i.class = class
	}
	if tier, ok, _ := r.number("PromotionTier"); ok {
		i.tier = int(tier)
	}
	return map[string]any{"DbInstance": out}, nil
}

// deleteDBInstance deletes an instance; Aurora instances take no final
// snapshot (the cluster's backups cover them).
func (w *World) deleteDBInstance(r *request) (any, *sim.Failure) {
	id, err := r.required("DbInstanceIdentifier")
	if err != nil {
		return nil, err
	}
	i := w.findInstance(r.acct, id, r.now)
	if i == nil {
		return nil, r.fail("DBInstanceNotFoundFault", 404, "DBInstance %s not found.", id)
	}
	switch st := w.clusterStatus(r.acct, i.cluster, r.now); st {
	case "stopped", "stopping", "starting":
		return nil, r.fail("InvalidDBClusterStateFault", 400, "The DB cluster %s is %s: its instances cannot be deleted.", w.visibleID(i.cluster, r.now), st)
	}
	if st := w.instanceStatus(r.acct, i, r.now); st == "deleting" {
		return nil, r.fail("InvalidDBInstanceStateFault", 400, "Instance %s is already being deleted.", id)
	}
	i.lc = transition(r.now, gone, phase{"deleting", w.clock.d(DurInstanceDelete)})
	return map[string]any{"DbInstance": w.instanceJSON(r.acct, i, r.now)}, nil
}
