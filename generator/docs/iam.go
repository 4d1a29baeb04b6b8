package docs

import (
	"path"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/iampolicies"
	"github.com/refreshgen/refreshgen/generator/terraform"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
)

// iamDoc is the IAM section: the roles of each account and the
// guarantees their policies give.
type iamDoc struct {
	ManagedTag     string // key=value
	OrganizationID string
	Accounts       []iamAccount
	Sources        []sourceGuard
	Destinations   []destinationGuard
}

type iamAccount struct {
	Account *spec.Account
	Roles   []roleDoc
}

type roleDoc struct {
	Name, Purpose string
	Existing      bool
	TrustPath     string // "" for an existing role: its trust is its owner's
	TrustedBy     string
	Policies      []policyLink
	Managed       []string // AWS managed policies, by name
}

// policyLink is one identity policy file; Switch is the Terraform
// variable that attaches it, "" when it is always attached.
type policyLink struct{ Name, Path, Switch string }

// sourceGuard is the guardrails policy of a source account's role.
type sourceGuard struct {
	Account, Role, Path string
	// Services are the services whose changes it denies; Snapshots the
	// only resources it leaves out (refreshgen's own snapshots).
	Services  []string
	Snapshots []string
}

// destinationGuard is what a destination role may change by name rather
// than by the managed tag: the spec's targets.
type destinationGuard struct {
	Account, Role string
	Clusters      []string
	FileSystems   []string
}

func iamOf(in generator.Input) iamDoc {
	s := in.Spec
	n := names.New(s)
	d := iamDoc{ManagedTag: s.Project.ManagedTag.Key + "=" + s.Project.ManagedTag.Value, OrganizationID: s.Project.OrganizationID}
	for _, a := range s.Accounts {
		rs := rolesIn(in.Roles, a)
		if len(rs) == 0 {
			continue
		}
		acc := iamAccount{Account: a}
		for _, r := range rs {
			acc.Roles = append(acc.Roles, roleDocOf(in, r))
			if g := guardrails(r); g != nil {
				d.Sources = append(d.Sources, *g)
			}
		}
		d.Accounts = append(d.Accounts, acc)
		if a.Role == spec.RoleDestination && slices.ContainsFunc(rs, func(r roles.Role) bool { return r.Name == n.AccountRole(a) }) {
			d.Destinations = append(d.Destinations, destinationTargets(s, a, n.AccountRole(a)))
		}
	}
	return d
}

func roleDocOf(in generator.Input, r roles.Role) roleDoc {
	d := roleDoc{Name: r.Name, Purpose: cell(r.Purpose), Existing: r.Existing, TrustedBy: cell(trustedBy(in.Spec, r))}
	if !r.Existing {
		d.TrustPath = iampolicies.TrustPath(r)
	}
	for _, p := range r.Policies {
		d.Policies = append(d.Policies, policyLink{Name: p.Name, Path: iampolicies.PolicyPath(r, p), Switch: terraform.FeatureSwitch(p.Feature)})
	}
	for _, arn := range r.Managed {
		d.Managed = append(d.Managed, path.Base(arn))
	}
	return d
}

// serviceNames are the service principals refreshgen's roles trust.
var serviceNames = map[iam.Service]string{
	iam.StepFunctions: "Step Functions",
	iam.Scheduler:     "EventBridge Scheduler",
	iam.Backup:        "AWS Backup",
	iam.RDS:           "Amazon RDS",
	iam.Lambda:        "AWS Lambda",
	iam.EFS:           "Amazon EFS",
}

