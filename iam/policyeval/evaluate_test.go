package policyeval

import (
	"testing"

	"github.com/refreshgen/refreshgen/iam"
)

const (
	me      = "arn:aws:iam::111111111111:role/runner"
	session = "arn:aws:sts::111111111111:assumed-role/runner/exec-1"
	other   = "arn:aws:iam::222222222222:role/caller"
	cluster = "arn:aws:rds:eu-west-1:111111111111:cluster:prod"
	key     = "arn:aws:kms:eu-west-1:111111111111:key/k1"
	role    = "arn:aws:iam::111111111111:role/target"
)

func allow(actions []string, resources ...string) iam.Statement {
	return iam.Statement{Sid: "A", Effect: iam.Allow, Action: actions, Resource: resources}
}

func deny(actions []string, resources ...string) iam.Statement {
	return iam.Statement{Sid: "D", Effect: iam.Deny, Action: actions, Resource: resources}
}

func policy(st ...iam.Statement) iam.Policy { return iam.Policy{Statement: st} }

func granting(p *iam.Principal, actions ...string) iam.Statement {
	return iam.Statement{Sid: "R", Effect: iam.Allow, Principal: p, Action: actions, Resource: []string{"*"}}
}

func aws(arns ...string) *iam.Principal { return &iam.Principal{AWS: arns} }

