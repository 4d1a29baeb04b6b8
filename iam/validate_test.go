package iam_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/iam/iamcheck"
)

// These tests hold the tables against iam-check's catalogue (iam-data,
// the machine-readable Service Authorization Reference) and simulator.

// TestActionTableWithIAMCheck builds two policies per action of the table,
// granting it on a sample ARN of each of its resource types (or on "*"),
// the second with a condition on each of its condition keys, and wants
// from iam-check: no finding (every action and key exists); each sample
// request allowed by the first (each ARN pattern is of a type the action
// authorises against); and each key applying to the action for one of its
// resource types at least (the simulator reports the keys it ignores).
func TestActionTableWithIAMCheck(t *testing.T) {
	tool := iamcheck.Require(t)
	check := iamcheck.Check{Type: "identity", Policies: map[string]iam.Policy{}, Extra: extraPolicies()}
	for _, a := range iam.Actions() {
		name := fileName(a.Name)
		stmt := iam.Statement{Effect: iam.Allow, Action: []string{a.Name}}
		requests := []string{"*"}
		if types := a.Types(); len(types) > 0 {
			requests = nil
			for _, rt := range types {
				stmt.Resource = append(stmt.Resource, sampleARN(rt))
				requests = append(requests, concrete(sampleARN(rt)))
			}
		} else {
			stmt.Resource = []string{"*"}
		}
		check.Policies[name] = iam.Policy{Statement: []iam.Statement{stmt}}
		if len(a.Keys) > 0 {
			stmt.Condition = keyConditions(a.Keys)
			check.Policies[name+"_keys"] = iam.Policy{Statement: []iam.Statement{stmt}}
		}
		for _, r := range requests {
			check.Scenarios = append(check.Scenarios, allowed(a.Name, name, r, keyContext(a.Keys)))
		}
	}
	res := run(t, tool, check)
	applied := map[string]map[string]bool{} // action -> keys it honoured
	for i, o := range res.Outcomes {
		s := check.Scenarios[i]
		if applied[s.Action] == nil {
			applied[s.Action] = map[string]bool{}
		}
		for k := range s.Context {
			if !slices.Contains(o.Ignored, k) {
				applied[s.Action][k] = true
			}
		}
	}
	for _, a := range iam.Actions() {
		for _, k := range a.Keys {
			if !applied[a.Name][sampleKey(k)] {
				t.Errorf("%s: the simulator ignores condition key %s for every resource type", a.Name, k)
			}
		}
	}
	t.Logf("%d actions in %d policies, %d requests: %d findings", len(iam.Actions()), len(check.Policies), len(check.Scenarios), len(res.Findings))
}

// TestIntegrationTableWithIAMCheck builds, for every integration and
// feature, the policy of all its needs on sample resources, merged by
// Builder, and wants no finding and every need's request allowed with the
// conditions the table puts on it.
func TestIntegrationTableWithIAMCheck(t *testing.T) {
	tool := iamcheck.Require(t)
	check := iamcheck.Check{Type: "identity", Policies: map[string]iam.Policy{}, Extra: extraPolicies()}
	add := func(name string, needs []iam.Need) {
		var b iam.Builder
		var scenarios []iamcheck.Scenario
		for _, n := range needs {
			st, err := n.Statement(loc, needARNs(n)...)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			b.Add(st)
			ctx := map[string][]string{}
			for _, c := range st.Condition {
				ctx[c.Key] = c.Values[:1]
			}
			resource := st.Resource[0]
			if resource != "*" {
				resource = concrete(resource)
			}
			scenarios = append(scenarios, allowed(n.Action, name, resource, ctx))
		}
		p, err := b.Policy()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		check.Policies[name] = p
		check.Scenarios = append(check.Scenarios, scenarios...)
	}
	for _, call := range iam.Integrations() {
		needs, _ := iam.NeedsOf(call)
		add(fileName(call.ARN("aws")), needs)
	}
	for _, f := range []iam.Feature{iam.Logging, iam.Tracing, iam.TaskCredentials} {
		needs, _ := iam.FeatureNeeds(f)
		add("feature_"+string(f), needs)
	}
	res := run(t, tool, check)
	t.Logf("%d policies, %d requests: %d findings", len(check.Policies), len(check.Scenarios), len(res.Findings))
}

// needARNs are sample resources for a need: one of each type it
// authorises against, none when the resource is fixed or "*".
func needARNs(n iam.Need) []string {
	a, _ := iam.LookupAction(n.Action)
	types := n.On
	if len(types) == 0 {
		types = a.Types()
	}
	if n.Name != "" {
		return nil
	}
	var arns []string
	for _, t := range types {
		arns = append(arns, sampleARN(t))
	}
	return arns
}

// allowed is a request by a role of the sample account that policy must
// allow.
func allowed(action, policy, resource string, ctx map[string][]string) iamcheck.Scenario {
	return iamcheck.Scenario{
		Name:            action + " on " + resource,
		Policies:        []string{policy},
		ResourcePolicy:  resourcePolicyOf(action),
		Principal:       "arn:aws:iam::" + sourceAccount + ":role/refresh-source",
		Action:          action,
		Resource:        resource,
		ResourceAccount: sourceAccount,
		Context:         ctx,
		Expect:          iamcheck.Allowed,
	}
}

// extraPolicies are the resource policies AWS evaluates besides the role's
// own: a KMS key and a role are usable only when their key policy or
// trust policy allows it, even in their own account.
func extraPolicies() map[string]iam.Policy {
	root := &iam.Principal{AWS: []string{"arn:aws:iam::" + sourceAccount + ":root"}}
	return map[string]iam.Policy{
		"key-policy": {Statement: []iam.Statement{{Sid: "Account", Effect: iam.Allow, Principal: root,
			Action: []string{"kms:*"}, Resource: []string{"*"}}}},
		"role-trust": {Statement: []iam.Statement{{Sid: "Account", Effect: iam.Allow, Principal: root,
			Action: []string{"sts:AssumeRole"}}}},
	}
}

func resourcePolicyOf(action string) string {
	switch {
	case strings.HasPrefix(action, "kms:"):
		return "key-policy"
	case action == "sts:AssumeRole":
		return "role-trust"
	}
	return ""
}

// keyConditions puts every key in a condition, for iam-check to check
// that the key exists.
func keyConditions(keys []string) []iam.Condition {
	var conds []iam.Condition
	for _, k := range keys {
		conds = append(conds, iam.Cond("ForAnyValue:StringLike", sampleKey(k), "*"))
	}
	return conds
}

func keyContext(keys []string) map[string][]string {
	ctx := map[string][]string{}
	for _, k := range keys {
		ctx[sampleKey(k)] = []string{"true"}
	}
	return ctx
}

// sampleKey fills the variable part of a key such as
// "aws:ResourceTag/${TagKey}".
func sampleKey(k string) string {
	return strings.ReplaceAll(k, "${TagKey}", "refresh")
}

// fileName makes a document name of an action or integration ARN.
func fileName(s string) string {
	return strings.NewReplacer(":", "_", "/", "_", ".", "_").Replace(s)
}

// run runs the check and fails the test on any finding or failed scenario.
func run(t *testing.T, tool iamcheck.Tool, check iamcheck.Check) iamcheck.Result {
	t.Helper()
	res, err := tool.Run(t.TempDir(), check)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("%s: %s: %s", f.File, f.Tool, f.Message)
	}
	for _, o := range res.Outcomes {
		if !o.Pass {
			t.Errorf("%s", o.Line)
		}
	}
	return res
}