// trustedBy says who may assume a role, read from its trust policy: the
// services (and for which resources), the roles trusted by exact ARN
// (aws:PrincipalArn), and any other principals the spec adds.
func trustedBy(s *spec.Spec, r roles.Role) string {
	if r.Existing {
		return "its owner decides (an existing role: refreshgen renders no trust policy for it)"
	}
	var parts, roleNames []string
	for _, st := range r.Trust.Statement {
		if st.Principal == nil {
			continue
		}
		cond := map[string][]string{}
		for _, c := range st.Condition {
			cond[c.Key] = append(cond[c.Key], c.Values...)
		}
		for _, svc := range st.Principal.Service {
			name := serviceNames[iam.Service(svc)]
			if name == "" {
				name = "`" + svc + "`"
			}
			if src := cond["aws:SourceArn"]; len(src) == 1 && iam.Service(svc) != iam.StepFunctions {
				name += ", for `" + arnResource(src[0]) + "` only"
			} else if len(src) > 0 {
				name += ", for these state machines only"
			}
			parts = append(parts, name)
		}
		if arns := cond["aws:PrincipalArn"]; len(arns) > 0 {
			for _, arn := range arns {
				roleNames = append(roleNames, "`"+arn[strings.LastIndex(arn, "/")+1:]+"`")
			}
		} else if len(st.Principal.AWS) > 0 {
			who := "`" + strings.Join(st.Principal.AWS, "`, `") + "`"
			if len(cond["sts:ExternalId"]) > 0 {
				who += " with the external ID"
			}
			parts = append(parts, who)
		}
	}
	if len(roleNames) > 0 {
		parts = append([]string{"the roles " + strings.Join(roleNames, ", ") + " of " + orchestratorName(s) + ", by exact ARN"}, parts...)
	}
	if len(parts) == 0 {
		return "nobody"
	}
	return strings.Join(parts, "; ")
}

func orchestratorName(s *spec.Spec) string {
	if o := s.Orchestrator(); o != nil {
		return o.Name
	}
	return "the orchestrator account"
}

// arnResource is the resource part of an ARN (schedule-group/name).
func arnResource(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	return parts[len(parts)-1]
}

// serviceTitles name the services of the guardrails' actions.
var serviceTitles = map[string]string{
	"rds": "databases and their snapshots", "elasticfilesystem": "file systems", "secretsmanager": "secrets",
	"lambda": "Lambda functions", "kms": "KMS keys", "backup": "AWS Backup",
}

// guardrails reads the explicit denials of a source role: the services
// they cover and the resources they leave out.
func guardrails(r roles.Role) *sourceGuard {
	if r.Account.Role != spec.RoleSource {
		return nil
	}
	for _, p := range r.Policies {
		if p.Name != "guardrails" {
			continue
		}
		g := &sourceGuard{Account: r.Account.Name, Role: r.Name, Path: iampolicies.PolicyPath(r, p)}
		for _, st := range p.Policy.Statement {
			if st.Effect != iam.Deny {
				continue
			}
			for _, a := range st.Action {
				svc, _, _ := strings.Cut(a, ":")
				if t := serviceTitles[svc]; t != "" {
					svc = t
				}
				if !slices.Contains(g.Services, svc) {
					g.Services = append(g.Services, svc)
				}
			}
			for _, res := range st.NotResource {
				parts := strings.SplitN(res, ":", 7)
				g.Snapshots = append(g.Snapshots, parts[len(parts)-1])
			}
		}
		slices.Sort(g.Snapshots)
		g.Snapshots = slices.Compact(g.Snapshots)
		return g
	}
	return nil
}

// destinationTargets are the clusters and file systems the refreshes into
// account a name: the targets, and for a rename swap the -restore and -old
// names beside them.
func destinationTargets(s *spec.Spec, a *spec.Account, role string) destinationGuard {
	g := destinationGuard{Account: a.Name, Role: role}
	for _, r := range s.Refreshes {
		if r.Destination != a {
			continue
		}
		for _, db := range r.Databases {
			g.Clusters = append(g.Clusters, db.TargetCluster)
			if db.Swap == spec.SwapRename {
				g.Clusters = append(g.Clusters, names.RestoreCluster(db), names.OldCluster(db))
			}
		}
		for _, fs := range r.FileSystems {
			g.FileSystems = append(g.FileSystems, fs.TargetFileSystemID)
		}
	}
	slices.Sort(g.Clusters)
	slices.Sort(g.FileSystems)
	g.Clusters, g.FileSystems = slices.Compact(g.Clusters), slices.Compact(g.FileSystems)
	return g
}