func TestEvaluate(t *testing.T) {
	del := []string{"rds:DeleteDBCluster"}
	tests := []struct {
		name     string
		why      string // the AWS documentation the case follows
		req      Request
		identity []iam.Policy
		resource *iam.Policy
		want     Outcome
		missing  Kind
	}{
		{name: "implicit deny", why: "By default, all requests are implicitly denied",
			req: Request{Principal: me, Action: del[0], Resource: cluster}, want: ImplicitlyDenied, missing: IdentityBased},
		{name: "allow", why: "Requests must be explicitly allowed by a policy",
			req:      Request{Principal: me, Action: del[0], Resource: cluster},
			identity: []iam.Policy{policy(allow(del, cluster))}, want: Allowed},
		{name: "explicit deny wins", why: "An explicit deny overrides an explicit allow",
			req:      Request{Principal: me, Action: del[0], Resource: cluster},
			identity: []iam.Policy{policy(allow(del, "*")), policy(deny([]string{"rds:Delete*"}, "*"))}, want: ExplicitlyDenied},
		{name: "actions are case-insensitive", why: "The prefix and the action name are case insensitive",
			req:      Request{Principal: me, Action: "RDS:deletedbcluster", Resource: cluster},
			identity: []iam.Policy{policy(allow([]string{"rds:DeleteDB?luster"}, cluster))}, want: Allowed},
		{name: "NotAction", why: "NotAction matches everything except the list of actions",
			req:      Request{Principal: me, Action: del[0], Resource: cluster},
			identity: []iam.Policy{policy(iam.Statement{Effect: iam.Allow, NotAction: []string{"rds:Describe*"}, Resource: []string{"*"}})}, want: Allowed},
		{name: "NotAction excludes", why: "NotAction matches everything except the list of actions",
			req:      Request{Principal: me, Action: "rds:DescribeDBClusters", Resource: cluster},
			identity: []iam.Policy{policy(iam.Statement{Effect: iam.Allow, NotAction: []string{"rds:Describe*"}, Resource: []string{"*"}})}, want: ImplicitlyDenied, missing: IdentityBased},
		{name: "NotResource deny spares the listed", why: "NotResource matches every resource except those specified",
			req: Request{Principal: me, Action: del[0], Resource: "arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:refresh-1"},
			identity: []iam.Policy{policy(allow(del, "*"),
				iam.Statement{Effect: iam.Deny, Action: []string{"rds:Delete*"}, NotResource: []string{"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:refresh-*"}})},
			want: Allowed},
		{name: "NotResource deny hits the rest", why: "NotResource matches every resource except those specified",
			req: Request{Principal: me, Action: del[0], Resource: cluster},
			identity: []iam.Policy{policy(allow(del, "*"),
				iam.Statement{Effect: iam.Deny, Action: []string{"rds:Delete*"}, NotResource: []string{"arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:refresh-*"}})},
			want: ExplicitlyDenied},
		{name: "an ARN does not cover *", why: "If there is no value for this column, you must specify all resources (\"*\")",
			req:      Request{Principal: me, Action: "rds:DescribeDBInstances", Resource: "*"},
			identity: []iam.Policy{policy(allow([]string{"rds:DescribeDBInstances"}, "arn:aws:rds:eu-west-1:111111111111:db:*"))},
			want:     ImplicitlyDenied, missing: IdentityBased},
		{name: "resource wildcards stay in their segment", why: "wildcard characters (* and ?) within the individual segments of an ARN",
			req:      Request{Principal: me, Action: del[0], Resource: cluster},
			identity: []iam.Policy{policy(allow(del, "arn:aws:rds:*:111111111111:cluster:pro?"))}, want: Allowed},
		{name: "resource names are case-sensitive", why: "In the Resource element, the IAM user name is case sensitive",
			req:      Request{Principal: me, Action: del[0], Resource: cluster},
			identity: []iam.Policy{policy(allow(del, "arn:aws:rds:eu-west-1:111111111111:cluster:PROD"))}, want: ImplicitlyDenied, missing: IdentityBased},
		{name: "same account: the resource policy alone", why: "If either the identity-based policy or the resource-based policy within the same account allows the request",
			req:      Request{Principal: me, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111111111111:t"},
			resource: ptr(policy(granting(aws(me), "sns:Publish"))), want: Allowed},
		{name: "cross account needs both sides", why: "The principal's identity-based policy must allow the requested access",
			req:      Request{Principal: other, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111111111111:t"},
			resource: ptr(policy(granting(aws(other), "sns:Publish"))), want: ImplicitlyDenied, missing: IdentityBased},
		{name: "cross account without resource policy", why: "To allow cross-account access, you attach a resource-based policy to the resource",
			req:      Request{Principal: other, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111111111111:t"},
			identity: []iam.Policy{policy(allow([]string{"sns:Publish"}, "*"))}, want: ImplicitlyDenied, missing: ResourceBased},
		{name: "cross account, account principal", why: "You can specify the entire account",
			req:      Request{Principal: other, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111111111111:t"},
			identity: []iam.Policy{policy(allow([]string{"sns:Publish"}, "*"))},
			resource: ptr(policy(granting(aws("222222222222"), "sns:Publish"))), want: Allowed},
		{name: "key policy must enable IAM policies", why: "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a KMS key",
			req:      Request{Principal: me, Action: "kms:Decrypt", Resource: key},
			identity: []iam.Policy{policy(allow([]string{"kms:Decrypt"}, key))},
			resource: ptr(policy(granting(aws(other), "kms:*"))), want: ImplicitlyDenied, missing: ResourceBased},
		{name: "default key policy", why: "The default key policy enables IAM policies",
			req:      Request{Principal: me, Action: "kms:Decrypt", Resource: key},
			identity: []iam.Policy{policy(allow([]string{"kms:Decrypt"}, key))},
			resource: ptr(policy(granting(aws("arn:aws:iam::111111111111:root"), "kms:*"))), want: Allowed},
		{name: "a key without a key policy", why: "Without permission from the key policy, IAM policies that allow permissions have no effect",
			req:      Request{Principal: me, Action: "kms:Decrypt", Resource: key},
			identity: []iam.Policy{policy(allow([]string{"kms:Decrypt"}, key))}, want: ImplicitlyDenied, missing: ResourceBased},
		{name: "trust policy naming another account", why: "role trust policies must explicitly allow the principal's account",
			req:      Request{Principal: me, Action: "sts:AssumeRole", Resource: role},
			identity: []iam.Policy{policy(allow([]string{"sts:AssumeRole"}, role))},
			resource: ptr(policy(granting(aws("arn:aws:iam::222222222222:root"), "sts:AssumeRole"))), want: ImplicitlyDenied, missing: ResourceBased},
		{name: "trust policy naming the session's role", why: "a role ARN principal covers the role's sessions",
			req:      Request{Principal: session, Action: "sts:AssumeRole", Resource: role},
			resource: ptr(policy(granting(aws(me), "sts:AssumeRole"))), want: Allowed},
		{name: "service principal", why: "the resource-based policy alone decides for an AWS service",
			req:      Request{Principal: "states.amazonaws.com", Action: "sts:AssumeRole", Resource: role},
			resource: ptr(policy(granting(&iam.Principal{Service: []string{"states.amazonaws.com"}}, "sts:AssumeRole"))), want: Allowed},
		{name: "other service principal", why: "the resource-based policy alone decides for an AWS service",
			req:      Request{Principal: "lambda.amazonaws.com", Action: "sts:AssumeRole", Resource: role},
			resource: ptr(policy(granting(&iam.Principal{Service: []string{"states.amazonaws.com"}}, "sts:AssumeRole"))), want: ImplicitlyDenied, missing: ResourceBased},
		{name: "resource policy deny for the account", why: "An explicit deny in any of the policies overrides the allow",
			req:      Request{Principal: me, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111111111111:t"},
			identity: []iam.Policy{policy(allow([]string{"sns:Publish"}, "*"))},
			resource: ptr(policy(iam.Statement{Effect: iam.Deny, Principal: aws("111111111111"), Action: []string{"sns:*"}, Resource: []string{"*"}})),
			want:     ExplicitlyDenied},
		{name: "resource statement without principal", why: "resource-based policies must name whom they apply to",
			req:      Request{Principal: me, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111111111111:t"},
			resource: ptr(policy(allow([]string{"sns:Publish"}, "*"))), want: ImplicitlyDenied, missing: IdentityBased},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Evaluate(tt.req, tt.identity, tt.resource)
			if d.Outcome != tt.want || d.Missing != tt.missing {
				t.Errorf("%s; want %s (missing %q) as AWS says %q", d, tt.want, tt.missing, tt.why)
			}
			if (d.By == nil) != (d.Outcome == ImplicitlyDenied) {
				t.Errorf("%s: the deciding statement is %v", d.Outcome, d.By)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestDecidingStatement: the first applicable Deny is named, identity
// before resource.
func TestDecidingStatement(t *testing.T) {
	req := Request{Principal: me, Action: "rds:DeleteDBCluster", Resource: cluster}
	identity := []iam.Policy{
		policy(allow([]string{"rds:*"}, "*")),
		policy(iam.Statement{Sid: "Other", Effect: iam.Deny, Action: []string{"s3:*"}, Resource: []string{"*"}},
			iam.Statement{Sid: "DenyDatabaseChanges", Effect: iam.Deny, Action: []string{"rds:Delete*"}, Resource: []string{"*"}}),
	}
	d := Evaluate(req, identity, nil)
	want := Ref{Kind: IdentityBased, Policy: 1, Statement: 1, Sid: "DenyDatabaseChanges"}
	if d.By == nil || *d.By != want {
		t.Errorf("decided by %v, want %v", d.By, want)
	}
	d = Evaluate(Request{Principal: me, Action: "rds:DescribeDBClusters", Resource: cluster}, identity, nil)
	if d.Outcome != Allowed || d.By.Policy != 0 || d.By.Sid != "A" {
		t.Errorf("allowed by %v", d)
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"", "", true}, {"a*", "abc", true}, {"a*c", "abbbc", true}, {"a*c", "abcd", false},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"*-old", "x-old-old", true}, {"a**b", "ab", true},
		{"refresh-*-final-*", "refresh-app-final-2026", true}, {"?", "é", true},
	}
	for _, tt := range tests {
		if got := glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("glob(%q, %q) = %v", tt.pattern, tt.s, got)
		}
	}
}
