package terraform

import (
	"fmt"
	"path"
	"slices"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/generator/iampolicies"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// A feature is a module switch that attaches the policies a role holds for
// one roles.Policy.Feature.
type feature struct {
	name     string // roles.Policy.Feature
	variable string // the switch
}

// input is the module input of the feature's policies.
func (f feature) input() string { return f.name + "_policies" }

// machineFeatures are the orchestrator module's switches: the state
// machines' roles may write logs and traces only when those are on.
var machineFeatures = []feature{
	{"logging", "enable_step_functions_logging"},
	{"tracing", "enable_xray_tracing"},
}

// FeatureSwitch is the root variable that attaches the policies of a
// roles.Policy.Feature; "" for a policy always attached.
func FeatureSwitch(name string) string {
	for _, f := range machineFeatures {
		if f.name == name {
			return f.variable
		}
	}
	return ""
}

// The IAM resource kinds. One function each, used by every module that
// creates roles.

func iamRole(label string, repeat item, name, trust expr) *hclwrite.Block {
	return resource("aws_iam_role", label, repeat, attr("name", name), attr("assume_role_policy", trust))
}

func iamRolePolicy(label string, each, name, role, policy expr) *hclwrite.Block {
	return resource("aws_iam_role_policy", label, forEach(each), attr("name", name), attr("role", role), attr("policy", policy))
}

func iamRolePolicyAttachment(label string, each, role, policyARN expr) *hclwrite.Block {
	return resource("aws_iam_role_policy_attachment", label, forEach(each), attr("role", role), attr("policy_arn", policyARN))
}

// createdRole is an attribute of aws_iam_role.this[key]: a reference, so
// what uses a role waits for it.
func createdRole(key expr, attribute string) expr {
	return get(index(ref("aws_iam_role.this"), key), attribute)
}

// policyType is the type of role_policies and of each feature's policies.
func policyType() expr {
	return mapOf(objectOf(field{"role", tString()}, field{"name", tString()}, field{"policy", tString()}))
}

// roleVariables declare the roles a module creates from the rendered JSON:
// trust, inline policies (always, or on a feature's switch) and AWS
// managed policies.
func roleVariables(features []feature) []*hclwrite.Block {
	blocks := []*hclwrite.Block{
		variable("roles", "IAM roles to create, by name: the JSON of each one's trust policy.", mapOf(tString()), mapping(nil)),
		variable("role_policies", `Inline policies of those roles, by "<role>/<policy>": the role, the policy's name and its JSON.`, policyType(), mapping(nil)),
	}
	for _, f := range features {
		blocks = append(blocks, variable(f.input(),
			fmt.Sprintf("Inline policies attached only while var.%s is true, as role_policies.", f.variable), policyType(), mapping(nil)))
	}
	return append(blocks, variable("managed_policies", `AWS managed policies to attach, by "<role>/<policy>": the role and the policy's ARN.`,
		mapOf(objectOf(field{"role", tString()}, field{"policy_arn", tString()})), mapping(nil)))
}

// roleResources create what roleVariables declare.
func roleResources(features []feature) []*hclwrite.Block {
	policy := func(label string, each expr) *hclwrite.Block {
		return iamRolePolicy(label, each, ref("each.value.name"), createdRole(ref("each.value.role"), "name"), ref("each.value.policy"))
	}
	blocks := []*hclwrite.Block{
		iamRole("this", forEach(ref("var.roles")), ref("each.key"), ref("each.value")),
		policy("this", ref("var.role_policies")),
	}
	for _, f := range features {
		blocks = append(blocks, policy(f.name, cond(ref("var."+f.variable), ref("var."+f.input()), mapping(nil))))
	}
	return append(blocks, iamRolePolicyAttachment("this", ref("var.managed_policies"),
		createdRole(ref("each.value.role"), "name"), ref("each.value.policy_arn")))
}

// rolesBy maps each role's name to one of its attributes.
func rolesBy(attribute string) expr {
	return forObject("name", "role", ref("aws_iam_role.this"), ident("name"), ref("role."+attribute), nil)
}

// rolePolicyRefs are the policies of roleResources, for depends_on: a
// state machine or function is created only once its role may do its work
// (Step Functions checks the logging permissions, Lambda the VPC ones).
func rolePolicyRefs(features []feature) []string {
	refs := []string{"aws_iam_role_policy.this"}
	for _, f := range features {
		refs = append(refs, "aws_iam_role_policy."+f.name)
	}
	return append(refs, "aws_iam_role_policy_attachment.this")
}

// roleArgs are the arguments of roleVariables that create rs.
func (r *renderer) roleArgs(rs []roles.Role, features []feature) ([]item, error) {
	var trusts, always, managed []entry
	byFeature := map[string][]entry{}
	for _, role := range rs {
		trusts = append(trusts, entry{role.Name, file(iampolicies.TrustPath(role))})
		for _, p := range role.Policies {
			e := entry{role.Name + "/" + p.Name, object(
				field{"role", str(role.Name)}, field{"name", str(r.policyName(p))}, field{"policy", file(iampolicies.PolicyPath(role, p))})}
			switch {
			case p.Feature == "":
				always = append(always, e)
			case slices.ContainsFunc(features, func(f feature) bool { return f.name == p.Feature }):
				byFeature[p.Feature] = append(byFeature[p.Feature], e)
			default:
				return nil, fmt.Errorf("role %s: policy %s belongs to feature %q, which this module has no switch for", role.Name, p.Name, p.Feature)
			}
		}
		for _, arn := range role.Managed {
			managed = append(managed, entry{role.Name + "/" + path.Base(arn), object(field{"role", str(role.Name)}, field{"policy_arn", str(arn)})})
		}
	}
	args := []item{attr("roles", mapping(trusts)), attr("role_policies", mapping(always))}
	for _, f := range features {
		args = append(args, attr(f.input(), mapping(byFeature[f.name])))
	}
	return append(args, attr("managed_policies", mapping(managed))), nil
}

// policyName is the name of an inline policy in IAM. The names package
// names no policy yet; this is its one spelling, under the iam_policy
// prefix the spec may set.
func (r *renderer) policyName(p roles.Policy) string {
	return r.spec.Project.NameFor(spec.KindIAMPolicy, p.Name)
}

// rolesIn are the roles of account a.
func (r *renderer) rolesIn(a *spec.Account) []roles.Role {
	var out []roles.Role
	for _, role := range r.in.Roles {
		if role.Account == a {
			out = append(out, role)
		}
	}
	return out
}

// machineRole is the role state machine m runs as, as package roles
// derived it.
func (r *renderer) machineRole(m workflows.Machine) (string, error) {
	role, ok := r.runsAs[m.ARN]
	if !ok {
		return "", fmt.Errorf("no role runs state machine %s", m.Name)
	}
	return role, nil
}
