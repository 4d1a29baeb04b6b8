package iam

import (
	"fmt"
	"regexp"
	"strings"
)

// Trusted is a role allowed to assume another role, typically the
// orchestrator's execution role assuming a role in a source or destination
// account.
type Trusted struct {
	// Role is the ARN of the role that may assume.
	Role string
	// ExternalID, when set, must be passed as sts:ExternalId. Step Functions
	// cannot pass one (a Task's Credentials hold only a RoleArn): it is for
	// roles that people or other tools assume.
	ExternalID string
	// OrgID, when set, is the AWS Organizations id the caller must be in.
	OrgID string
}

// RoleTrust returns the trust policy of a role that t.Role may assume.
// The principal is t.Role's account and the condition aws:PrincipalArn
// names the role: IAM refuses a trust policy naming a role that does not
// exist yet, but not this, so the two roles can be created in any order,
// and the trust still holds after the trusted role is re-created.
func RoleTrust(t Trusted) (Policy, error) {
	partition, account, err := splitRoleARN(t.Role)
	if err != nil {
		return Policy{}, err
	}
	conds := []Condition{Cond(ArnEquals, "aws:PrincipalArn", t.Role)}
	if t.ExternalID != "" {
		conds = append(conds, Cond(StringEquals, "sts:ExternalId", t.ExternalID))
	}
	if t.OrgID != "" {
		conds = append(conds, Cond(StringEquals, "aws:PrincipalOrgID", t.OrgID))
	}
	return trust(Principal{AWS: []string{"arn:" + partition + ":iam::" + account + ":root"}}, conds)
}

// Service is an AWS service principal that assumes a role refreshgen
// writes.
type Service string

// Services.
const (
	StepFunctions Service = "states.amazonaws.com"
	Scheduler     Service = "scheduler.amazonaws.com"
	Backup        Service = "backup.amazonaws.com"
	RDS           Service = "rds.amazonaws.com"
	Lambda        Service = "lambda.amazonaws.com"
	EFS           Service = "elasticfilesystem.amazonaws.com"
)

// sourceARNs says, for each service, what aws:SourceArn is when it assumes
// a role; "" when it documents no aws:SourceAccount or aws:SourceArn there.
// A condition on a key the service does not send fails every AssumeRole,
// so only the documented keys are used. Never modified.
var sourceARNs = map[Service]string{
	// Step Functions Developer Guide, Creating an IAM role for your state
	// machine (cross-service confused deputy prevention).
	StepFunctions: "the state machine",
	// EventBridge Scheduler User Guide, Set up the execution role.
	Scheduler: "the schedule group, never a single schedule",
	// Aurora User Guide, Cross-service confused deputy prevention.
	RDS: "the DB cluster or instance",
	// AWS Backup Developer Guide: the service role's trust has no condition.
	Backup: "",
	// Lambda Developer Guide, execution role: the trust has no condition.
	Lambda: "",
	// EFS User Guide, Replicating EFS file systems across AWS accounts:
	// the replication role's trust has no condition.
	EFS: "",
}

// ServiceTrust returns the trust policy of a role that svc assumes. For a
// service that sends them, aws:SourceAccount is required and aws:SourceArn
// optional (ARNs of what may use the role, see sourceARNs), both against
// the confused deputy; for one that does not, neither may be given.
func ServiceTrust(svc Service, sourceAccount string, sourceARN ...string) (Policy, error) {
	what, known := sourceARNs[svc]
	switch {
	case !known:
		return Policy{}, fmt.Errorf("iam: no trust rules for service %q", svc)
	case what == "" && (sourceAccount != "" || len(sourceARN) > 0):
		return Policy{}, fmt.Errorf("iam: %s documents no aws:SourceAccount or aws:SourceArn when it assumes a role; a condition on them would deny it", svc)
	case what == "":
		return trust(Principal{Service: []string{string(svc)}}, nil)
	case !accountID.MatchString(sourceAccount):
		return Policy{}, fmt.Errorf("iam: %s: aws:SourceAccount %q is not an account id", svc, sourceAccount)
	}
	conds := []Condition{Cond(StringEquals, "aws:SourceAccount", sourceAccount)}
	for _, arn := range sourceARN {
		if parts := strings.Split(arn, ":"); len(parts) < 6 || parts[4] != sourceAccount {
			return Policy{}, fmt.Errorf("iam: %s: aws:SourceArn %q must be an ARN of %s in account %s", svc, arn, what, sourceAccount)
		}
	}
	if len(sourceARN) > 0 {
		conds = append(conds, Cond(ArnLike, "aws:SourceArn", sourceARN...))
	}
	return trust(Principal{Service: []string{string(svc)}}, conds)
}

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// trust is a one-statement trust policy letting p assume the role.
func trust(p Principal, conds []Condition) (Policy, error) {
	var b Builder
	b.Add(Statement{Effect: Allow, Principal: &p, Action: []string{"sts:AssumeRole"}, Condition: conds})
	return b.Policy()
}
