package roles

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/iam/iamcheck"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/spec/spectest"
	"github.com/refreshgen/refreshgen/workflows"
)

// request is one request to AWS a workflow makes, as IAM sees it.
type request struct {
	role     runner
	action   string
	resource string
	context  map[string][]string
	what     string // the call, for messages
}

// requestsOf lists the requests the calls of the spec's workflows make:
// every action each call needs, on every resource its parameters can
// name, with the context a correct run sends (the managed tag on what the
// refresh changes and creates, the service a KMS or PassRole call goes
// through, the grantee of a KMS grant).
func requestsOf(t *testing.T, d *deriver, calls []workflows.Call) []request {
	t.Helper()
	var out []request
	for _, c := range calls {
		own := d.machineRole(c.Machine)
		runners := []runner{own}
		if c.Assumed() {
			runners = nil
			for _, arn := range c.Role.Static {
				r, _ := d.assumedRole(arn)
				runners = append(runners, r)
				out = append(out, request{role: own, action: "sts:AssumeRole", resource: arn, what: c.Machine.Name + " " + c.State})
			}
		}
		needs, _ := iam.NeedsOf(c.Integration)
		for _, r := range runners {
			for _, n := range needs {
				if n.If != "" && !hasParam(c, n.If) {
					continue
				}
				out = append(out, d.needRequests(r, n, c)...)
			}
		}
	}
	return out
}

func (d *deriver) needRequests(r runner, n iam.Need, c workflows.Call) []request {
	var arns []string
	if n.Name != "" {
		st, _ := n.Statement(d.loc(r.account))
		arns = st.Resource
	} else {
		existing, created, ok := d.targets(r, n, c)
		if !ok {
			return nil
		}
		arns = slices.Concat(existing, created, d.renameTargets(r, n, c))
		if len(arns) == 0 {
			arns = []string{"*"}
		}
	}
	tag := d.spec.Project.ManagedTag
	ctx := map[string][]string{
		"aws:ResourceTag/" + tag.Key: {tag.Value},
		"aws:RequestTag/" + tag.Key:  {tag.Value},
		"aws:TagKeys":                {tag.Key},
	}
	if st, err := n.Statement(d.loc(r.account), arns...); err == nil {
		for _, cond := range st.Condition { // kms:ViaService, iam:PassedToService
			ctx[cond.Key] = cond.Values[:1]
		}
	}
	for field, key := range map[string]string{"GranteePrincipal": "kms:GranteePrincipal", "ResourceArns": "ram:ResourceArn", "Principals": "ram:Principal"} {
		if v, _ := param(c, field); len(v.Static) > 0 {
			ctx[key] = v.Static[:1]
		}
	}
	var out []request
	for _, arn := range arns {
		out = append(out, request{role: r, action: n.Action, resource: concrete(arn), context: ctx,
			what: c.Machine.Name + " " + c.State})
	}
	return out
}

// concrete turns an ARN pattern into one ARN it matches.
func concrete(arn string) string {
	if arn == "*" {
		return arn
	}
	return strings.NewReplacer("*", "x1", "?", "a").Replace(arn)
}

// accountOf is the account of an ARN ("" for none, like an S3 ARN).
func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// forEachSpec runs a test on the roles of each spec of specs.
func forEachSpec(t *testing.T, test func(t *testing.T, d *deriver, calls []workflows.Call)) {
	for _, path := range specs {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			d, calls := derive(t, path)
			test(t, d, calls)
		})
	}
}

// specs are what the IAM proofs run on: the example, and a spec that uses
// every feature of the language.
var specs = []string{"../examples/refresh.hcl", "../testdata/golden/render-every-feature/refresh.hcl"}

// derive derives the roles of a spec, keeping the deriver for the tests
// to look inside.
func derive(t *testing.T, path string) (*deriver, []workflows.Call) {
	t.Helper()
	s := spectest.Load(t, path)
	ms, err := workflows.Generate(s)
	if err != nil {
		t.Fatal(err)
	}
	d := newDeriver(s, ms)
	calls := workflows.Inventory(ms)
	if err := d.derive(calls); err != nil {
		t.Fatal(err)
	}
	return d, calls
}

