package iamcheck

import (
	"slices"
	"strings"
	"testing"
)

// report is iam-check output in the format its README documents.
const report = `/run/policies/a.json: iam-data: action rds:DeleteDbClusterr does not exist
/run/policies/a.json: iam-simulate: unknown condition key aws:SourceAcount
PASS /run/scenarios.json[0] ok: arn:aws:iam::1:role/r kms:CreateGrant arn:aws:kms:r:1:key/k -> Allowed [context keys ignored by the simulator (not applicable to this action/resource): kms:GrantOperations, rds:x | granted by: identity a.json statement #1 (Sid A)]
FAIL /run/scenarios.json[2] bad: bad scenario: cannot tell the resource account: give "resourceAccount" or a principal ARN
FAIL /run/scenarios.json[1] wrong type: arn:aws:iam::1:role/r kms:CreateGrant arn:aws:rds:r:1:cluster:c -> simulation error: no.resource.types
FAIL /run/scenarios.json[3]: arn:aws:iam::1:role/r sns:Publish arn:aws:sns:r:1:t -> ImplicitlyDenied (expected Allowed) [denied by: identity implicit deny]
iam-check: checked as: identity 1
iam-check: 1 policy files, 1 with errors
scenarios: 1 passed, 3 failed
`

func TestParse(t *testing.T) {
	r, err := parse(report, "/run", "/run/scenarios.json", 4)
	if err != nil {
		t.Fatal(err)
	}
	wantFindings := []Finding{
		{File: "policies/a.json", Tool: "iam-data", Message: "action rds:DeleteDbClusterr does not exist"},
		{File: "policies/a.json", Tool: "iam-simulate", Message: "unknown condition key aws:SourceAcount"},
	}
	if !slices.Equal(r.Findings, wantFindings) {
		t.Errorf("findings %+v", r.Findings)
	}
	for i, want := range []struct {
		pass    bool
		got     string
		ignored []string
	}{
		{true, "Allowed", []string{"kms:GrantOperations", "rds:x"}},
		{false, "simulation error: no.resource.types", nil},
		{false, `bad scenario: cannot tell the resource account: give "resourceAccount" or a principal ARN`, nil},
		{false, "ImplicitlyDenied", nil},
	} {
		o := r.Outcomes[i]
		if o.Pass != want.pass || o.Got != want.got || !slices.Equal(o.Ignored, want.ignored) || !strings.Contains(o.Line, "]") {
			t.Errorf("outcome %d: %+v, want %+v", i, o, want)
		}
	}
	if r.OK() {
		t.Error("OK with findings and failures")
	}
}

func TestParseMissingOutcome(t *testing.T) {
	if _, err := parse(report, "/run", "/run/scenarios.json", 5); err == nil {
		t.Error("no error for 4 results of 5 scenarios")
	}
}

func TestScenarioFile(t *testing.T) {
	paths := map[string]string{"caller": "extra/caller.json", "trust": "policies/trust.json"}
	ctx := map[string][]string{"sts:ExternalId": {"x"}}
	role := Scenario{Policies: []string{"caller"}, ResourcePolicy: "trust", Principal: "arn:aws:iam::1:role/r", Context: ctx}
	sj, err := role.file(paths)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sj.Policy, []string{"extra/caller.json"}) || sj.ResourcePolicy != "policies/trust.json" {
		t.Errorf("documents %v %v", sj.Policy, sj.ResourcePolicy)
	}
	if got := sj.Context["aws:PrincipalArn"]; !slices.Equal(got, []string{role.Principal}) || len(ctx) != 1 {
		t.Errorf("aws:PrincipalArn %v; the scenario's context %v", got, ctx)
	}
	service := Scenario{Principal: "states.amazonaws.com", Context: ctx}
	if sj, _ := service.file(paths); len(sj.Context) != 1 {
		t.Errorf("a service principal got context %v", sj.Context)
	}
	if _, err := (Scenario{ResourcePolicy: "nope"}).file(paths); err == nil {
		t.Error("no error for an unknown document")
	}
}
