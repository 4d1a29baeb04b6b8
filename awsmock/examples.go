package awsmock

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
)

// ExampleRun is a library workflow run on its own, on the example input
// of its contract (workflows.Env.Example): the World adds to the estate
// what that input names and the workflow expects to find, which the
// estate of the spec lacks (example-cluster, example-snapshot,
// example-eks...), and leaves out what the workflow creates.
type ExampleRun struct {
	// Workflow is the library workflow, group/key (db/restore_cluster).
	Workflow string
	// Input is its example input.
	Input map[string]any
}

// exampleStart is when an example run starts: an hour after the latest
// time its input names (a replication wait's After, a run's StartedAt),
// so that the estate's history is past it; else start.
func exampleStart(in map[string]any, start time.Time) time.Time {
	latest := start
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case string:
			if t, err := time.Parse(time.RFC3339, v); err == nil && t.Add(time.Hour).After(latest) {
				latest = t.Add(time.Hour).UTC()
			}
		}
	}
	walk(normalizeInput(in))
	return latest
}

// normalizeInput turns an input built in Go ([]map[string]any, []string)
// into plain JSON values.
func normalizeInput(in map[string]any) map[string]any {
	var out map[string]any
	if err := decodeJSON([]byte(jsonText(in)), &out); err != nil {
		return map[string]any{}
	}
	return out
}