// TestEveryCallIsAllowed is the first proof of the IAM issue: each request
// of each workflow call, simulated by iam-check against the policies its
// role gets (guardrails included), is allowed. Requests on a resource of
// another account (a snapshot shared by the source, its KMS key) are
// authorised by that account's side too, which a simulation of one side
// cannot show; they are counted, not simulated.
func TestEveryCallIsAllowed(t *testing.T) {
	tool := iamcheck.Require(t)
	forEachSpec(t, func(t *testing.T, d *deriver, calls []workflows.Call) {
		check := iamcheck.Check{Policies: map[string]iam.Policy{}, Extra: map[string]iam.Policy{}}
		attached := map[string][]string{}
		for _, role := range d.roles() {
			key := runner{role.Account, role.Name}.key()
			for _, p := range role.Policies {
				if p.Feature != "" {
					continue
				}
				name := strings.NewReplacer("/", "__").Replace(key) + "__" + p.Name
				check.Policies[name] = p.Policy
				attached[key] = append(attached[key], name)
			}
		}
		// A KMS key's own policy decides first; the default one, which every
		// key the spec names is expected to keep, delegates to IAM policies.
		for _, a := range d.spec.Accounts {
			check.Extra["key-policy-"+a.ID] = iam.Policy{Statement: []iam.Statement{{
				Sid: "EnableIAMPolicies", Effect: iam.Allow, Principal: &iam.Principal{AWS: []string{"arn:aws:iam::" + a.ID + ":root"}},
				Action: []string{"kms:*"}, Resource: []string{"*"}}}}
		}
		reqs := requestsOf(t, d, calls)
		crossAccount := 0
		seen := map[string]bool{}
		for _, q := range reqs {
			if a := accountOf(q.resource); a != "" && a != q.role.account.ID && q.action != "sts:AssumeRole" {
				crossAccount++
				continue
			}
			id := q.role.key() + " " + q.action + " " + q.resource
			if seen[id] {
				continue
			}
			seen[id] = true
			sc := iamcheck.Scenario{
				Name: q.what, Policies: attached[q.role.key()], Principal: q.role.arn(d),
				Action: q.action, Resource: q.resource, ResourceAccount: q.role.account.ID,
				Context: q.context, Expect: iamcheck.Allowed,
			}
			if strings.HasPrefix(q.action, "kms:") {
				sc.ResourcePolicy = "key-policy-" + q.role.account.ID
			}
			check.Scenarios = append(check.Scenarios, sc)
		}
		res, err := tool.Run(t.TempDir(), check)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range res.Outcomes {
			if !o.Pass {
				t.Errorf("%s: %s", check.Scenarios[i].Name, o.Line)
			}
		}
		for _, f := range res.Findings {
			t.Errorf("%s: %s: %s", f.File, f.Tool, f.Message)
		}
		t.Logf("%d calls, %d requests simulated, %d on another account's resources", len(calls), len(check.Scenarios), crossAccount)
	})
}

// TestEveryGrantIsUsed is the second half of the proof: every action of
// every Allow statement of a role derived from the calls is used by some
// request on some resource the statement names. The roles of the Lambda
// helpers and of AWS services are not derived from calls: their
// statements are fixed by what the helper or service does, and the
// dependent permissions of a call (logs, X-Ray) are attached as features.
func TestEveryGrantIsUsed(t *testing.T) {
	forEachSpec(t, func(t *testing.T, d *deriver, calls []workflows.Call) {
		byRole := map[string][]request{}
		for _, q := range requestsOf(t, d, calls) {
			byRole[q.role.key()] = append(byRole[q.role.key()], q)
		}
		for _, role := range d.roles() {
			key := runner{role.Account, role.Name}.key()
			if service := []string{d.names.SchedulerRole(), d.names.ReplicationRole(), d.names.BackupRole()}; len(role.Managed) > 0 || slices.Contains(service, role.Name) {
				continue
			}
			for _, p := range role.Policies {
				if p.Name != "identity" {
					continue
				}
				for _, st := range p.Policy.Statement {
					for _, action := range st.Action {
						if !used(byRole[key], action, st.Resource) {
							t.Errorf("%s: statement %s grants %s on %v, which no call needs", key, st.Sid, action, st.Resource)
						}
					}
				}
			}
		}
	})
}

func used(reqs []request, action string, resources []string) bool {
	for _, q := range reqs {
		if q.action != action {
			continue
		}
		for _, pattern := range resources {
			if glob(pattern).MatchString(q.resource) {
				return true
			}
		}
	}
	return false
}

// glob compiles an IAM resource pattern: * any run of characters, ? one.
func glob(pattern string) *regexp.Regexp {
	quoted := regexp.QuoteMeta(pattern)
	quoted = strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(quoted)
	return regexp.MustCompile("^" + quoted + "$")
}

