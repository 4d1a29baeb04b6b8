package spec

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/hashicorp/hcl/v2"
	"github.com/refreshgen/refreshgen/internal/jsonpointer"
)

// check runs the rules the schema cannot express: how blocks relate to each
// other, what AWS will refuse at apply or run time, and what would make a
// refresh unsafe. A rule skips a value the schema already rejected, so one
// mistake gives one diagnostic.
func check(s *Spec, ix rangeIndex, rejected map[string]bool) hcl.Diagnostics {
	c := &checker{spec: s, ix: ix, rejected: rejected}
	c.accounts()
	c.sources()
	for _, r := range s.Refreshes {
		c.refresh(r)
	}
	c.uniqueTargets()
	c.nameLengths()
	c.outputDir()
	return c.diags
}

type checker struct {
	spec     *Spec
	ix       rangeIndex
	rejected map[string]bool // pointers of values the schema rejected
	diags    hcl.Diagnostics
}

// valid reports whether the schema accepted the values at every pointer.
func (c *checker) valid(ptrs ...string) bool {
	for _, p := range ptrs {
		if c.rejected[p] {
			return false
		}
	}
	return true
}

func (c *checker) errorAt(ptr, summary, detail string, args ...any) {
	if !c.valid(ptr) {
		return // the schema has already said what is wrong here
	}
	c.diags = append(c.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(detail, args...),
		Subject:  c.ix.at(ptr),
	})
}

func (c *checker) accounts() {
	if len(c.spec.Accounts) == 0 {
		return // the schema requires account blocks
	}
	var orchestrator *Account
	first := c.spec.Accounts[0]
	rolesValid := true
	ids := map[string]*Account{}
	for _, a := range c.spec.Accounts {
		if a.DeclRange.Start.Byte < first.DeclRange.Start.Byte {
			first = a
		}
		rolesValid = rolesValid && validRole(a.Role)
		at := func(attr string) string { return jsonpointer.From("account", a.Name, attr) }
		if prev, dup := ids[a.ID]; dup && a.ID != "" {
			c.errorAt(at("id"), "Duplicate account ID",
				"account.%s already has ID %s. Each account block describes a different AWS account; remove one or fix the ID.", prev.Name, a.ID)
		}
		ids[a.ID] = a
		if a.Role == RoleOrchestrator {
			if orchestrator != nil {
				c.errorAt(jsonpointer.From("account", a.Name, "role"), "More than one orchestrator account",
					"account.%s is already the orchestrator. One account runs every state machine: give this account the role \"source\" or \"destination\".", orchestrator.Name)
			}
			orchestrator = a
		}
		c.accountSettings(a, at)
	}
	if orchestrator == nil && rolesValid {
		c.errorAt(jsonpointer.From("account", first.Name), "No orchestrator account",
			`One account must have role = "orchestrator": it runs the state machines and assumes roles in the other accounts.`)
	}
}

// accountSettings rejects settings that have no effect for the account's
// role, so nobody believes they configured something they did not.
func (c *checker) accountSettings(a *Account, at func(string) string) {
	if a.Role != RoleDestination {
		for attr, set := range map[string]bool{"vpc_id": a.VPCID != "", "subnet_ids": a.SubnetIDs != nil, "security_group_ids": a.SecurityGroupIDs != nil} {
			if set {
				c.errorAt(at(attr), "Lambda network settings on a "+string(a.Role)+" account",
					"Only destination accounts run refreshgen's Lambda helpers, so %s has no effect on account.%s. Remove it.", attr, a.Name)
			}
		}
	}
	if a.Role == RoleOrchestrator {
		for attr, set := range map[string]bool{"existing_role_name": a.ExistingRoleName != "", "trusted_principals": a.TrustedPrincipals != nil, "external_id": a.ExternalID != ""} {
			if set {
				c.errorAt(at(attr), "Role settings on the orchestrator account",
					"%s configures the role the orchestrator assumes in source and destination accounts; the orchestrator's own roles are generated per refresh. Remove it from account.%s.", attr, a.Name)
			}
		}
	}
	if a.Role != RoleOrchestrator && a.ExternalID != "" && len(a.TrustedPrincipals) == 0 {
		c.errorAt(at("external_id"), "external_id without trusted_principals",
			"The external ID is what trusted_principals must present to assume account.%s's role; refreshgen's own workflows are trusted by their exact role ARN (Step Functions cannot send an external ID). Add trusted_principals, or remove external_id.", a.Name)
	}
	if a.Role == RoleDestination && len(a.SubnetIDs) > 0 && a.VPCID == "" && a.SecurityGroupIDs == nil {
		c.errorAt(at("subnet_ids"), "Missing vpc_id",
			"refreshgen creates a security group for the Lambda helpers of account.%s and needs its VPC: add vpc_id, or give security_group_ids of your own.", a.Name)
	}
	if a.VPCID != "" && len(a.SubnetIDs) == 0 {
		c.errorAt(at("vpc_id"), "Missing subnet_ids",
			"account.%s sets vpc_id but no subnet_ids; the Lambda helpers need subnets that reach the restored clusters and file systems.", a.Name)
	}
}

