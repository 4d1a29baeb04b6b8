package awsmock

import (
	"fmt"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
)

// seed builds the healthy estate of the spec, as it stands before the
// first refresh, dated before w.start:
//
//   - source accounts: each aurora cluster, available, encrypted with its
//     key, with two instances and a week of daily automated snapshots;
//     each efs file system, with three daily recovery points in its vault;
//   - KMS: every key the spec names, in the account of its ARN, with the
//     grants RDS holds on the source keys;
//   - destination accounts: each refresh's target cluster, available and
//     without the managed tag (refreshgen adopts it), with one instance
//     <target>-1; the subnet and parameter groups the spec names; the
//     target file systems (protected, with mount targets) and backup
//     vaults; the secrets of rotate_secrets, rotated once before; the SQL
//     bucket with the post-restore scripts; the Lambda helpers the
//     refreshes into the account use; each eks cluster with its node
//     groups, an access entry for the account's role with the spec's
//     access policies, and for each volume a claim bound to a volume that
//     a running workload mounts;
//   - the orchestrator account: the run-history table and refreshgen's
//     topic; a topic notify names, in the account of its ARN.
func (w *World) seed() {
	for _, a := range w.spec.Auroras {
		w.key(a.KMSKeyARN, true)
		w.sourceCluster(a)
	}
	for _, f := range w.spec.FileSystems {
		w.sourceFileSystem(f)
	}
	for _, c := range w.spec.EKSClusters {
		w.eksSeed(c)
	}
	for _, r := range w.spec.Refreshes {
		dst := w.byID[r.Destination.ID]
		for _, db := range r.Databases {
			w.key(db.KMSKeyARN, false)
			w.targetCluster(dst, db)
			for i, script := range db.PostRestoreSQL {
				w.putObject(dst, w.names.SQLBucket(r.Destination), names.SQLKey(r.Name, db.Name, i, script), script.SQL)
			}
			if len(db.PostRestoreSQL) > 0 {
				w.function(dst, names.FnRunSQL, nil)
			}
			for _, arn := range db.RotateSecrets {
				w.appSecret(arn)
			}
		}
		for _, fs := range r.FileSystems {
			target := w.targetFileSystem(dst, fs)
			if fs.Strategy == spec.FSReplication {
				w.function(dst, names.FnCheckFlagFile, target)
				continue
			}
			if w.findVault(dst, fs.TargetBackupVault) == nil {
				w.newVault(dst, fs.TargetBackupVault)
			}
			w.function(dst, names.FnGetEFSSubpath, target)
		}
		if r.EKS != nil {
			w.volumes(r)
		}
		if arn := w.names.TopicARN(r); iam.AccountOf(arn) != "" {
			acct := w.addAccount(iam.AccountOf(arn), w.spec.Account(nameOf(w.spec, iam.AccountOf(arn))))
			acct.topics[arn] = &topic{}
		}
	}
	if o := w.byID[w.orchestratorID()]; o != nil {
		o.tables[w.names.HistoryTable()] = &table{key: "RunId", items: map[string]map[string]any{}}
		arn := w.arn("sns", o.id, w.names.Topic())
		if o.topics[arn] == nil {
			o.topics[arn] = &topic{}
		}
	}
}

// nameOf is the spec's name of account id, "" outside the spec.
func nameOf(s *spec.Spec, id string) string {
	for _, a := range s.Accounts {
		if a.ID == id {
			return a.Name
		}
	}
	return ""
}