// starResources are the actions granted on Resource "*", each because AWS
// authorises it on "*" only. A new one fails the test: it must be added
// here, with the reason, on purpose.
var starResources = map[string]string{
	"backup:DescribeCopyJob":    "AWS Backup authorises job descriptions on * only",
	"backup:DescribeRestoreJob": "AWS Backup authorises job descriptions on * only",
	"rds:DescribeDBInstances":   "describing the instances of a cluster (a Filters call) is authorised on * only",
	// RAM, for cross-account clones.
	"ram:CreateResourceShare":          "the share does not exist yet; scoped by ram:ResourceArn, ram:Principal and the request tag",
	"ram:GetResourceShares":            "RAM lists shares on * only (no resource type)",
	"ram:GetResourceShareAssociations": "RAM lists associations on * only (no resource type)",
	"ram:GetResourceShareInvitations":  "RAM lists invitations on * only (no resource type)",
	// Logging and tracing, attached when Terraform turns them on.
	"logs:CreateLogDelivery":        "vended log delivery has no resource type",
	"logs:DeleteLogDelivery":        "vended log delivery has no resource type",
	"logs:DescribeLogGroups":        "vended log delivery has no resource type",
	"logs:DescribeResourcePolicies": "vended log delivery has no resource type",
	"logs:GetLogDelivery":           "vended log delivery has no resource type",
	"logs:ListLogDeliveries":        "vended log delivery has no resource type",
	"logs:PutResourcePolicy":        "vended log delivery has no resource type",
	"logs:UpdateLogDelivery":        "vended log delivery has no resource type",
	"xray:GetSamplingRules":         "X-Ray calls have no resource type",
	"xray:GetSamplingTargets":       "X-Ray calls have no resource type",
	"xray:PutTelemetryRecords":      "X-Ray calls have no resource type",
	"xray:PutTraceSegments":         "X-Ray calls have no resource type",
}

func TestStarResourcesAreListed(t *testing.T) {
	forEachSpec(t, func(t *testing.T, d *deriver, calls []workflows.Call) {
		for _, role := range d.roles() {
			for _, p := range role.Policies {
				for _, st := range p.Policy.Statement {
					if st.Effect != iam.Allow || !slices.Contains(st.Resource, "*") {
						continue
					}
					for _, action := range st.Action {
						a, _ := iam.LookupAction(action)
						if _, listed := starResources[action]; !listed || a.Wildcard == "" && len(a.Types()) > 0 {
							t.Errorf("%s/%s %s: %s on *: list it in starResources with the reason AWS gives", role.Account.Name, role.Name, p.Name, action)
						}
					}
				}
			}
		}
	})
}

// TestNoWildcardActions: no Allow names a whole service or every action.
func TestNoWildcardActions(t *testing.T) {
	forEachSpec(t, func(t *testing.T, d *deriver, calls []workflows.Call) {
		for _, role := range d.roles() {
			for _, p := range role.Policies {
				for _, st := range p.Policy.Statement {
					for _, action := range st.Action {
						if st.Effect == iam.Allow && strings.Contains(action, "*") {
							t.Errorf("%s/%s %s allows %s", role.Account.Name, role.Name, p.Name, action)
						}
					}
				}
			}
		}
	})
}

// TestRolesStayInTheirAccount: no identity policy of a destination role
// names a resource of another destination account.
func TestRolesStayInTheirAccount(t *testing.T) {
	forEachSpec(t, func(t *testing.T, d *deriver, calls []workflows.Call) {
		destinations := d.spec.AccountsWithRole(spec.RoleDestination)
		for _, role := range d.roles() {
			if role.Account.Role != spec.RoleDestination {
				continue
			}
			for _, p := range role.Policies {
				for _, st := range p.Policy.Statement {
					for _, arn := range st.Resource {
						for _, other := range destinations {
							if other != role.Account && accountOf(arn) == other.ID {
								t.Errorf("%s/%s %s: %s", role.Account.Name, role.Name, p.Name, fmt.Sprint(arn))
							}
						}
					}
				}
			}
		}
	})
}

// targets lists the ARNs a need of call c authorises against under r: those
// that exist and those the call creates; nil for an action with no
// resource type, ["*"] for one AWS authorises on "*" only. ok is false
// when the need does not apply (no customer managed key in play) or no
// resource can be named.
func (d *deriver) targets(r runner, n iam.Need, c workflows.Call) (existing, created []string, ok bool) {
	ts, ok := d.targetSet(r, n, c)
	if !ok {
		return nil, nil, false
	}
	existing, created = ts.arns()
	return existing, created, true
}