func (c *checker) sources() {
	for _, a := range c.spec.Auroras {
		c.needRole(jsonpointer.From("aurora", a.Name, "account"), "aurora "+quote(a.Name), a.Account, RoleSource)
		c.sourceKey(a)
	}
	for _, f := range c.spec.FileSystems {
		c.needRole(jsonpointer.From("efs", f.Name, "account"), "efs "+quote(f.Name), f.Account, RoleSource)
	}
	for _, e := range c.spec.EKSClusters {
		c.needRole(jsonpointer.From("eks", e.Name, "account"), "eks "+quote(e.Name), e.Account, RoleDestination)
		for _, p := range e.AccessPolicies {
			c.arnPartition(jsonpointer.From("eks", e.Name, "access_policy", p.Name, "policy_arn"), p.PolicyARN)
		}
	}
}

var roleWhy = map[AccountRole]string{
	RoleSource:      "production data lives in source accounts",
	RoleDestination: "copies and the clusters that consume them live in destination accounts",
}

// needRole reports a reference to an account that plays the wrong role.
func (c *checker) needRole(ptr, what string, a *Account, role AccountRole) {
	if a == nil || a.Role == role || !validRole(a.Role) {
		return
	}
	c.errorAt(ptr, fmt.Sprintf("Not a %s account", role),
		"%s refers to account.%s, %s %s account, but %s. Refer to a %s account, or change the role of account.%s.",
		what, a.Name, article(string(a.Role)), a.Role, roleWhy[role], role, a.Name)
}

// inRole returns the account when it plays role, else nil: rules about a
// refresh's source or destination skip an account already reported as
// playing the wrong role.
func inRole(a *Account, role AccountRole) *Account {
	if a == nil || a.Role != role {
		return nil
	}
	return a
}

func validRole(r AccountRole) bool {
	return r == RoleOrchestrator || r == RoleSource || r == RoleDestination
}

// sourceKey checks the key of a production cluster: its snapshots are shared
// across accounts, which only a customer-managed key allows.
func (c *checker) sourceKey(a *Aurora) {
	ptr := jsonpointer.From("aurora", a.Name, "kms_key_arn")
	parsed, ok := c.parseARN(a.KMSKeyARN)
	if !ok {
		return
	}
	if strings.HasPrefix(parsed.Resource, "alias/aws/") {
		c.errorAt(ptr, "AWS-managed key cannot be shared",
			"aurora %q is encrypted with the AWS-managed key %s, and snapshots encrypted with an AWS-managed key cannot be shared with another account. "+
				"Copy the cluster to a customer-managed KMS key first, then give that key's ARN here.", a.Name, parsed.Resource)
		return
	}
	c.keyARN(ptr, parsed, a.Account, "aurora "+quote(a.Name))
}

// keyARN checks a KMS key ARN: a key, not an alias (grants and IAM need the
// key ARN), in the owner's account, region and partition.
func (c *checker) keyARN(ptr string, parsed arn.ARN, owner *Account, what string) {
	if strings.HasPrefix(parsed.Resource, "alias/") {
		c.errorAt(ptr, "KMS alias instead of a key",
			"%s names the alias %s. KMS grants and IAM policies need the key itself: give the key's ARN (arn:...:key/<key-id>), which `aws kms describe-key --key-id %s` prints.",
			what, parsed.Resource, parsed.Resource)
		return
	}
	c.arnPlace(ptr, parsed, owner, what)
}

// parseARN parses an ARN the schema accepted; a malformed one is the
// schema's to report.
func (c *checker) parseARN(s string) (arn.ARN, bool) {
	parsed, err := arn.Parse(s)
	return parsed, err == nil
}

// arnPlace reports an ARN outside its owner's account, or outside the
// project's region and partition.
func (c *checker) arnPlace(ptr string, parsed arn.ARN, owner *Account, what string) {
	p := c.spec.Project
	if !c.valid(jsonpointer.From("project", p.Name, "region")) || (owner != nil && !c.valid(jsonpointer.From("account", owner.Name, "id"))) {
		return // comparing with a rejected value would only repeat the schema's error
	}
	switch {
	case parsed.Partition != p.Partition:
		c.errorAt(ptr, "ARN in another partition",
			"This ARN is in partition %q, but region %s is in partition %q. Use the ARN of a resource in the project's region.", parsed.Partition, p.Region, p.Partition)
	case parsed.Region != "" && parsed.Region != p.Region:
		c.errorAt(ptr, "ARN in another region",
			"This ARN is in %s, but the project's region is %s. Step Functions calls AWS services in its own region only, so every resource of a refresh must be in %s.",
			parsed.Region, p.Region, p.Region)
	case owner != nil && parsed.AccountID != owner.ID:
		c.errorAt(ptr, "ARN in the wrong account",
			"This ARN is in account %s, but %s belongs to account.%s (%s). Use a resource of account %s.",
			parsed.AccountID, what, owner.Name, owner.ID, owner.ID)
	}
}

// arnPartition reports an account-less ARN from another partition.
func (c *checker) arnPartition(ptr, s string) {
	if parsed, ok := c.parseARN(s); ok {
		c.arnPlace(ptr, parsed, nil, "")
	}
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}
