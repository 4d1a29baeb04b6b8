package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/generator/iampolicies"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
)

// accountRoot deploys a source or destination account: its account role,
// its service roles and, in a destination, what the workflows use there.
func (r *renderer) accountRoot(a *spec.Account) (root, error) {
	role, ok := r.accountRole(a)
	if !ok {
		return root{}, nil // no refresh uses the account
	}
	module := moduleSource
	if a.Role == spec.RoleDestination {
		module = moduleDestination
	}
	args, err := r.accountArgs(a, role)
	if err != nil {
		return root{}, err
	}
	outputs := sourceOutputs()
	if module == moduleDestination {
		outputs = destinationOutputs()
	}
	call := strings.ReplaceAll(module, "-", "_")
	return root{
		modules:   []string{module},
		variables: accountRootVariables(a),
		call:      moduleCall(call, moduleSourceOf(module), args...),
		outputs:   passOn(call, outputs),
	}, nil
}

// accountArgs are the module arguments of account a, whose account role is
// role.
func (r *renderer) accountArgs(a *spec.Account, role roles.Role) ([]item, error) {
	args, err := r.accountRoleArgs(role)
	if err != nil {
		return nil, err
	}
	var others []roles.Role
	for _, o := range r.rolesIn(a) {
		if o.Name != role.Name {
			others = append(others, o)
		}
	}
	service, err := r.roleArgs(others, nil)
	if err != nil {
		return nil, err
	}
	args = append(args, service...)
	if a.Role != spec.RoleDestination {
		return args, nil
	}
	return append(append(append(args, r.lambdaArgs(a, others)...), r.sqlArgs(a)...), r.eksArgs(a)...), nil
}

// accountRoleArgs create the account role, or attach its policies to the
// existing role the spec names (whose trust stays its owner's).
func (r *renderer) accountRoleArgs(role roles.Role) ([]item, error) {
	var args []item
	if role.Existing {
		args = append(args,
			attr("create_role", boolean(false)),
			attr("existing_role_name", str(role.Name)),
			attr("existing_role_arn", str(r.names.RoleARN(role.Account.ID, role.Name))))
	} else {
		args = append(args, attr("role_name", str(role.Name)), attr("trust_policy", file(iampolicies.TrustPath(role))))
	}
	var policies []entry
	for _, p := range role.Policies {
		if p.Feature != "" {
			return nil, fmt.Errorf("role %s: policy %s belongs to feature %q, which account modules have no switch for", role.Name, p.Name, p.Feature)
		}
		policies = append(policies, entry{r.policyName(p), file(iampolicies.PolicyPath(role, p))})
	}
	return append(args, attr("policies", mapping(policies)), attr("attach_policies", ref("var.attach_policies"))), nil
}

// refreshesInto are the refreshes whose destination is account a.
func (r *renderer) refreshesInto(a *spec.Account) []*spec.Refresh {
	var out []*spec.Refresh
	for _, rf := range r.spec.Refreshes {
		if rf.Destination == a {
			out = append(out, rf)
		}
	}
	return out
}

// accountRole is the role the workflows assume in account a, if a refresh
// uses the account.
func (r *renderer) accountRole(a *spec.Account) (roles.Role, bool) {
	name := r.names.AccountRole(a)
	for _, role := range r.rolesIn(a) {
		if role.Name == name {
			return role, true
		}
	}
	return roles.Role{}, false
}

// accountRoleARNs are the ARNs of the account roles of the accounts that
// play part p.
func (r *renderer) accountRoleARNs(p spec.AccountRole) []string {
	var arns []string
	for _, a := range r.spec.AccountsWithRole(p) {
		if _, ok := r.accountRole(a); ok {
			arns = append(arns, r.names.AccountRoleARN(a))
		}
	}
	return arns
}

func accountRootVariables(a *spec.Account) []*hclwrite.Block {
	vars := []*hclwrite.Block{
		variable("attach_policies", "Attach refreshgen's policies to the account role. False leaves attaching the rendered policies to you.", tBool(), boolean(true)),
	}
	if a.Role == spec.RoleDestination {
		vars = append(vars, variable("log_retention_days", "How many days the Lambda helpers' log groups keep events.", tNumber(), num(30)))
	}
	return vars
}
