package docs

import (
	"path"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
)

// rootDoc is one Terraform root, deployments/<account>/, and what applying
// it creates in its account. The facts mirror what generator/terraform
// passes to its modules, derived here from the same roles, names and spec.
type rootDoc struct {
	Account *spec.Account
	Dir     string
	// Deploys is false for a source or destination account no refresh
	// uses: its root is rendered but creates nothing.
	Deploys bool

	// The orchestrator account's root.
	Orchestrator  bool
	Roles         []string
	Machines      int
	Groups        []groupDoc
	HistoryTable  string
	Topic         string // "" when every refresh notifies a topic of its own
	ScheduleGroup string
	Schedules     []scheduleDoc

	// A source or destination account's root.
	AccountRole string
	Existing    bool // the account role is one the spec names
	Guardrails  bool
	Service     []string // the roles of the account's services
	Functions   []functionDoc
	SubnetIDs   []string
	// SecurityGroupIDs are the account's own groups for the helpers;
	// without them the root creates one in VPCID.
	SecurityGroupIDs []string
	VPCID            string
	SQLBucket        string
	SQLScripts       int
	EKS              []eksAccess
}

type groupDoc struct {
	Group, LogGroup string
	Machines        int
}

type scheduleDoc struct{ Name, Expression, Timezone, Refresh string }

type functionDoc struct{ Name, FileSystem string }

// eksAccess is the access entry of the account role in one cluster: its
// access policies and, where refreshes repoint volume claims, the
// Kubernetes group it maps the role to and the RBAC file that grants it.
type eksAccess struct {
	Cluster  string
	Policies []string
	Group    string
	RBAC     string
}

// rootsOf describes the root of every account, in the spec's account
// order (by name).
func rootsOf(in generator.Input) []rootDoc {
	var out []rootDoc
	for _, a := range in.Spec.Accounts {
		if a.Role == spec.RoleOrchestrator {
			out = append(out, orchestratorRoot(in, a))
		} else {
			out = append(out, accountRoot(in, a))
		}
	}
	return out
}

// rootDir is where generator/terraform renders the root of account a.
// rootDir is an account's root folder, as the README links it.
func rootDir(a *spec.Account) string { return generator.RootDir(a) + "/" }

func rolesIn(rs []roles.Role, a *spec.Account) []roles.Role {
	var out []roles.Role
	for _, r := range rs {
		if r.Account == a {
			out = append(out, r)
		}
	}
	return out
}

func orchestratorRoot(in generator.Input, a *spec.Account) rootDoc {
	n := names.New(in.Spec)
	d := rootDoc{Account: a, Dir: rootDir(a), Deploys: true, Orchestrator: true, Machines: len(in.Machines), HistoryTable: n.HistoryTable()}
	for _, r := range rolesIn(in.Roles, a) {
		d.Roles = append(d.Roles, r.Name)
	}
	for _, g := range groupFolders(in.Machines) {
		d.Groups = append(d.Groups, groupDoc{Group: g.Group, LogGroup: n.LogGroup(g.Group), Machines: len(g.Keys)})
	}
	for _, r := range in.Spec.Refreshes {
		if r.Notify.SNSTopicARN == "" {
			d.Topic = n.Topic()
		}
		if r.Schedule != "" {
			tz := r.ScheduleTimezone
			if tz == "" {
				tz = "UTC"
			}
			d.ScheduleGroup = n.ScheduleGroup()
			d.Schedules = append(d.Schedules, scheduleDoc{Name: n.Schedule(r), Expression: r.Schedule, Timezone: tz, Refresh: r.Name})
		}
	}
	return d
}

func accountRoot(in generator.Input, a *spec.Account) rootDoc {
	n := names.New(in.Spec)
	d := rootDoc{Account: a, Dir: rootDir(a), AccountRole: n.AccountRole(a)}
	for _, r := range rolesIn(in.Roles, a) {
		if r.Name == d.AccountRole {
			d.Deploys, d.Existing = true, r.Existing
			for _, p := range r.Policies {
				d.Guardrails = d.Guardrails || p.Name == "guardrails"
			}
			continue
		}
		d.Service = append(d.Service, r.Name)
	}
	if !d.Deploys || a.Role != spec.RoleDestination {
		return d
	}
	mounts := names.Mounts(in.Spec, a)
	for _, r := range in.Spec.Refreshes {
		if r.Destination != a {
			continue
		}
		for _, db := range r.Databases {
			d.SQLScripts += len(db.PostRestoreSQL)
		}
	}
	for _, fn := range names.Helpers(in.Spec, a) {
		d.Functions = append(d.Functions, functionDoc{Name: n.Function(fn), FileSystem: mounts[fn]})
	}
	if len(d.Functions) > 0 {
		d.SubnetIDs, d.SecurityGroupIDs, d.VPCID = a.SubnetIDs, a.SecurityGroupIDs, a.VPCID
	}
	if d.SQLScripts > 0 {
		d.SQLBucket = n.SQLBucket(a)
	}
	rbac := map[string]string{}
	for _, c := range kubernetes.Clusters(in.Spec) {
		if c.Account == a {
			rbac[c.ClusterName] = kubernetes.Path(c)
		}
	}
	for _, c := range in.Spec.EKSClusters {
		if c.Account != a {
			continue
		}
		// Two eks blocks may name one cluster: it has one access entry.
		i := slices.IndexFunc(d.EKS, func(e eksAccess) bool { return e.Cluster == c.ClusterName })
		if i < 0 {
			d.EKS = append(d.EKS, eksAccess{Cluster: c.ClusterName, RBAC: rbac[c.ClusterName]})
			i = len(d.EKS) - 1
			if d.EKS[i].RBAC != "" {
				d.EKS[i].Group = n.KubernetesGroup()
			}
		}
		e := &d.EKS[i]
		for _, p := range c.AccessPolicies {
			scope := "cluster-wide"
			switch len(p.Namespaces) {
			case 0:
			case 1:
				scope = "in the namespace `" + p.Namespaces[0] + "`"
			default:
				scope = "in the namespaces `" + strings.Join(p.Namespaces, "`, `") + "`"
			}
			e.Policies = append(e.Policies, "`"+path.Base(p.PolicyARN)+"` "+scope)
		}
	}
	return d
}
