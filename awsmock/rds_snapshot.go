package awsmock

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// snapshot is a DB cluster snapshot.
type snapshot struct {
	id, arn   string
	owner     *account
	clusterID string
	engine    string
	version   string
	typ       string // manual or automated
	created   time.Time
	lc        lifecycle
	kmsKey    string
	tags      tags
	// restore lists the accounts the snapshot is shared with (the
	// "restore" attribute); "all" makes it public.
	restore         []string
	clusterCreated  time.Time
	clusterResource string
}

func (w *World) snapshotStatus(s *snapshot, t time.Time) string {
	return w.statusAt("snapshot", s.owner, s.id, s.lc, t)
}

// backupWindow is when RDS takes the daily automated snapshot.
const backupWindow = 3*time.Hour + 5*time.Minute

// backups brings the automated snapshots of acct's clusters up to t: one a
// day in the backup window for the clusters' retention period; older ones
// expire.
func (w *World) backups(acct *account, t time.Time) {
	for _, c := range acct.clusters {
		if c.retention == 0 || w.clusterStatus(acct, c, t) == gone {
			continue
		}
		day := t.UTC().Truncate(24 * time.Hour)
		for d := c.retention; d >= 0; d-- {
			at := day.AddDate(0, 0, -d).Add(backupWindow)
			if at.After(t) || !at.After(t.AddDate(0, 0, -c.retention)) || at.Before(c.created) {
				continue
			}
			id := fmt.Sprintf("rds:%s-%s", c.id, at.Format("2006-01-02-15-04"))
			if !slices.ContainsFunc(acct.snapshots, func(s *snapshot) bool { return s.id == id }) {
				s := w.takeSnapshot(acct, c, id, "automated", at)
				keep := time.Duration(c.retention) * 24 * time.Hour
				s.lc = transition(at, gone, phase{"creating", w.clock.d(DurSnapshotCreate)}, phase{"available", keep - w.clock.d(DurSnapshotCreate)})
			}
		}
	}
}

// findSnapshot returns the snapshot of acct named id (an identifier or
// its ARN), as its owner sees it.
func (w *World) findSnapshot(acct *account, id string, t time.Time) *snapshot {
	w.backups(acct, t)
	id = strings.ToLower(id)
	if owner, rest, ok := rdsARN(id, "cluster-snapshot"); ok {
		if owner != acct.id {
			return nil
		}
		id = rest
	}
	for _, s := range acct.snapshots {
		if s.id == id && w.snapshotStatus(s, t) != gone {
			return s
		}
	}
	return nil
}

// visibleSnapshot finds a snapshot of the caller by identifier or ARN, or
// one another account shares with the caller, by ARN (shared only when
// the call includes shared snapshots).
func (w *World) visibleSnapshot(caller *account, ident string, t time.Time, shared bool) *snapshot {
	owner, _, ok := rdsARN(strings.ToLower(ident), "cluster-snapshot")
	if !ok || owner == caller.id {
		return w.findSnapshot(caller, ident, t)
	}
	acct := w.byID[owner]
	if !shared || acct == nil {
		return nil
	}
	s := w.findSnapshot(acct, ident, t)
	if s == nil || !s.sharedWith(caller.id) {
		return nil
	}
	return s
}

func (s *snapshot) sharedWith(id string) bool {
	return slices.Contains(s.restore, id) || slices.Contains(s.restore, "all")
}

// takeSnapshot records a new snapshot of c in acct, creating from now.
func (w *World) takeSnapshot(acct *account, c *cluster, id, typ string, now time.Time) *snapshot {
	id = strings.ToLower(id)
	s := &snapshot{
		id: id, arn: w.arn("rds", acct.id, "cluster-snapshot:"+id), owner: acct, clusterID: c.id,
		engine: c.engine, version: c.version, typ: typ, created: now, kmsKey: c.kmsKey,
		clusterCreated: c.created, clusterResource: c.resourceID,
		lc: transition(now, "available", phase{"creating", w.clock.d(DurSnapshotCreate)}),
	}
	acct.snapshots = append(acct.snapshots, s)
	return s
}

