package policyeval

import (
	"fmt"
	"strings"

	"github.com/refreshgen/refreshgen/iam"
)

// Request is one authorisation request: a principal asking to perform an
// action on a resource, with the request context.
type Request struct {
	// Principal is the caller: an IAM role ARN, an assumed-role session
	// ARN ("arn:aws:sts::111122223333:assumed-role/name/session") or a
	// service principal ("states.amazonaws.com").
	Principal string
	// Action is the IAM action, e.g. "rds:DeleteDBCluster".
	Action string
	// Resource is the ARN the action is authorised against, or "*" for an
	// action without a resource type.
	Resource string
	// ResourceAccount owns the resource. Empty means the account of the
	// Resource ARN or, for an ARN without one ("*", an S3 ARN), the
	// principal's.
	ResourceAccount string
	// Context holds the condition keys the request carries and their
	// values.
	Context map[string][]string
}

// Outcome is what AWS decides. The values are those of iam-check.
type Outcome string

// Outcomes.
const (
	Allowed          Outcome = "Allowed"
	ImplicitlyDenied Outcome = "ImplicitlyDenied"
	ExplicitlyDenied Outcome = "ExplicitlyDenied"
)

// Kind is the kind of a policy, as AWS names it in access denied messages.
type Kind string

// Kinds.
const (
	IdentityBased Kind = "identity-based"
	ResourceBased Kind = "resource-based"
)

// Ref names one statement of the policies a request was evaluated
// against.
type Ref struct {
	Kind Kind
	// Policy is the index of the policy among the identity-based ones (0
	// for the resource-based policy); Statement its index in that policy.
	Policy, Statement int
	Sid               string
}

func (r Ref) String() string {
	name := fmt.Sprintf("%s policy %d statement %d", r.Kind, r.Policy, r.Statement)
	if r.Sid != "" {
		name += " (" + r.Sid + ")"
	}
	return name
}

// Decision is AWS's answer to a request.
type Decision struct {
	Outcome Outcome
	// By is the deciding statement: the first Deny that applies when
	// ExplicitlyDenied, the Allow that grants when Allowed; nil when
	// ImplicitlyDenied.
	By *Ref
	// Missing is, when ImplicitlyDenied, the kind of policy that lacks an
	// applicable Allow: what AWS's message says ("because no
	// identity-based policy allows ...").
	Missing Kind
}

func (d Decision) String() string {
	switch {
	case d.By != nil:
		return string(d.Outcome) + " by " + d.By.String()
	case d.Outcome == ImplicitlyDenied:
		return string(d.Outcome) + ": no " + string(d.Missing) + " policy allows it"
	}
	return string(d.Outcome)
}

// Evaluate decides req against the caller's identity-based policies and
// the resource's resource-based policy (nil when it has none).
func Evaluate(req Request, identity []iam.Policy, resource *iam.Policy) Decision {
	r := newRequest(req)
	var id, res verdict
	if !r.principal.service {
		id = evaluateIdentity(r, identity)
	}
	if resource != nil {
		res = evaluateResource(r, *resource)
	}
	switch {
	case id.deny != nil:
		return Decision{Outcome: ExplicitlyDenied, By: id.deny}
	case res.deny != nil:
		return Decision{Outcome: ExplicitlyDenied, By: res.deny}
	}
	return grant(r, id, res)
}

// verdict is what one side's policies say about a request: the first
// applicable Deny and Allow, an Allow of the resource-based policy being
// either for the caller itself (direct) or for the caller's whole account,
// which lets the account's IAM policies decide.
type verdict struct {
	deny, allow, accountAllow *Ref
}

// grant applies the Allow rules once no Deny applies.
func grant(r request, id, res verdict) Decision {
	allowedBy := func(by *Ref) Decision { return Decision{Outcome: Allowed, By: by} }
	missing := func(k Kind) Decision { return Decision{Outcome: ImplicitlyDenied, Missing: k} }
	switch {
	case r.principal.service:
		if res.allow != nil {
			return allowedBy(res.allow)
		}
		return missing(ResourceBased)
	case r.sameAccount() && res.allow != nil:
		return allowedBy(res.allow)
	case id.allow == nil:
		return missing(IdentityBased)
	case r.sameAccount() && !r.delegated():
		return allowedBy(id.allow)
	case res.allow == nil && res.accountAllow == nil:
		return missing(ResourceBased)
	}
	return allowedBy(id.allow)
}

// request is a Request prepared for matching.
type request struct {
	Request
	principal principal
	context   context
}

func newRequest(req Request) request {
	r := request{Request: req, principal: parsePrincipal(req.Principal), context: newContext(req.Context)}
	if r.ResourceAccount == "" {
		r.ResourceAccount = iam.AccountOf(req.Resource)
	}
	if r.ResourceAccount == "" {
		r.ResourceAccount = r.principal.account
	}
	return r
}

func (r request) sameAccount() bool {
	return r.principal.account != "" && r.principal.account == r.ResourceAccount
}

// delegated reports whether the resource is one whose resource-based
// policy must let IAM policies count even within its account: a role
// (its trust policy) or a KMS key (its key policy).
func (r request) delegated() bool {
	service, action, _ := strings.Cut(strings.ToLower(r.Action), ":")
	switch service {
	case "sts":
		return strings.HasPrefix(action, "assumerole")
	case "kms":
		return r.Resource != "*"
	}
	return false
}

// evaluateIdentity finds the first Deny and the first Allow of the
// identity-based policies that apply to r.
func evaluateIdentity(r request, policies []iam.Policy) verdict {
	var v verdict
	for i, p := range policies {
		for j, st := range p.Statement {
			if !appliesTo(st, r) {
				continue
			}
			ref := &Ref{Kind: IdentityBased, Policy: i, Statement: j, Sid: st.Sid}
			v.record(st.Effect, ref, true)
		}
	}
	return v
}

// evaluateResource does the same for a resource-based policy, whose
// statements also have to name the caller.
func evaluateResource(r request, p iam.Policy) verdict {
	var v verdict
	for j, st := range p.Statement {
		who := matchPrincipal(st.Principal, r.principal)
		if who == nobody || !appliesTo(st, r) {
			continue
		}
		ref := &Ref{Kind: ResourceBased, Statement: j, Sid: st.Sid}
		v.record(st.Effect, ref, who == caller)
	}
	return v
}

// record keeps the first statement of each effect. A Deny naming the
// caller's account denies the caller as much as one naming it.
func (v *verdict) record(effect iam.Effect, ref *Ref, direct bool) {
	switch {
	case effect == iam.Deny && v.deny == nil:
		v.deny = ref
	case effect == iam.Allow && direct && v.allow == nil:
		v.allow = ref
	case effect == iam.Allow && !direct && v.accountAllow == nil:
		v.accountAllow = ref
	}
}

// appliesTo reports whether the statement's action, resource and
// conditions all match r (the principal is checked by the caller).
func appliesTo(st iam.Statement, r request) bool {
	return matchActions(st, r.Action) && matchResources(st, r.Resource) && matchConditions(st.Condition, r.context)
}
