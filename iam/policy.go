package iam

// Version is the policy language version of every document refreshgen
// writes; it is not a field of Policy so that it cannot be forgotten.
const Version = "2012-10-17"

// Policy is an IAM policy document: an identity policy, a trust policy or
// a resource policy.
type Policy struct {
	Statement []Statement
}

// Effect says whether a statement allows or denies.
type Effect string

// Effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Statement is one statement of a policy. Exactly one of Action and
// NotAction is set, and at most one of Resource and NotResource (a trust
// policy has neither).
type Statement struct {
	Sid         string
	Effect      Effect
	Principal   *Principal // trust and resource policies only
	Action      []string
	NotAction   []string
	Resource    []string
	NotResource []string
	Condition   []Condition // all must hold (AND); a condition's values are ORed
}

// Principal says whom a trust or resource policy statement is about.
type Principal struct {
	AWS     []string // account roots and IAM role ARNs
	Service []string // service principals, e.g. "states.amazonaws.com"
}

// Operator is a condition operator, e.g. StringEquals.
type Operator string

// Condition operators used by refreshgen.
const (
	StringEquals Operator = "StringEquals"
	StringLike   Operator = "StringLike"
	ArnEquals    Operator = "ArnEquals"
	ArnLike      Operator = "ArnLike"
)

// Condition is one test of a statement: Operator applied to Key, true when
// the request value matches any of Values.
type Condition struct {
	Operator Operator
	Key      string
	Values   []string
}

// Cond returns the condition op(key, values...).
func Cond(op Operator, key string, values ...string) Condition {
	return Condition{Operator: op, Key: key, Values: values}
}