// snapshotJSON is a DBClusterSnapshot as caller sees it at t: another
// account sees a shared snapshot by its ARN, without its tags.
func (w *World) snapshotJSON(caller *account, s *snapshot, t time.Time) map[string]any {
	status := w.snapshotStatus(s, t)
	progress := 100
	if status != "available" {
		progress = 0
		if d := s.lc.settles().Sub(s.lc.since); d > 0 && t.After(s.lc.since) {
			progress = min(99, int(100*t.Sub(s.lc.since)/d))
		}
	}
	out := map[string]any{
		"DbClusterSnapshotIdentifier":      s.id,
		"DbClusterSnapshotArn":             s.arn,
		"DbClusterIdentifier":              s.clusterID,
		"SnapshotCreateTime":               sim.ISOTime(s.created),
		"Engine":                           s.engine,
		"EngineVersion":                    s.version,
		"EngineMode":                       "provisioned",
		"Status":                           status,
		"Port":                             0,
		"ClusterCreateTime":                sim.ISOTime(s.clusterCreated),
		"MasterUsername":                   "admin",
		"SnapshotType":                     s.typ,
		"PercentProgress":                  progress,
		"StorageEncrypted":                 s.kmsKey != "",
		"AllocatedStorage":                 1,
		"LicenseModel":                     s.engine,
		"DbClusterResourceId":              s.clusterResource,
		"IamDatabaseAuthenticationEnabled": false,
		"TagList":                          s.tags.list(),
	}
	if s.kmsKey != "" {
		out["KmsKeyId"] = s.kmsKey
	}
	if caller != s.owner {
		out["DbClusterSnapshotIdentifier"] = s.arn
		out["SnapshotType"] = "shared"
		out["TagList"] = []any{}
	}
	return out
}

var describeSnapshotsParams = []string{
	"DbClusterIdentifier", "DbClusterSnapshotIdentifier", "SnapshotType", "Filters", "MaxRecords", "Marker",
	"IncludeShared", "IncludePublic", "DbClusterResourceId",
}