// past is a time d before the start, at the same time of day each day:
// the estate's history.
func (w *World) past(days int, hour, minute int) time.Time {
	day := w.start.UTC().Truncate(24 * time.Hour)
	return day.AddDate(0, 0, -days).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// key records the KMS key arn in the account of its ARN; a source key
// also holds the grants RDS made for its own use (unnamed).
func (w *World) key(arn string, source bool) *key {
	if k := w.keyByARN(arn); k != nil {
		return k
	}
	acct := w.addAccount(iam.AccountOf(arn), w.spec.Account(nameOf(w.spec, iam.AccountOf(arn))))
	k := &key{arn: arn, id: arn[strings.LastIndexByte(arn, '/')+1:], owner: acct}
	if source {
		for i := range 2 {
			k.grants = append(k.grants, &grant{id: w.hexID(64), grantee: "rds." + w.region + ".amazonaws.com",
				operations: []string{"Decrypt", "GenerateDataKey", "CreateGrant", "DescribeKey"}, issuer: acct.id, created: w.past(400-i, 9, 0)})
		}
	}
	acct.keys = append(acct.keys, k)
	return k
}

// sourceCluster is a production cluster with a week of automated snapshots.
func (w *World) sourceCluster(a *spec.Aurora) {
	acct := w.byID[a.Account.ID]
	c := &cluster{id: a.Identifier, resourceID: "cluster-" + strings.ToUpper(w.hexID(26)), engine: string(a.Engine),
		version: engineVersion(string(a.Engine)), kmsKey: a.KMSKeyARN, created: w.past(400, 10, 0), lc: steady("available"),
		subnetGroup: "production-db", securityGroups: []string{"sg-0f00000000000000a"},
		deletionProtection: true, tags: tags{{"Environment", "production"}}, retention: 7}
	acct.clusters = append(acct.clusters, c)
	for n := range 2 {
		acct.instances = append(acct.instances, &instance{id: fmt.Sprintf("%s-instance-%d", a.Identifier, n+1), cluster: c,
			class: "db.r6g.xlarge", engine: c.engine, tier: n, created: c.created, lc: steady("available")})
	}
	w.backups(acct, w.start)
}

func engineVersion(engine string) string {
	if engine == string(spec.EnginePostgreSQL) {
		return "16.4"
	}
	return "8.0.mysql_aurora.3.08.0"
}

// targetCluster is the live target of a database copy, not yet adopted.
func (w *World) targetCluster(acct *account, db *spec.Database) {
	acct.subnetGroups[strings.ToLower(db.SubnetGroup)] = true
	if db.ClusterParameterGroup != "" {
		acct.clusterParams[strings.ToLower(db.ClusterParameterGroup)] = true
	}
	if db.ParameterGroup != "" {
		acct.instanceParams[strings.ToLower(db.ParameterGroup)] = true
	}
	if w.findCluster(acct, db.TargetCluster, w.start) != nil {
		return
	}
	c := &cluster{id: db.TargetCluster, resourceID: "cluster-" + strings.ToUpper(w.hexID(26)), engine: string(db.From.Engine),
		version: engineVersion(string(db.From.Engine)), kmsKey: db.KMSKeyARN, created: w.past(60, 4, 0), lc: steady("available"),
		subnetGroup: db.SubnetGroup, paramGroup: db.ClusterParameterGroup, securityGroups: db.SecurityGroupIDs,
		tags: tags{{"Environment", acct.name()}}}
	if db.Serverless != nil {
		c.serverless = &scaling{min: db.Serverless.MinCapacity, max: db.Serverless.MaxCapacity}
	}
	acct.clusters = append(acct.clusters, c)
	acct.instances = append(acct.instances, &instance{id: db.TargetCluster + "-1", cluster: c, class: db.InstanceClass,
		engine: c.engine, created: c.created, lc: steady("available"), paramGroup: db.ParameterGroup})
}

// sourceFileSystem is a production file system and its backups.
func (w *World) sourceFileSystem(f *spec.FileSystem) {
	acct := w.byID[f.Account.ID]
	fs := w.newFileSystem(acct, f.FileSystemID, "production-"+f.Name, w.past(500, 8, 0))
	fs.tags, fs.kmsKey = tags{{"Name", f.Name}}, w.arn("kms", acct.id, "key/"+acct.dnsSuffix)
	if f.BackupVault == "" {
		return
	}
	v := w.findVault(acct, f.BackupVault)
	if v == nil {
		v = w.newVault(acct, f.BackupVault)
	}
	other := w.arn("elasticfilesystem", acct.id, "file-system/fs-0000000000000000a")
	for d := 3; d >= 1; d-- {
		for _, resource := range []string{fs.arn, other} { // the vault holds other backups too
			v.points = append(v.points, &recoveryPoint{arn: w.arn("backup", acct.id, "recovery-point:"+strings.ToUpper(w.uuid())),
				vault: v, resource: resource, created: w.past(d, 5, 0), size: 52428800})
		}
	}
}

// targetFileSystem is the destination file system of a copy, with its
// replication overwrite protection on, as EFS creates them.
func (w *World) targetFileSystem(acct *account, c *spec.FileSystemCopy) *fileSystem {
	if fs := w.findFileSystem(acct, c.TargetFileSystemID, w.start); fs != nil {
		return fs
	}
	fs := w.newFileSystem(acct, c.TargetFileSystemID, acct.name()+"-"+c.Name, w.past(90, 8, 0))
	fs.tags, fs.kmsKey = tags{{"Name", acct.name() + "-" + c.Name}}, w.arn("kms", acct.id, "key/"+acct.dnsSuffix)
	subnets := []string{"subnet-0000000000000000a", "subnet-0000000000000000b"}
	if acct.spec != nil && len(acct.spec.SubnetIDs) > 0 {
		subnets = acct.spec.SubnetIDs
	}
	for i, s := range subnets {
		fs.mountTargets = append(fs.mountTargets, &mountTarget{id: "fsmt-" + w.hexID(17), subnet: s, zone: w.zoneOf(acct, s),
			ip: fmt.Sprintf("10.1.%d.20", i), lc: steady("available")})
	}
	return fs
}

// function deploys a Lambda helper in acct (once).
func (w *World) function(acct *account, helper string, mount *fileSystem) {
	name := w.names.Function(helper)
	if acct.functions[name] == nil {
		acct.functions[name] = &function{helper: helper, mount: mount}
	}
}

func (w *World) putObject(acct *account, bucket, key, body string) {
	if acct.buckets[bucket] == nil {
		acct.buckets[bucket] = map[string]string{}
	}
	acct.buckets[bucket][key] = body
}

// appSecret is an application secret with rotation configured and one
// rotation done.
func (w *World) appSecret(arn string) {
	acct := w.addAccount(iam.AccountOf(arn), w.spec.Account(nameOf(w.spec, iam.AccountOf(arn))))
	if w.findSecret(acct, arn) != nil {
		return
	}
	s := &secret{arn: arn, name: secretNameOf(arn), owner: acct, created: w.past(200, 9, 0), version: w.uuid(),
		rotationLambda: w.arn("lambda", acct.id, "function:SecretsManagerRotation"), rotationDays: 30,
		lastRotated: w.past(20, 2, 0)}
	acct.secrets = append(acct.secrets, s)
}

// eksSeed is an EKS cluster of the spec with its node groups and the
// access entry of the account's refreshgen role.
func (w *World) eksSeed(c *spec.EKSCluster) {
	acct := w.byID[c.Account.ID]
	k := w.newEKSCluster(acct, c.ClusterName)
	for _, ng := range c.Nodegroups {
		k.nodegroups = append(k.nodegroups, &nodegroup{name: ng, base: sizes{min: 2, desired: 3, max: 6}})
	}
	role := w.names.AccountRoleARN(c.Account)
	k.access[role] = []accessPolicy{}
	for _, p := range c.AccessPolicies {
		k.access[role] = append(k.access[role], accessPolicy{arn: p.PolicyARN, namespaces: p.Namespaces})
	}
	// The RBAC refreshgen renders for the cluster, applied as its README
	// says, bound to the group the access entry maps the role to.
	for _, rbac := range kubernetes.Clusters(w.spec) {
		if rbac.Account == c.Account && rbac.ClusterName == c.ClusterName {
			k.rbac, k.rbacRole = &rbac, role
		}
	}
}

// volumes are the claims a refresh repoints, each bound to a volume on
// the EFS CSI driver that a running workload mounts. The volumes keep
// their data when released (Retain), as refreshgen requires.
func (w *World) volumes(r *spec.Refresh) {
	c := w.byID[r.Destination.ID].eks[r.EKS.Cluster.ClusterName]
	if c == nil {
		return
	}
	for _, v := range r.EKS.Volumes {
		w.claim(c, v.Namespace, v.Claim, v.FileSystem.TargetFileSystemID)
	}
}

// claim is a claim bound to a volume of the EFS CSI driver on the file
// system fsID, which a running workload mounts; the volume keeps its data
// when released (Retain), as refreshgen requires.
func (w *World) claim(c *eksCluster, namespace, name, fsID string) {
	key := namespace + "/" + name
	if _, ok := c.kube.claims[key]; ok {
		return
	}
	created := isoSeconds(w.past(90, 9, 0))
	pv, claimUID := "pvc-"+w.uuid(), w.uuid()
	c.kube.version += 2
	c.kube.claims[key] = &kubeObject{body: map[string]any{
		"apiVersion": "v1", "kind": "PersistentVolumeClaim",
		"metadata": map[string]any{"name": name, "namespace": namespace, "uid": claimUID,
			"resourceVersion": fmt.Sprint(c.kube.version - 1), "creationTimestamp": created,
			"finalizers": []any{"kubernetes.io/pvc-protection"}},
		"spec": map[string]any{"accessModes": []any{"ReadWriteMany"}, "storageClassName": "efs-sc", "volumeName": pv,
			"volumeMode": "Filesystem", "resources": map[string]any{"requests": map[string]any{"storage": "5Gi"}}},
		"status": map[string]any{"phase": "Bound", "accessModes": []any{"ReadWriteMany"}, "capacity": map[string]any{"storage": "5Gi"}},
	}}
	c.kube.volumes[pv] = &kubeObject{body: map[string]any{
		"apiVersion": "v1", "kind": "PersistentVolume",
		"metadata": map[string]any{"name": pv, "uid": w.uuid(), "resourceVersion": fmt.Sprint(c.kube.version), "creationTimestamp": created},
		"spec": map[string]any{
			"capacity": map[string]any{"storage": "5Gi"}, "accessModes": []any{"ReadWriteMany"},
			"persistentVolumeReclaimPolicy": "Retain", "storageClassName": "efs-sc", "volumeMode": "Filesystem",
			"claimRef": map[string]any{"kind": "PersistentVolumeClaim", "namespace": namespace, "name": name, "uid": claimUID},
			"csi":      map[string]any{"driver": "efs.csi.aws.com", "volumeHandle": fsID + "::fsap-" + w.hexID(17)},
		},
		"status": map[string]any{"phase": "Bound"},
	}}
	c.kube.users[key] = true
}
