package policyeval

import (
	"testing"

	"github.com/refreshgen/refreshgen/iam"
)

// conditionCase is one condition against one request context.
type conditionCase struct {
	op     iam.Operator
	key    string
	values []string
	ctx    map[string][]string
	want   bool
}

// checkConditions runs cases, each with the AWS documentation it follows.
func checkConditions(t *testing.T, why string, cases []conditionCase) {
	t.Helper()
	for _, c := range cases {
		got := matchCondition(iam.Cond(c.op, c.key, c.values...), newContext(c.ctx))
		if got != c.want {
			t.Errorf("%s %s %q with context %v = %v; AWS: %q", c.op, c.key, c.values, c.ctx, got, why)
		}
	}
}

func ctx(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

func TestStringOperators(t *testing.T) {
	const k = "aws:ResourceTag/env"
	checkConditions(t, "StringEquals: Exact matching, case sensitive", []conditionCase{
		{"StringEquals", k, []string{"prod"}, ctx(k, "prod"), true},
		{"StringEquals", k, []string{"prod"}, ctx(k, "Prod"), false},
		{"StringEquals", k, []string{"prod*"}, ctx(k, "production"), false},
	})
	checkConditions(t, "StringNotEquals: Negated matching", []conditionCase{
		{"StringNotEquals", k, []string{"prod"}, ctx(k, "dev"), true},
		{"StringNotEquals", k, []string{"prod"}, ctx(k, "prod"), false},
	})
	checkConditions(t, "StringEqualsIgnoreCase: Exact matching, ignoring case", []conditionCase{
		{"StringEqualsIgnoreCase", k, []string{"PROD"}, ctx(k, "prod"), true},
		{"StringNotEqualsIgnoreCase", k, []string{"PROD"}, ctx(k, "prod"), false},
	})
	checkConditions(t, "StringLike: Case-sensitive matching. The values can include multi-character match wildcards (*) and single-character match wildcards (?)", []conditionCase{
		{"StringLike", k, []string{"pro?-*"}, ctx(k, "prod-eu"), true},
		{"StringLike", k, []string{"pro?-*"}, ctx(k, "Prod-eu"), false},
		{"StringLike", k, []string{"prod"}, ctx(k, "prod-eu"), false},
	})
	checkConditions(t, "StringNotLike: Negated case-sensitive matching", []conditionCase{
		{"StringNotLike", k, []string{"prod*"}, ctx(k, "dev"), true},
		{"StringNotLike", k, []string{"prod*"}, ctx(k, "production"), false},
	})
}

func TestMultipleValuesAndKeys(t *testing.T) {
	const k = "aws:ResourceTag/env"
	checkConditions(t, "If a single condition operator includes multiple values for a context key, those values are evaluated using a logical OR", []conditionCase{
		{"StringEquals", k, []string{"dev", "prod"}, ctx(k, "prod"), true},
		{"StringEquals", k, []string{"dev", "qa"}, ctx(k, "prod"), false},
	})
	checkConditions(t, "negated matching condition operators with multiple values: the request value must match none of them (a logical NOR)", []conditionCase{
		{"StringNotEquals", k, []string{"dev", "prod"}, ctx(k, "prod"), false},
		{"StringNotEquals", k, []string{"dev", "qa"}, ctx(k, "prod"), true},
	})
	conds := []iam.Condition{iam.Cond("StringEquals", k, "prod"), iam.Cond("StringEquals", "aws:RequestTag/env", "prod")}
	if matchConditions(conds, newContext(ctx(k, "prod"))) {
		t.Errorf("two keys matched with one present; AWS: %q", "If your policy has multiple condition operators or multiple context keys, the conditions are evaluated using a logical AND")
	}
	if !matchConditions(conds, newContext(ctx(k, "prod", "aws:RequestTag/env", "prod"))) {
		t.Error("two keys both present and matching do not match")
	}
}

func TestKeyNames(t *testing.T) {
	checkConditions(t, "Condition key names are not case-sensitive", []conditionCase{
		{"StringEquals", "AWS:SourceAccount", []string{"111111111111"}, ctx("aws:sourceaccount", "111111111111"), true},
	})
}

func TestAbsentKeys(t *testing.T) {
	const k = "aws:ResourceTag/env"
	none := map[string][]string{}
	checkConditions(t, "If the key that you specify in a policy condition is not present in the request context, the values do not match and the condition is false", []conditionCase{
		{"StringEquals", k, []string{"prod"}, none, false},
		{"StringLike", k, []string{"*"}, none, false},
		{"ArnLike", "aws:SourceArn", []string{"*"}, none, false},
		{"Bool", "aws:SecureTransport", []string{"false"}, none, false},
		{"NumericLessThan", "s3:max-keys", []string{"10"}, none, false},
		{"StringEquals", k, []string{"prod"}, map[string][]string{k: {}}, false},
	})
	checkConditions(t, "If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the condition is true", []conditionCase{
		{"StringNotLike", k, []string{"prod"}, none, true},
		{"StringNotEquals", k, []string{"prod"}, none, true},
		{"ArnNotLike", "aws:SourceArn", []string{"arn:aws:s3:::x"}, none, true},
		{"ArnNotEquals", "aws:SourceArn", []string{"arn:aws:s3:::x"}, none, true},
		{"NumericNotEquals", "s3:max-keys", []string{"10"}, none, true},
	})
	checkConditions(t, "IfExists: If the key is not present, evaluate the condition element as true", []conditionCase{
		{"StringEqualsIfExists", k, []string{"prod"}, none, true},
		{"StringEqualsIfExists", k, []string{"prod"}, ctx(k, "dev"), false},
		{"StringEqualsIfExists", k, []string{"prod"}, ctx(k, "prod"), true},
		{"ArnLikeIfExists", "aws:SourceArn", []string{"arn:aws:states:*"}, none, true},
	})
	checkConditions(t, "Null: true (the key doesn't exist — it is null) or false (the key exists and its value is not null)", []conditionCase{
		{"Null", k, []string{"true"}, none, true},
		{"Null", k, []string{"true"}, ctx(k, "x"), false},
		{"Null", k, []string{"false"}, ctx(k, "x"), true},
		{"Null", k, []string{"false"}, none, false},
	})
}

func TestSetOperators(t *testing.T) {
	const k = "aws:TagKeys"
	none := map[string][]string{}
	two := map[string][]string{k: {"env", "owner"}}
	checkConditions(t, "ForAllValues: the condition returns true if every context key value in the request matches at least one context key value in the policy. It also returns true if there are no context keys in the request", []conditionCase{
		{"ForAllValues:StringEquals", k, []string{"env", "owner", "team"}, two, true},
		{"ForAllValues:StringEquals", k, []string{"env"}, two, false},
		{"ForAllValues:StringEquals", k, []string{"env"}, none, true},
		{"ForAllValues:StringNotLike", k, []string{"aws:*"}, two, true},
		{"ForAllValues:StringNotLike", k, []string{"own*"}, two, false},
	})
	checkConditions(t, "ForAnyValue: the condition returns true if any one of the context key values in the request matches any one of the context key values in the policy. For context keys that are not present, the condition returns false", []conditionCase{
		{"ForAnyValue:StringEquals", k, []string{"owner"}, two, true},
		{"ForAnyValue:StringEquals", k, []string{"team"}, two, false},
		{"ForAnyValue:StringEquals", k, []string{"team"}, none, false},
		{"ForAnyValue:StringLike", k, []string{"ow*"}, two, true},
	})
	checkConditions(t, "Multivalued context keys require a condition set operator", []conditionCase{
		{"StringEquals", k, []string{"env"}, ctx(k, "env"), false},
		{"StringEquals", "aws:ResourceTag/x", []string{"a", "b"}, map[string][]string{"aws:ResourceTag/x": {"a", "b"}}, false},
		{"StringNotEquals", k, []string{"env"}, two, false},
	})
}

func TestArnOperators(t *testing.T) {
	const k = "aws:PrincipalArn"
	role := "arn:aws:iam::111111111111:role/runner"
	checkConditions(t, "ArnEquals, ArnLike: Case-sensitive matching of the ARN. Each of the six colon-delimited components of the ARN is checked separately and each can include multi-character match wildcards (*) or single-character match wildcards (?)", []conditionCase{
		{"ArnEquals", k, []string{role}, ctx(k, role), true},
		{"ArnEquals", k, []string{"arn:aws:iam::*:role/run*"}, ctx(k, role), true},
		{"ArnLike", k, []string{"arn:aws:iam::111111111111:role/?unner"}, ctx(k, role), true},
		{"ArnLike", k, []string{"arn:aws:iam::222222222222:role/runner"}, ctx(k, role), false},
		{"ArnLike", k, []string{"arn:aws:iam::111111111111:role/Runner"}, ctx(k, role), false},
		{"ArnLike", k, []string{"arn:aws:iam::*"}, ctx(k, role), false},
		{"ArnLike", k, []string{"arn:aws:iam::*:*"}, ctx(k, "not-an-arn"), false},
	})
	checkConditions(t, "ArnNotEquals, ArnNotLike: Negated matching for ARN", []conditionCase{
		{"ArnNotEquals", k, []string{"arn:aws:iam::111111111111:role/other"}, ctx(k, role), true},
		{"ArnNotLike", k, []string{"arn:aws:iam::111111111111:role/*"}, ctx(k, role), false},
	})
}

func TestBoolAndNumeric(t *testing.T) {
	const b, n = "aws:SecureTransport", "s3:max-keys"
	checkConditions(t, "Bool: Boolean matching", []conditionCase{
		{"Bool", b, []string{"true"}, ctx(b, "true"), true},
		{"Bool", b, []string{"true"}, ctx(b, "TRUE"), true},
		{"Bool", b, []string{"false"}, ctx(b, "true"), false},
		{"Bool", b, []string{"true"}, ctx(b, "1"), false},
		{"BoolIfExists", b, []string{"true"}, nil, true},
	})
	checkConditions(t, "Numeric condition operators let you construct Condition elements that restrict access based on comparing a key to an integer or decimal value", []conditionCase{
		{"NumericEquals", n, []string{"10"}, ctx(n, "10.0"), true},
		{"NumericNotEquals", n, []string{"10"}, ctx(n, "11"), true},
		{"NumericNotEquals", n, []string{"10"}, ctx(n, "ten"), false},
		{"NumericLessThan", n, []string{"10"}, ctx(n, "9.5"), true},
		{"NumericLessThan", n, []string{"10"}, ctx(n, "10"), false},
		{"NumericLessThanEquals", n, []string{"10"}, ctx(n, "10"), true},
		{"NumericGreaterThan", n, []string{"10"}, ctx(n, "10"), false},
		{"NumericGreaterThanEquals", n, []string{"10"}, ctx(n, "10"), true},
		{"NumericEquals", n, []string{"ten"}, ctx(n, "10"), false},
	})
}

func TestUnmodelledOperators(t *testing.T) {
	checkConditions(t, "not modelled: a Date or IpAddress condition never matches", []conditionCase{
		{"DateLessThan", "aws:CurrentTime", []string{"2030-01-01T00:00:00Z"}, ctx("aws:CurrentTime", "2026-01-01T00:00:00Z"), false},
		{"IpAddress", "aws:SourceIp", []string{"10.0.0.0/8"}, ctx("aws:SourceIp", "10.1.2.3"), false},
	})
}
