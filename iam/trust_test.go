package iam_test

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/iam/iamcheck"
)

const (
	orchestrator = "arn:aws:iam::" + sharedAccount + ":role/refresh-orchestrator"
	sourceRole   = "arn:aws:iam::" + sourceAccount + ":role/refresh-source"
	stateMachine = "arn:aws:states:eu-west-1:" + sourceAccount + ":stateMachine:refresh-db"
)

func TestRoleTrustJSON(t *testing.T) {
	p, err := iam.RoleTrust(iam.Trusted{Role: orchestrator, ExternalID: "refresh-7f3a", OrgID: "o-a1b2c3d4e5"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "StsAssumeRole",
      "Effect": "Allow",
      "Principal": {
        "AWS": [
          "arn:aws:iam::111111111111:root"
        ]
      },
      "Action": [
        "sts:AssumeRole"
      ],
      "Condition": {
        "ArnEquals": {
          "aws:PrincipalArn": [
            "arn:aws:iam::111111111111:role/refresh-orchestrator"
          ]
        },
        "StringEquals": {
          "aws:PrincipalOrgID": [
            "o-a1b2c3d4e5"
          ],
          "sts:ExternalId": [
            "refresh-7f3a"
          ]
        }
      }
    }
  ]
}
`
	if got := mustJSON(t, p); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTrustErrors(t *testing.T) {
	for _, role := range []string{"arn:aws:iam::111111111111:user/bob", "arn:aws:iam::111:role/x", "refresh-orchestrator"} {
		if _, err := iam.RoleTrust(iam.Trusted{Role: role}); err == nil {
			t.Errorf("RoleTrust(%s): no error", role)
		}
	}
	for _, tc := range []struct {
		name    string
		svc     iam.Service
		account string
		arns    []string
	}{
		{"unknown service", "ec2.amazonaws.com", sourceAccount, nil},
		{"no account for a service that sends it", iam.StepFunctions, "", nil},
		{"not an account id", iam.Scheduler, "12345", nil},
		{"source ARN of another account", iam.StepFunctions, sourceAccount, []string{strings.Replace(stateMachine, sourceAccount, otherAccount, 1)}},
		{"source ARN that is no ARN", iam.RDS, sourceAccount, []string{"refresh-db"}},
		{"account for a service that does not send it", iam.Backup, sourceAccount, nil},
		{"source ARN for a service that does not send it", iam.Lambda, "", []string{"arn:aws:lambda:eu-west-1:222222222222:function:f"}},
	} {
		if _, err := iam.ServiceTrust(tc.svc, tc.account, tc.arns...); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestRoleTrustKeepsPartition(t *testing.T) {
	p, err := iam.RoleTrust(iam.Trusted{Role: "arn:aws-cn:iam::111111111111:role/path/refresh"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Statement[0].Principal.AWS[0]; got != "arn:aws-cn:iam::111111111111:root" {
		t.Errorf("principal %s", got)
	}
}

// TestRoleTrustWithIAMCheck simulates who may assume a role that trusts
// the orchestrator's role: only that role, from its account, with the
// external id and organisation the trust asks for.
func TestRoleTrustWithIAMCheck(t *testing.T) {
	tool := iamcheck.Require(t)
	strict, err := iam.RoleTrust(iam.Trusted{Role: orchestrator, ExternalID: "refresh-7f3a", OrgID: "o-a1b2c3d4e5"})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := iam.RoleTrust(iam.Trusted{Role: orchestrator})
	if err != nil {
		t.Fatal(err)
	}
	good := map[string][]string{"sts:ExternalId": {"refresh-7f3a"}, "aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}
	with := func(key, value string) map[string][]string {
		ctx := map[string][]string{"sts:ExternalId": good["sts:ExternalId"], "aws:PrincipalOrgID": good["aws:PrincipalOrgID"]}
		if value == "" {
			delete(ctx, key)
		} else {
			ctx[key] = []string{value}
		}
		return ctx
	}
	check := iamcheck.Check{
		Type:     "trust",
		Policies: map[string]iam.Policy{"strict": strict, "plain": plain},
		Extra:    map[string]iam.Policy{"caller": callerPolicy()},
		Scenarios: []iamcheck.Scenario{
			assume("the orchestrator, with external id and org", "strict", orchestrator, good, iamcheck.Allowed),
			assume("without the external id", "strict", orchestrator, with("sts:ExternalId", ""), iamcheck.ImplicitlyDenied),
			assume("with another external id", "strict", orchestrator, with("sts:ExternalId", "guess"), iamcheck.ImplicitlyDenied),
			assume("from outside the organisation", "strict", orchestrator, with("aws:PrincipalOrgID", "o-zzzzzzzzzz"), iamcheck.ImplicitlyDenied),
			assume("another role of the orchestrator's account", "strict",
				"arn:aws:iam::"+sharedAccount+":role/intruder", good, iamcheck.ImplicitlyDenied),
			assume("a role of the same name in another account", "strict",
				"arn:aws:iam::"+otherAccount+":role/refresh-orchestrator", good, iamcheck.ImplicitlyDenied),
			assume("plain: the orchestrator", "plain", orchestrator, nil, iamcheck.Allowed),
			assume("plain: another role", "plain", "arn:aws:iam::"+sharedAccount+":role/intruder", nil, iamcheck.ImplicitlyDenied),
		},
	}
	res := run(t, tool, check)
	t.Logf("%d scenarios passed", len(res.Outcomes))
}

// TestServiceTrustWithIAMCheck simulates, for each service, who may
// assume a role it trusts.
func TestServiceTrustWithIAMCheck(t *testing.T) {
	tool := iamcheck.Require(t)
	cluster := iam.RDSCluster.ARN(loc, "refresh-db")
	group := "arn:aws:scheduler:eu-west-1:" + sourceAccount + ":schedule-group/refresh"
	trusts := map[string]iam.Policy{
		"states":    mustTrust(t, iam.StepFunctions, sourceAccount, stateMachine),
		"scheduler": mustTrust(t, iam.Scheduler, sourceAccount, group),
		"rds":       mustTrust(t, iam.RDS, sourceAccount, cluster),
		"backup":    mustTrust(t, iam.Backup, ""),
		"lambda":    mustTrust(t, iam.Lambda, ""),
	}
	source := func(account, arn string) map[string][]string {
		return map[string][]string{"aws:SourceAccount": {account}, "aws:SourceArn": {arn}}
	}
	other := strings.Replace(stateMachine, sourceAccount, otherAccount, 1)
	check := iamcheck.Check{
		Type:     "trust",
		Policies: trusts,
		Scenarios: []iamcheck.Scenario{
			assume("states: the state machine", "states", string(iam.StepFunctions), source(sourceAccount, stateMachine), iamcheck.Allowed),
			assume("states: another state machine", "states", string(iam.StepFunctions),
				source(sourceAccount, stateMachine+"-evil"), iamcheck.ImplicitlyDenied),
			assume("states: a state machine of another account", "states", string(iam.StepFunctions),
				source(otherAccount, other), iamcheck.ImplicitlyDenied),
			assume("states: no source", "states", string(iam.StepFunctions), nil, iamcheck.ImplicitlyDenied),
			assume("states: another service", "states", string(iam.Lambda), source(sourceAccount, stateMachine), iamcheck.ImplicitlyDenied),
			assume("scheduler: the schedule group", "scheduler", string(iam.Scheduler), source(sourceAccount, group), iamcheck.Allowed),
			assume("scheduler: another group", "scheduler", string(iam.Scheduler), source(sourceAccount, group+"-2"), iamcheck.ImplicitlyDenied),
			assume("rds: the cluster", "rds", string(iam.RDS), source(sourceAccount, cluster), iamcheck.Allowed),
			assume("rds: another account", "rds", string(iam.RDS),
				source(otherAccount, strings.Replace(cluster, sourceAccount, otherAccount, 1)), iamcheck.ImplicitlyDenied),
			assume("backup: AWS Backup", "backup", string(iam.Backup), nil, iamcheck.Allowed),
			assume("backup: another service", "backup", string(iam.StepFunctions), nil, iamcheck.ImplicitlyDenied),
			assume("lambda: Lambda", "lambda", string(iam.Lambda), nil, iamcheck.Allowed),
			assume("lambda: another service", "lambda", string(iam.Scheduler), nil, iamcheck.ImplicitlyDenied),
		},
	}
	res := run(t, tool, check)
	t.Logf("%d scenarios passed", len(res.Outcomes))
}

// assume is principal assuming the source role whose trust policy is trust.
func assume(name, trust, principal string, ctx map[string][]string, expect iamcheck.Decision) iamcheck.Scenario {
	s := iamcheck.Scenario{Name: name, ResourcePolicy: trust, Principal: principal,
		Action: "sts:AssumeRole", Resource: sourceRole, Context: ctx, Expect: expect}
	if strings.HasPrefix(principal, "arn:") {
		s.Policies = []string{"caller"}
	}
	return s
}

// callerPolicy lets a role assume the source role, so that only the
// trust policy decides.
func callerPolicy() iam.Policy {
	return iam.Policy{Statement: []iam.Statement{{Sid: "AssumeSource", Effect: iam.Allow,
		Action: []string{"sts:AssumeRole"}, Resource: []string{sourceRole}}}}
}

func mustTrust(t *testing.T, svc iam.Service, account string, sourceARN ...string) iam.Policy {
	t.Helper()
	p, err := iam.ServiceTrust(svc, account, sourceARN...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustJSON(t *testing.T, p iam.Policy) string {
	t.Helper()
	b, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
