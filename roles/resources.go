package roles

import (
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// paramsOf lists, for each resource type, the request fields that name a
// resource of that type. Rename targets (NewDBClusterIdentifier) are not
// here: renameTargets grants them apart.
var paramsOf = map[iam.ResourceType][]string{
	iam.RDSCluster:               {"DbClusterIdentifier", "SourceDBClusterIdentifier", "ResourceName"},
	iam.RDSClusterSnapshot:       {"DbClusterSnapshotIdentifier", "SnapshotIdentifier", "SourceDBClusterSnapshotIdentifier", "TargetDBClusterSnapshotIdentifier", "FinalDBSnapshotIdentifier", "ResourceName"},
	iam.RDSInstance:              {"DbInstanceIdentifier", "ResourceName"},
	iam.RDSClusterParameterGroup: {"DbClusterParameterGroupName"},
	iam.RDSParameterGroup:        {"DbParameterGroupName"},
	iam.RDSSubnetGroup:           {"DbSubnetGroupName"},
	iam.RDSOptionGroup:           {"OptionGroupName"},
	iam.KMSKey:                   {"KmsKeyId", "KeyId", "MasterUserSecretKmsKeyId"},
	iam.EFSFileSystem:            {"FileSystemId", "ResourceId", "SourceFileSystemId"},
	iam.EFSAccessPoint:           {"AccessPointId"},
	iam.LambdaFunction:           {"FunctionName"},
	iam.Secret:                   {"SecretId"},
	iam.BackupRecoveryPoint:      {"RecoveryPointArn"},
	iam.BackupVault:              {"BackupVaultName", "SourceBackupVaultName"},
	iam.EKSCluster:               {"Name", "ClusterName"},
	iam.SSMParameter:             {"Name"},
	iam.S3Bucket:                 {"Bucket"},
	iam.IAMRole:                  {"IamRoleArn", "RoleArn", "Role", "Destinations.RoleArn"},
	iam.StateMachine:             {"StateMachineArn"},
	iam.SNSTopic:                 {"TopicArn"},
	iam.DynamoDBTable:            {"TableName"},
	iam.RAMResourceShare:         {"ResourceShareArn"},
	iam.RAMShareInvitation:       {"ResourceShareInvitationArn"},
}

// typeTargets names the resources of type t a call touches: those its
// parameters name when they are known at generation time, else (for a
// type the action requires) every resource of that type the spec implies
// in the role's account, the catalogue. The catalogue is not copied into
// each call's targets: it is built once per account and type (see
// catalogueSet), and the ARNs the parameters name that it already holds
// are left out.
func (d *deriver) typeTargets(r runner, t iam.ResourceType, n iam.Need, a iam.Action, c workflows.Call) typeTargets {
	loc := d.loc(r.account)
	var out []string
	unknown := false
	for _, p := range d.fieldsOf(t, n, c) {
		v, ok := param(c, p)
		if !ok {
			continue
		}
		for _, s := range v.Static {
			if s == "" {
				continue // an optional name left empty ("no final snapshot")
			}
			if usable(s) {
				out = append(out, arnOf(t, loc, s))
			} else {
				unknown = true
			}
		}
		unknown = unknown || v.Unknown
	}
	switch t {
	case iam.StateMachineExecution:
		for _, arn := range c.Params["StateMachineArn"].Static {
			out = append(out, t.ARN(loc, arn[strings.LastIndex(arn, ":")+1:]))
		}
	case iam.EKSNodegroup:
		out = append(out, nodegroups(t, loc, c)...)
	case iam.S3Object:
		out = append(out, objects(t, loc, c)...)
	}
	var cat *catalogueSet
	if unknown || (len(out) == 0 && slices.Contains(a.Required, t)) {
		cat = d.catalogueSet(r.account, t, readsAutomated[n.Action])
		out = slices.DeleteFunc(out, func(arn string) bool { return cat.has[arn] })
	}
	slices.Sort(out)
	return typeTargets{explicit: slices.Compact(out), cat: cat}
}

// param returns the values of a request field, named without the "[]" of
// the lists on its path ("Destinations.RoleArn").
func param(c workflows.Call, field string) (workflows.Values, bool) {
	for k, v := range c.Params {
		if strings.ReplaceAll(k, "[]", "") == field {
			return v, true
		}
	}
	return workflows.Values{}, false
}

// fieldsOf is the fields of call c naming a resource of type t for need
// n: a PassRole need reads the field its If names (the role passed), and
// the tagging of what a call creates is authorised on the new resource
// only (a copy's source snapshot is not tagged).
func (d *deriver) fieldsOf(t iam.ResourceType, n iam.Need, c workflows.Call) []string {
	if t == iam.IAMRole && n.If != "" {
		return []string{n.If}
	}
	if field, ok := createdFields[c.Integration.Service+":"+c.Integration.Action]; ok && n.If == "Tags" {
		return []string{field}
	}
	return paramsOf[t]
}

// createdFields name, for the calls that create a resource and tag it,
// the request field naming the new resource.
var createdFields = map[string]string{
	"rds:copyDBClusterSnapshot":         "TargetDBClusterSnapshotIdentifier",
	"rds:createDBClusterSnapshot":       "DbClusterSnapshotIdentifier",
	"rds:restoreDBClusterFromSnapshot":  "DbClusterIdentifier",
	"rds:restoreDBClusterToPointInTime": "DbClusterIdentifier",
	"rds:createDBInstance":              "DbInstanceIdentifier",
}

// usable reports whether a value known at generation time can name a
// resource: a pattern must start with a name, not with its run-time part
// ("*-1" would match anything).
func usable(s string) bool {
	if rest, ok := strings.CutPrefix(s, "arn:"); ok {
		// An ARN built at run time: its account must be known, and its
		// name must start with one ("...:db:*" is any instance).
		parts := strings.SplitN(rest, ":", 5)
		if len(parts) < 5 || strings.Contains(parts[3], "*") {
			return false
		}
		name := parts[4][strings.IndexAny(parts[4], ":/")+1:]
		return !strings.HasPrefix(name, "*")
	}
	return !strings.HasPrefix(s, "*")
}

// arnOf returns a value as an ARN of type t: an ARN stays as it is (it
// may be in another account, like a snapshot shared from the source).
func arnOf(t iam.ResourceType, loc iam.Location, s string) string {
	if strings.HasPrefix(s, "arn:") {
		return s
	}
	if t == iam.SSMParameter {
		s = strings.TrimPrefix(s, "/")
	}
	return t.ARN(loc, s)
}

func nodegroups(t iam.ResourceType, loc iam.Location, c workflows.Call) []string {
	var out []string
	// eks:describeUpdate names the cluster "Name", the others "ClusterName".
	clusters := slices.Concat(c.Params["ClusterName"].Static, c.Params["Name"].Static)
	for _, cluster := range clusters {
		for _, ng := range c.Params["NodegroupName"].Static {
			out = append(out, t.ARN(loc, cluster+"/"+ng))
		}
	}
	return out
}

func objects(t iam.ResourceType, loc iam.Location, c workflows.Call) []string {
	var out []string
	for _, b := range c.Params["Bucket"].Static {
		for _, k := range c.Params["Key"].Static {
			out = append(out, t.ARN(loc, b+"/"+k))
		}
	}
	return out
}

// createdTypes says, for the calls that create a resource, which of the
// action's resource types is the new one: it has no tags yet, so it is
// scoped by name and by the tags of the request instead.
var createdTypes = map[string]iam.ResourceType{
	"rds:CreateDBClusterSnapshot":       iam.RDSClusterSnapshot,
	"rds:CopyDBClusterSnapshot":         iam.RDSClusterSnapshot,
	"rds:RestoreDBClusterFromSnapshot":  iam.RDSCluster,
	"rds:RestoreDBClusterToPointInTime": iam.RDSCluster,
	"rds:CreateDBInstance":              iam.RDSInstance,
	"rds:DeleteDBCluster":               iam.RDSClusterSnapshot, // the final snapshot
	"secretsmanager:CreateSecret":       iam.Secret,
}

func isCreated(action string, t iam.ResourceType) bool {
	ct, ok := createdTypes[action]
	return ok && ct == t
}

// readsAutomated are the actions that may name a source cluster's
// automated snapshots (AWS's, named rds:<cluster>-<date>): finding the
// latest and copying it. Nothing else may, and the source's guardrails
// deny every change to them.
var readsAutomated = map[string]bool{
	"rds:DescribeDBClusterSnapshots": true,
	"rds:CopyDBClusterSnapshot":      true,
}

// catalogue holds, per account and resource type, every resource name the
// spec implies there: what a call may touch when its parameters are only
// known at run time.
type catalogue struct {
	byAccount map[string]map[iam.ResourceType][]string
	// automated are the automated snapshots of the source clusters.
	automated map[string]map[iam.ResourceType][]string
}

func (c *catalogue) add(a *spec.Account, t iam.ResourceType, names ...string) {
	addTo(c.byAccount, a, t, names)
}

func addTo(m map[string]map[iam.ResourceType][]string, a *spec.Account, t iam.ResourceType, names []string) {
	if m[a.Name] == nil {
		m[a.Name] = map[iam.ResourceType][]string{}
	}
	m[a.Name][t] = append(m[a.Name][t], names...)
}

func (c *catalogue) of(a *spec.Account, t iam.ResourceType) []string {
	return c.byAccount[a.Name][t]
}

func (c *catalogue) automatedOf(a *spec.Account, t iam.ResourceType) []string {
	return c.automated[a.Name][t]
}

func newCatalogue(s *spec.Spec, n *names.Names) *catalogue {
	c := &catalogue{byAccount: map[string]map[iam.ResourceType][]string{}, automated: map[string]map[iam.ResourceType][]string{}}
	for _, r := range s.Refreshes {
		src, dst := r.Source, r.Destination
		for _, db := range r.Databases {
			prefix := n.SnapshotPrefix(r, db)
			c.add(src, iam.RDSCluster, db.From.Identifier)
			c.add(src, iam.RDSClusterSnapshot, prefix+"-*")
			if db.Strategy == spec.StrategyLatestSnapshot {
				addTo(c.automated, src, iam.RDSClusterSnapshot, []string{"rds:" + db.From.Identifier + "-*"})
			}
			c.add(src, iam.KMSKey, db.From.KMSKeyARN)
			c.add(dst, iam.RDSCluster, db.TargetCluster, names.RestoreCluster(db), names.OldCluster(db))
			c.add(dst, iam.RDSInstance, db.TargetCluster+"-*")
			c.add(dst, iam.RDSClusterSnapshot, prefix+"-final-*",
				n.ARN("rds", src.ID, "cluster-snapshot:"+prefix+"-*"))
			c.add(dst, iam.RDSClusterParameterGroup, orDefault(db.ClusterParameterGroup))
			c.add(dst, iam.RDSParameterGroup, orDefault(db.ParameterGroup))
			c.add(dst, iam.RDSOptionGroup, "default:aurora*")
			c.add(dst, iam.RDSSubnetGroup, db.SubnetGroup)
			c.add(dst, iam.KMSKey, db.KMSKeyARN)
			c.add(dst, iam.Secret, "rds!cluster-*")
			c.add(dst, iam.Secret, db.RotateSecrets...)
			if db.Strategy == spec.StrategyClone {
				// The share of the source cluster, and its invitation,
				// whose ARN is in the sharing account.
				c.add(src, iam.RAMResourceShare, "*")
				c.add(dst, iam.RAMShareInvitation, n.ARN("ram", src.ID, "resource-share-invitation/*"))
			}
		}
		for _, fs := range r.FileSystems {
			c.add(src, iam.EFSFileSystem, fs.From.FileSystemID)
			c.add(src, iam.BackupRecoveryPoint, "*")
			c.add(src, iam.BackupVault, fs.From.BackupVault)
			c.add(dst, iam.EFSFileSystem, fs.TargetFileSystemID)
			c.add(dst, iam.BackupRecoveryPoint, "*")
			c.add(dst, iam.BackupVault, fs.TargetBackupVault)
			if fs.SubpathParameter != "" {
				c.add(dst, iam.SSMParameter, fs.SubpathParameter)
			}
		}
		if r.EKS != nil {
			c.add(dst, iam.EKSCluster, r.EKS.Cluster.ClusterName)
			for _, ng := range r.EKS.Cluster.Nodegroups {
				c.add(dst, iam.EKSNodegroup, r.EKS.Cluster.ClusterName+"/"+ng)
			}
		}
	}
	return c
}

// orDefault is a parameter group the spec names, or the engine defaults.
func orDefault(group string) string {
	if group != "" {
		return group
	}
	return "default.aurora*"
}