// describeDBClusterSnapshots lists the snapshots the caller can see: one
// by identifier or ARN, or those of a cluster or of a type. Without
// SnapshotType it lists the caller's automated and manual snapshots, and
// shared ones only with IncludeShared.
func (w *World) describeDBClusterSnapshots(r *request) (any, *sim.Failure) {
	ident, err := r.str("DbClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	clusterID, err := r.str("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	typ, err := r.str("SnapshotType")
	if err != nil {
		return nil, err
	}
	includeShared, _, err := r.boolean("IncludeShared")
	if err != nil {
		return nil, err
	}
	max, set, err := r.number("MaxRecords")
	if err != nil {
		return nil, err
	}
	if !set {
		max = 100
	}
	if max < 20 || max > 100 {
		return nil, r.invalid("Invalid value %v for MaxRecords. Must be between 20 and 100", max)
	}
	if ident != "" {
		s := w.visibleSnapshot(r.acct, ident, r.now, includeShared || typ == "shared")
		if s == nil || clusterID != "" && !strings.EqualFold(clusterID, s.clusterID) {
			return nil, r.fail("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot not found: %s", ident)
		}
		return map[string]any{"DbClusterSnapshots": []any{w.snapshotJSON(r.acct, s, r.now)}}, nil
	}
	var found []*snapshot
	w.backups(r.acct, r.now)
	if typ != "shared" {
		for _, s := range r.acct.snapshots {
			if (typ == "" || typ == s.typ) && (clusterID == "" || strings.EqualFold(clusterID, s.clusterID)) {
				found = append(found, s)
			}
		}
	}
	if typ == "shared" || typ == "" && includeShared {
		for _, a := range w.accounts {
			for _, s := range a.snapshots {
				if a != r.acct && s.sharedWith(r.acct.id) && (clusterID == "" || strings.EqualFold(clusterID, s.arn)) {
					found = append(found, s)
				}
			}
		}
	}
	list := []any{}
	for _, s := range found {
		if w.snapshotStatus(s, r.now) != gone {
			list = append(list, w.snapshotJSON(r.acct, s, r.now))
		}
	}
	return page(list, "DbClusterSnapshots", r, int(max))
}

// page returns one page of list under key, with a Marker when more
// follow (the Marker is the offset of the next page).
func page(list []any, key string, r *request, size int) (any, *sim.Failure) {
	start := 0
	if m, _ := r.str("Marker"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 0 || n > len(list) {
			return nil, r.invalid("Invalid marker: %s", m)
		}
		start = n
	}
	end := min(len(list), start+size)
	out := map[string]any{key: orEmpty(list[start:end])}
	if end < len(list) {
		out["Marker"] = strconv.Itoa(end)
	}
	return out, nil
}

// createDBClusterSnapshot takes a manual snapshot of an available cluster.
func (w *World) createDBClusterSnapshot(r *request) (any, *sim.Failure) {
	id, err := r.required("DbClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	clusterID, err := r.required("DbClusterIdentifier")
	if err != nil {
		return nil, err
	}
	t, err := r.tagList("Tags")
	if err != nil {
		return nil, err
	}
	if !validIdentifier(id, 255) {
		return nil, r.invalid("The parameter DBClusterSnapshotIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.")
	}
	if w.findSnapshot(r.acct, id, r.now) != nil {
		return nil, r.fail("DBClusterSnapshotAlreadyExistsFault", 400, "Cannot create the cluster snapshot because one with the identifier %s already exists.", id)
	}
	c := w.findCluster(r.acct, clusterID, r.now)
	if c == nil {
		return nil, r.fail("DBClusterNotFoundFault", 404, "DBCluster %s not found.", clusterID)
	}
	if err := w.requireAvailable(r, c, "take a snapshot"); err != nil {
		return nil, err
	}
	if w.manualSnapshots(r.acct, r.now) >= manualSnapshotQuota {
		return nil, r.fail("SnapshotQuotaExceededFault", 400, "Cannot create more than %d manual snapshots", manualSnapshotQuota)
	}
	s := w.takeSnapshot(r.acct, c, id, "manual", r.now)
	s.tags = t
	if len(t) == 0 && c.copyTagsToSnapshot {
		s.tags = c.tags
	}
	return map[string]any{"DbClusterSnapshot": w.snapshotJSON(r.acct, s, r.now)}, nil
}

// manualSnapshotQuota is RDS's default quota of manual cluster snapshots
// per account and region.
const manualSnapshotQuota = 100

func (w *World) manualSnapshots(acct *account, t time.Time) int {
	n := 0
	for _, s := range acct.snapshots {
		if s.typ == "manual" && w.snapshotStatus(s, t) != gone {
			n++
		}
	}
	return n
}

// copyDBClusterSnapshot copies a snapshot of the account (automated ones
// included) or one shared with it into a manual snapshot.
func (w *World) copyDBClusterSnapshot(r *request) (any, *sim.Failure) {
	source, err := r.required("SourceDBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	target, err := r.required("TargetDBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	t, err := r.tagList("Tags")
	if err != nil {
		return nil, err
	}
	copyTags, _, err := r.boolean("CopyTags")
	if err != nil {
		return nil, err
	}
	if !validIdentifier(target, 255) {
		return nil, r.invalid("The parameter TargetDBClusterSnapshotIdentifier is not a valid identifier.")
	}
	src := w.visibleSnapshot(r.acct, source, r.now, true)
	if src == nil {
		return nil, r.fail("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot not found: %s", source)
	}
	if st := w.snapshotStatus(src, r.now); st != "available" {
		return nil, r.fail("InvalidDBClusterSnapshotStateFault", 400, "DBClusterSnapshot %s is not available (%s).", source, st)
	}
	if w.findSnapshot(r.acct, target, r.now) != nil {
		return nil, r.fail("DBClusterSnapshotAlreadyExistsFault", 400, "Cannot copy the cluster snapshot because one with the identifier %s already exists.", target)
	}
	if src.kmsKey != "" && !w.canUseKeyARN(r, src.kmsKey) {
		return nil, r.fail("KMSKeyNotAccessibleFault", 400, "The specified KMS key [%s] does not exist, is not enabled or you do not have permissions to access it.", src.kmsKey)
	}
	key, err := w.encryptWith(r, src.kmsKey)
	if err != nil {
		return nil, err
	}
	if src.owner != r.acct && src.kmsKey != "" && !r.has("KmsKeyId") {
		return nil, r.generic("InvalidParameterCombination", 400, "KmsKeyId is required to copy a shared encrypted snapshot.")
	}
	id := strings.ToLower(target)
	s := &snapshot{
		id: id, arn: w.arn("rds", r.acct.id, "cluster-snapshot:"+id), owner: r.acct, clusterID: src.clusterID,
		engine: src.engine, version: src.version, typ: "manual", created: r.now, kmsKey: key, tags: t,
		clusterCreated: src.clusterCreated, clusterResource: src.clusterResource,
		lc: transition(r.now, "available", phase{"copying", w.clock.d(DurSnapshotCopy)}),
	}
	if copyTags && src.owner == r.acct {
		s.tags = src.tags.merge(t)
	}
	r.acct.snapshots = append(r.acct.snapshots, s)
	return map[string]any{"DbClusterSnapshot": w.snapshotJSON(r.acct, s, r.now)}, nil
}

// sharedSnapshotQuota is how many accounts a manual snapshot can be
// shared with.
const sharedSnapshotQuota = 20

// modifyDBClusterSnapshotAttribute shares a manual snapshot with accounts
// (ValuesToAdd) or stops sharing it (ValuesToRemove).
func (w *World) modifyDBClusterSnapshotAttribute(r *request) (any, *sim.Failure) {
	id, err := r.required("DbClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	attr, err := r.required("AttributeName")
	if err != nil {
		return nil, err
	}
	add, err := r.stringList("ValuesToAdd")
	if err != nil {
		return nil, err
	}
	remove, err := r.stringList("ValuesToRemove")
	if err != nil {
		return nil, err
	}
	s := w.findSnapshot(r.acct, id, r.now)
	if s == nil {
		return nil, r.fail("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot not found: %s", id)
	}
	if attr != "restore" {
		return nil, r.invalid("Invalid attribute name: %s. Only restore is supported.", attr)
	}
	if s.typ != "manual" {
		return nil, r.invalid("The snapshot %s is an automated snapshot: only manual snapshots can be shared.", id)
	}
	if st := w.snapshotStatus(s, r.now); st != "available" {
		return nil, r.fail("InvalidDBClusterSnapshotStateFault", 400, "DBClusterSnapshot %s is not available (%s).", id, st)
	}
	for _, v := range add {
		if v == "all" && s.kmsKey != "" {
			return nil, r.invalid("Encrypted snapshots cannot be shared publicly.")
		}
		if v != "all" && !isAccountID(v) {
			return nil, r.invalid("Invalid account id: %s", v)
		}
		if !slices.Contains(s.restore, v) {
			s.restore = append(s.restore, v)
		}
	}
	var kept []string
	for _, v := range s.restore {
		if !slices.Contains(remove, v) {
			kept = append(kept, v)
		}
	}
	if len(kept) > sharedSnapshotQuota {
		return nil, r.fail("SharedSnapshotQuotaExceededFault", 400, "A snapshot can be shared with at most %d accounts.", sharedSnapshotQuota)
	}
	s.restore = kept
	return map[string]any{"DbClusterSnapshotAttributesResult": w.attributesJSON(s)}, nil
}

// describeDBClusterSnapshotAttributes says whom a snapshot is shared with.
func (w *World) describeDBClusterSnapshotAttributes(r *request) (any, *sim.Failure) {
	id, err := r.required("DbClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	s := w.findSnapshot(r.acct, id, r.now)
	if s == nil {
		return nil, r.fail("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot not found: %s", id)
	}
	return map[string]any{"DbClusterSnapshotAttributesResult": w.attributesJSON(s)}, nil
}

func (w *World) attributesJSON(s *snapshot) map[string]any {
	values := slices.Clone(s.restore)
	sort.Strings(values)
	list := []any{}
	for _, v := range values {
		list = append(list, v)
	}
	return map[string]any{
		"DbClusterSnapshotIdentifier": s.id,
		"DbClusterSnapshotAttributes": []any{map[string]any{"AttributeName": "restore", "AttributeValues": list}},
	}
}

// deleteDBClusterSnapshot deletes a manual snapshot that is not being
// created or copied.
func (w *World) deleteDBClusterSnapshot(r *request) (any, *sim.Failure) {
	id, err := r.required("DbClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	s := w.findSnapshot(r.acct, id, r.now)
	if s == nil {
		return nil, r.fail("DBClusterSnapshotNotFoundFault", 404, "DBClusterSnapshot not found: %s", id)
	}
	if s.typ != "manual" {
		return nil, r.fail("InvalidDBClusterSnapshotStateFault", 400, "Only manual snapshots may be deleted; %s is automated.", id)
	}
	if st := w.snapshotStatus(s, r.now); st == "creating" || st == "copying" {
		return nil, r.fail("InvalidDBClusterSnapshotStateFault", 400, "Cannot delete the snapshot %s while it is %s.", id, st)
	}
	out := w.snapshotJSON(r.acct, s, r.now)
	out["Status"] = "deleted"
	s.lc = transition(r.now, gone)
	return map[string]any{"DbClusterSnapshot": out}, nil
}

// isAccountID reports whether s is a 12-digit account ID.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