// fixtures seeds what the example run x expects to find. A fixture that
// cannot be made is a problem of the World (Problems), not of the run.
func (w *World) fixtures(x *ExampleRun) {
	in := normalizeInput(x.Input)
	f := &fixture{w: w, in: in, at: w.start.Add(-48 * time.Hour)}
	acct := f.account("Account")
	switch x.Workflow {
	case "db/ensure_cluster_available", "db/ensure_cluster_not_exists", "db/delete_cluster", "db/stop_cluster",
		"db/rename_cluster", "db/configure_s3_integration", "db/enable_master_secret":
		if k := f.str("KmsKeyId"); k != "" {
			w.key(k, false)
		}
		f.cluster(acct, f.str("ClusterId"), f.engine(""), 1)
	case "db/create_instance":
		f.cluster(acct, f.str("ClusterId"), f.engine(f.str("Engine")), 0)
	case "db/restore_cluster":
		snap := f.snapshot(f.str("SnapshotArn"), f.engine(f.str("Engine")), acct)
		f.newClusterSetup(acct, snap.kmsKey)
	case "db/clone_cluster":
		src := f.str("SourceClusterArn")
		owner := w.byID[iam.AccountOf(src)]
		c := f.sourceCluster(owner, src[strings.LastIndexByte(src, ':')+1:], f.engine(f.str("Engine")), "")
		f.share(owner, "refreshgen-example-fixture", w.clusterARN(owner, c.id), acct.id)
		f.newClusterSetup(acct, c.kmsKey)
	case "db/rotate_secrets":
		for _, arn := range f.list("SecretArns") {
			w.appSecret(arn)
		}
	case "db/create_manual_snapshot":
		f.sourceCluster(acct, f.str("ClusterId"), f.engine(""), "")
	case "db/copy_latest_snapshot":
		f.sourceCluster(acct, f.str("ClusterId"), f.engine(""), f.str("KmsKeyArn"))
	case "db/grant_key":
		w.key(f.str("KmsKeyArn"), true)
	case "db/share_snapshot":
		f.managedSnapshot(f.account("Source"), f.str("SnapshotId"), f.str("KmsKeyArn"))
	case "db/release_snapshot":
		f.sharedSnapshot(f.account("Source"), f.str("SnapshotId"), f.str("KmsKeyArn"), f.str("DestinationAccountId"), f.str("GrantName"))
	case "db/share_cluster":
		src := f.str("ClusterArn")
		f.sourceCluster(w.byID[iam.AccountOf(src)], src[strings.LastIndexByte(src, ':')+1:], f.engine(""), "")
	case "db/release_cluster_share":
		owner := f.account("Source")
		c := f.sourceCluster(owner, "example-shared", f.engine(""), "")
		f.share(owner, f.str("ShareName"), w.clusterARN(owner, c.id), f.destinationID(owner))
	case "db/run_sql_lambda", "db/run_sql_from_s3":
		f.function(acct, f.str("FunctionArn"), names.FnRunSQL)
		f.database(acct)
		for _, key := range f.list("Keys") {
			w.putObject(acct, f.str("Bucket"), key, "UPDATE settings SET value = 'example' WHERE name = 'env';\n")
		}
	case "db/run_mysqldump_on_eks", "db/run_mysqlimport_on_eks", "utils/run_archive_job":
		f.eks(acct)
		if f.str("Host") != "" {
			f.database(acct)
		}
	case "eks/manage_storage":
		// A refresh scales the workloads down before it repoints a claim:
		// nothing uses the claim any more.
		if c := acct.eks[f.str("ClusterName")]; c != nil {
			delete(c.kube.users, f.str("Namespace")+"/"+f.str("Claim"))
		}
	case "efs/delete_filesystem":
		f.adopt(acct, f.str("FileSystemId"))
	case "efs/setup_cross_account_replication":
		f.adopt(f.account("Destination"), f.str("TargetFileSystemId"))
	case "efs/get_subpath_and_store_in_ssm":
		fn := f.function(acct, f.str("FunctionArn"), names.FnGetEFSSubpath)
		if fn.mount != nil {
			fn.mount.restores = append(fn.mount.restores, &restoreJob{id: w.uuid(), owner: acct, fs: fn.mount,
				folder: "aws-backup-restore_" + f.at.Format("2006-01-02T15-04-05Z"), created: f.at, lc: steady("COMPLETED")})
		}
	case "efs/wait_replication_complete":
		src := f.account("Source")
		f.replication(w.findFileSystem(src, f.str("SourceFileSystemId"), w.start), f.str("TargetFileSystemId"))
	case "efs/finish_replication":
		f.adopt(acct, f.str("TargetFileSystemId"))
		f.replication(nil, f.str("TargetFileSystemId"))
	case "utils/cleanup_and_stop":
		for _, d := range f.objects("DeleteClusters") {
			g := f.with(d)
			g.cluster(g.account("Account"), g.str("ClusterId"), f.engine(""), 1)
		}
		for _, d := range f.objects("StopClusters") {
			g := f.with(d)
			g.cluster(g.account("Account"), g.str("ClusterId"), f.engine(""), 1)
		}
		for _, d := range f.objects("Snapshots") {
			g := f.with(d)
			g.sharedSnapshot(g.account("Source"), g.str("SnapshotId"), g.str("KmsKeyArn"), g.str("DestinationAccountId"), g.str("GrantName"))
		}
		for i, d := range f.objects("Shares") {
			g := f.with(d)
			owner := g.account("Source")
			c := g.sourceCluster(owner, fmt.Sprintf("example-shared-%d", i+1), f.engine(""), "")
			g.share(owner, g.str("ShareName"), w.clusterARN(owner, c.id), g.destinationID(owner))
		}
	}
}

// fixture builds the resources of one example input, dated at.
type fixture struct {
	w  *World
	in map[string]any
	at time.Time
}

// with is the fixture reading another object of the input.
func (f *fixture) with(in map[string]any) *fixture { return &fixture{w: f.w, in: in, at: f.at} }

func (f *fixture) problem(format string, args ...any) {
	f.w.problems = append(f.w.problems, "example fixtures: "+fmt.Sprintf(format, args...))
}

func (f *fixture) str(key string) string {
	s, _ := f.in[key].(string)
	return s
}

