package roles

import (
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// tagGuarded are the actions that change or delete an existing resource:
// in a destination account (and on the source's own snapshots) they are
// allowed only on resources that carry the managed tag, the same tag the
// workflows' guard checks. A workflow bug cannot get past IAM.
var tagGuarded = map[string]bool{
	"rds:DeleteDBCluster": true, "rds:DeleteDBInstance": true, "rds:ModifyDBCluster": true,
	"rds:ModifyDBInstance": true, "rds:StopDBCluster": true, "rds:StartDBCluster": true,
	"rds:DeleteDBClusterSnapshot": true, "rds:ModifyDBClusterSnapshotAttribute": true,
	"rds:AddRoleToDBCluster":             true,
	"elasticfilesystem:DeleteFileSystem": true, "elasticfilesystem:DeleteMountTarget": true,
	"elasticfilesystem:DeleteAccessPoint": true, "elasticfilesystem:DeleteReplicationConfiguration": true,
	"elasticfilesystem:UpdateFileSystemProtection": true, "elasticfilesystem:PutLifecycleConfiguration": true,
	"ram:DeleteResourceShare": true,
}

// ownership is the managed-tag condition of a tag-guarded action.
func (d *deriver) ownership(r runner, n iam.Need) []iam.Condition {
	if !tagGuarded[n.Action] || r.account.Role == spec.RoleOrchestrator {
		return nil
	}
	tag := d.spec.Project.ManagedTag
	return []iam.Condition{iam.Cond(iam.StringEquals, "aws:ResourceTag/"+tag.Key, tag.Value)}
}

// conditions are what a need's grant carries besides the table's own: a
// call that creates with tags must carry the managed tag (so what it
// creates is refreshgen's, and deletable later), and a KMS grant may only
// go to the principals the calls name.
func (d *deriver) conditions(r runner, n iam.Need, c workflows.Call) []iam.Condition {
	var out []iam.Condition
	a, _ := iam.LookupAction(n.Action)
	if _, creates := createdTypes[n.Action]; creates && hasParam(c, "Tags") && hasKey(a, "aws:RequestTag/${TagKey}") {
		tag := d.spec.Project.ManagedTag
		out = append(out, iam.Cond(iam.StringEquals, "aws:RequestTag/"+tag.Key, tag.Value))
	}
	if n.Action == "ram:CreateResourceShare" {
		out = append(out, d.shareConditions(c)...)
	}
	if n.Action == "kms:CreateGrant" && c.Integration.Service == "kms" {
		if grantees := c.Params["GranteePrincipal"]; len(grantees.Static) > 0 && !grantees.Unknown {
			out = append(out, iam.Cond(iam.StringEquals, "kms:GranteePrincipal", grantees.Static...))
		} else {
			d.fail("%s %s: a KMS grant whose grantee is not known at generation time", c.Machine.Name, c.State)
		}
	}
	return out
}

func hasKey(a iam.Action, key string) bool {
	for _, k := range a.Keys {
		if k == key {
			return true
		}
	}
	return false
}

// renameTargets are the names a rename gives: IAM authorises a rename on
// the new identifier too, which exists (and is tagged) only after it. The
// spec names each of them (a target, its -restore and -old), so they are
// granted by name alone.
func (d *deriver) renameTargets(r runner, n iam.Need, c workflows.Call) []string {
	var field string
	var t iam.ResourceType
	switch n.Action {
	case "rds:ModifyDBCluster":
		field, t = "NewDBClusterIdentifier", iam.RDSCluster
	case "rds:ModifyDBInstance":
		field, t = "NewDBInstanceIdentifier", iam.RDSInstance
	default:
		return nil
	}
	v, ok := c.Params[field]
	if !ok {
		return nil
	}
	loc := d.loc(r.account)
	var out []string
	for _, s := range v.Static {
		if usable(s) {
			out = append(out, arnOf(t, loc, s))
		}
	}
	if v.Unknown || len(out) < len(v.Static) {
		for _, s := range d.catalogue.of(r.account, t) {
			out = append(out, arnOf(t, loc, s))
		}
	}
	return out
}

// shareConditions pin a RAM share to what the calls share (the source
// clusters the spec clones) and with whom (the destination accounts), and
// require the managed tag, so that the source role can share nothing else.
func (d *deriver) shareConditions(c workflows.Call) []iam.Condition {
	tag := d.spec.Project.ManagedTag
	out := []iam.Condition{iam.Cond(iam.StringEquals, "aws:RequestTag/"+tag.Key, tag.Value)}
	for _, p := range []struct {
		field, key string
		op         iam.Operator
	}{{"ResourceArns", "ram:ResourceArn", iam.ArnEquals}, {"Principals", "ram:Principal", iam.StringEquals}} {
		v, _ := param(c, p.field)
		if len(v.Static) == 0 || v.Unknown {
			d.fail("%s %s: the %s of a resource share are not known at generation time", c.Machine.Name, c.State, p.field)
			continue
		}
		out = append(out, iam.Cond(p.op, p.key, v.Static...))
	}
	return out
}