func (f *fixture) list(key string) []string {
	var out []string
	l, _ := f.in[key].([]any)
	for _, v := range l {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (f *fixture) objects(key string) []map[string]any {
	var out []map[string]any
	l, _ := f.in[key].([]any)
	for _, v := range l {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// account is the account of the input's {AccountId, RoleArn} field key,
// the orchestrator's when it has none.
func (f *fixture) account(key string) *account {
	m, _ := f.in[key].(map[string]any)
	id, _ := m["AccountId"].(string)
	if a := f.w.byID[id]; a != nil {
		return a
	}
	return f.w.byID[f.w.orchestratorID()]
}

// roleIn is refreshgen's role in acct.
func (f *fixture) roleIn(acct *account) string {
	if acct.spec != nil {
		return f.w.names.AccountRoleARN(acct.spec)
	}
	return f.w.names.RoleARN(acct.id, "unknown")
}

// destinationID is the account the input shares with: its Destination,
// else the first destination of the spec other than owner.
func (f *fixture) destinationID(owner *account) string {
	if d := f.account("Destination"); d != nil && d != owner && f.in["Destination"] != nil {
		return d.id
	}
	for _, a := range f.w.spec.AccountsWithRole(spec.RoleDestination) {
		if a.ID != owner.id {
			return a.ID
		}
	}
	return ""
}

// engine is the engine the input names, else that of the spec's first
// Aurora cluster.
func (f *fixture) engine(named string) string {
	if named != "" {
		return named
	}
	if len(f.w.spec.Auroras) > 0 {
		return string(f.w.spec.Auroras[0].Engine)
	}
	return string(spec.EngineMySQL)
}

// sourceKey is a customer managed key of acct with the engine's data:
// the spec's key of an Aurora cluster of acct, else an example key.
func (f *fixture) sourceKey(acct *account, engine string) string {
	for _, a := range f.w.spec.Auroras {
		if a.Account.ID == acct.id && string(a.Engine) == engine {
			return a.KMSKeyARN
		}
	}
	return f.w.arn("kms", acct.id, "key/00000000-0000-4000-8000-000000000000")
}

// managed are the tags of a resource refreshgen may change.
func (f *fixture) managed() tags {
	tag := f.w.spec.Project.ManagedTag
	return tags{{tag.Key, tag.Value}}
}

// cluster is an available cluster of acct that refreshgen manages, with
// n instances <id>-1...
func (f *fixture) cluster(acct *account, id, engine string, n int) *cluster {
	w := f.w
	if acct == nil || id == "" {
		f.problem("no account or cluster identifier in the input")
		return nil
	}
	if c := w.findCluster(acct, id, w.start); c != nil {
		c.tags = c.tags.merge(f.managed())
		return c
	}
	acct.subnetGroups["example-db"] = true
	key := ""
	if acct.keys != nil {
		key = acct.keys[0].arn
	}
	c := &cluster{id: strings.ToLower(id), resourceID: "cluster-" + strings.ToUpper(w.hexID(26)), engine: engine,
		version: engineVersion(engine), kmsKey: key, created: f.at, lc: steady("available"), subnetGroup: "example-db",
		securityGroups: []string{"sg-0123456789abcdef0"}, tags: f.managed()}
	acct.clusters = append(acct.clusters, c)
	for i := range n {
		acct.instances = append(acct.instances, &instance{id: fmt.Sprintf("%s-%d", c.id, i+1), cluster: c, class: "db.r6g.large",
			engine: engine, tier: i, created: f.at, lc: steady("available"), tags: f.managed()})
	}
	return c
}

// sourceCluster is a production-like cluster of acct (not managed, with
// automated snapshots), encrypted with key or the account's source key.
func (f *fixture) sourceCluster(acct *account, id, engine, key string) *cluster {
	w := f.w
	if acct == nil || id == "" {
		f.problem("no source account or cluster identifier in the input")
		return &cluster{}
	}
	if c := w.findCluster(acct, id, w.start); c != nil {
		return c
	}
	if key == "" {
		key = f.sourceKey(acct, engine)
	}
	w.key(key, true)
	c := &cluster{id: strings.ToLower(id), resourceID: "cluster-" + strings.ToUpper(w.hexID(26)), engine: engine,
		version: engineVersion(engine), kmsKey: key, created: w.past(400, 10, 0), lc: steady("available"),
		subnetGroup: "production-db", securityGroups: []string{"sg-0f00000000000000a"}, deletionProtection: true,
		tags: tags{{"Environment", "example"}}, retention: 7}
	acct.clusters = append(acct.clusters, c)
	acct.instances = append(acct.instances, &instance{id: c.id + "-instance-1", cluster: c, class: "db.r6g.xlarge",
		engine: engine, created: c.created, lc: steady("available")})
	w.backups(acct, w.start)
	return c
}

// managedSnapshot is an available manual snapshot id of acct, made by
// refreshgen (managed), encrypted with key.
func (f *fixture) managedSnapshot(acct *account, id, key string) *snapshot {
	w := f.w
	if acct == nil || id == "" {
		f.problem("no account or snapshot identifier in the input")
		return &snapshot{}
	}
	if key == "" {
		key = f.sourceKey(acct, f.engine(""))
	}
	c := f.sourceCluster(acct, "example-source-db", f.engine(""), key)
	s := w.takeSnapshot(acct, c, id, "manual", f.at)
	s.tags = f.managed()
	return s
}

// sharedSnapshot is a managed snapshot shared with account dst, whose key
// grants dst's refreshgen role what a restore needs (a grant named
// grantName).
func (f *fixture) sharedSnapshot(acct *account, id, key, dst, grantName string) *snapshot {
	s := f.managedSnapshot(acct, id, key)
	s.restore = append(s.restore, dst)
	if to := f.w.byID[dst]; to != nil {
		f.grant(s.kmsKey, f.roleIn(to), grantName)
	}
	return s
}

// snapshot is the snapshot of the ARN arn, shared with the account of
// caller, ready to restore from: its key grants the caller's role what a
// restore needs.
func (f *fixture) snapshot(arn, engine string, caller *account) *snapshot {
	owner := f.w.byID[iam.AccountOf(arn)]
	if owner == nil || caller == nil {
		f.problem("the snapshot %s is not in an account of the spec", arn)
		return &snapshot{}
	}
	s := f.managedSnapshot(owner, arn[strings.LastIndexByte(arn, ':')+1:], f.sourceKey(owner, engine))
	s.restore = append(s.restore, caller.id)
	f.grant(s.kmsKey, f.roleIn(caller), "refreshgen-example-fixture")
	return s
}

// grant grants a role what a restore needs on a key.
func (f *fixture) grant(keyARN, grantee, name string) {
	k := f.w.key(keyARN, true)
	k.grants = append(k.grants, &grant{id: f.w.hexID(64), name: name, grantee: grantee, operations: restoreOperations,
		issuer: k.owner.id, created: f.at})
}

// newClusterSetup is what restoring or cloning into acct needs besides
// the source: a grant on the source's key, the input's key and subnet
// group.
func (f *fixture) newClusterSetup(acct *account, sourceKey string) {
	if sourceKey != "" && acct != nil {
		f.grant(sourceKey, f.roleIn(acct), "refreshgen-example-fixture")
	}
	if k := f.str("KmsKeyId"); k != "" {
		f.w.key(k, false)
	}
	if g := f.str("SubnetGroup"); g != "" && acct != nil {
		acct.subnetGroups[strings.ToLower(g)] = true
	}
}

// share shares a cluster of owner with the account dst through AWS RAM,
// accepted: the model's own createResourceShare, made at f.at.
func (f *fixture) share(owner *account, name, clusterARN, dst string) {
	w := f.w
	if owner == nil || dst == "" {
		f.problem("no account to share %s with", clusterARN)
		return
	}
	tag := w.spec.Project.ManagedTag
	if _, err := f.call(owner, "aws-sdk:ram:createResourceShare", map[string]any{"Name": name, "ResourceArns": []any{clusterARN},
		"Principals": []any{dst}, "Tags": []any{map[string]any{"Key": tag.Key, "Value": tag.Value}}}); err != nil {
		f.problem("sharing %s: %s: %s", clusterARN, err.Name, err.Cause)
		return
	}
	for _, sh := range owner.shares {
		for _, p := range sh.principals {
			if p.invitation != nil {
				p.invitation.status = "ACCEPTED"
			}
		}
	}
}

// call makes a call of the model as refreshgen's role in acct at f.at,
// unrecorded.
func (f *fixture) call(acct *account, op string, params map[string]any) (any, *sim.Failure) {
	w := f.w
	rest, sdk := strings.CutPrefix(op, "aws-sdk:")
	service, action, _ := strings.Cut(rest, ":")
	var norm map[string]any
	if err := decodeJSON([]byte(jsonText(params)), &norm); err != nil {
		return nil, failf(asl.ErrRuntime, "%v", err)
	}
	r := &request{w: w, now: f.at, role: f.roleIn(acct), acct: acct, params: norm,
		op: operation{sdk: sdk, service: service, action: action}}
	h, ok := handlers[r.op.key()]
	if !ok {
		return nil, failf(asl.ErrTaskFailed, "no model for %s", op)
	}
	return h.fn(w, r)
}

// function is the Lambda helper at arn, deployed if missing: an EFS
// helper mounts the target of the spec's first copy into its account.
func (f *fixture) function(acct *account, arn, helper string) *function {
	name := arn[strings.LastIndex(arn, ":")+1:]
	if fn := acct.functions[name]; fn != nil {
		return fn
	}
	fn := &function{helper: helper}
	if helper != names.FnRunSQL {
		for _, r := range f.w.spec.Refreshes {
			for _, c := range r.FileSystems {
				if r.Destination.ID == acct.id && fn.mount == nil {
					fn.mount = f.w.findFileSystem(acct, c.TargetFileSystemID, f.w.start)
				}
			}
		}
	}
	acct.functions[name] = fn
	return fn
}

// database is the cluster the input's Host names, available, with an
// available instance and the input's SecretArn as its master secret.
func (f *fixture) database(acct *account) {
	host := f.str("Host")
	id, _, _ := strings.Cut(host, ".")
	c := f.cluster(acct, id, f.engine(f.str("Engine")), 1)
	if c == nil {
		return
	}
	c.hosts = append(c.hosts, host)
	if arn := f.str("SecretArn"); arn != "" && f.w.findSecret(acct, arn) == nil {
		s := &secret{arn: arn, name: secretNameOf(arn), owner: acct, created: f.at, owningService: "rds", version: f.w.uuid()}
		acct.secrets = append(acct.secrets, s)
		c.secret = &masterSecret{secret: s, lc: steady("active")}
	}
}

// eks is the input's EKS cluster, with nodes, the role of the input's
// account as a cluster admin, and the input's claim bound to a volume.
func (f *fixture) eks(acct *account) {
	w := f.w
	name := f.str("ClusterName")
	c := acct.eks[name]
	if c == nil {
		c = w.newEKSCluster(acct, name)
		c.nodegroups = append(c.nodegroups, &nodegroup{name: "workers", base: sizes{min: 2, desired: 3, max: 6}})
	}
	m, _ := f.in["Account"].(map[string]any)
	role, _ := m["RoleArn"].(string)
	c.access[role] = append(c.access[role], accessPolicy{arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"})
	if claim := f.str("Claim"); claim != "" {
		fs := ""
		if fsys := slices.Collect(func(yield func(string) bool) {
			for _, x := range acct.fileSystems {
				if !yield(x.id) {
					return
				}
			}
		}); len(fsys) > 0 {
			fs = fsys[0]
		}
		w.claim(c, f.str("Namespace"), claim, fs)
	}
}

// adopt gives the file system id of acct the managed tag, as a refresh
// does before it changes a target.
func (f *fixture) adopt(acct *account, id string) {
	if fs := f.w.findFileSystem(acct, id, f.w.start); fs != nil {
		fs.tags = fs.tags.merge(f.managed())
	}
}

// replication is an enabled replication of src (the spec's source of the
// copy into the target when nil) into the file system target, made long
// before the run.
func (f *fixture) replication(src *fileSystem, target string) {
	w := f.w
	var dst *fileSystem
	for _, r := range w.spec.Refreshes {
		for _, c := range r.FileSystems {
			if c.TargetFileSystemID == target {
				dst = w.findFileSystem(w.byID[r.Destination.ID], target, w.start)
				if src == nil {
					src = w.findFileSystem(w.byID[c.From.Account.ID], c.From.FileSystemID, w.start)
				}
			}
		}
	}
	if src == nil || dst == nil {
		f.problem("no file systems to replicate %s into", target)
		return
	}
	rep := &replication{source: src, target: dst, role: w.names.RoleARN(src.owner.id, w.names.ReplicationRole()), created: f.at,
		lc: steady("ENABLED")}
	src.replication, dst.replication = rep, rep
	dst.protection = "DISABLED"
}
