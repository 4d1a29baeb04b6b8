package roles

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/iam/policyeval"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// Authorizer decides, for the workflow simulator, whether AWS would let a
// derived role make one concrete call: the requests IAM authorises for
// it, computed with the derivation's own tables (iam.NeedsOf, paramsOf,
// arnOf), evaluated by policyeval against the role's policies.
//
// What it assumes of the world, as AWS would see it:
//   - A KMS key keeps AWS's default key policy, which lets the key's
//     account's IAM policies decide (AWS KMS Developer Guide, Default key
//     policy): a key of another account is denied.
//   - Any other resource of another account (a snapshot the source shared,
//     a cluster shared through AWS RAM) is shared by the service's own
//     mechanism, not by a resource-based policy: only the caller's
//     identity policies are evaluated for it.
//   - A need that applies only to a customer managed key (Need.CustomerKey)
//     is checked when the call names the key; otherwise the resource's key
//     is taken to be AWS managed, which needs nothing of the caller.
//   - A resource a call does not name but AWS authorises against all the
//     same (the default parameter or option group RDS picks) is not
//     checked: the call gives no name to check.
//   - aws:PrincipalOrgID is the spec's organization_id: the spec declares
//     its accounts are in that organization.
//   - Step Functions passes no sts:ExternalId when it assumes a Task's
//     role (Step Functions Developer Guide, Accessing resources in other
//     AWS accounts: Credentials holds only a RoleArn).
type Authorizer struct {
	d     *deriver         // the derivation's names, locations and tables
	roles map[string]*Role // by ARN
}

// ResourceTags returns the tags of an existing resource by ARN, nil for
// none or for a resource that does not exist (yet).
type ResourceTags func(arn string) map[string]string

// NewAuthorizer returns the authorizer of the roles derived from s.
func NewAuthorizer(s *spec.Spec, roles []Role) *Authorizer {
	a := &Authorizer{d: newDeriver(s, nil), roles: map[string]*Role{}}
	for i := range roles {
		r := &roles[i]
		a.roles[a.d.names.RoleARN(r.Account.ID, r.Name)] = r
	}
	return a
}

// MachineRole returns the ARN of the role state machine m runs as: the
// role of a Task without Credentials, and the caller of AuthorizeAssume.
func (a *Authorizer) MachineRole(m *workflows.Machine) string {
	return a.d.machineRole(m).arn(a.d)
}

// AccessDenied is a call IAM refuses, as Step Functions reports it: Name
// is the Task's error, Cause AWS's message.
type AccessDenied struct {
	Name  string
	Cause string
	// The request that was refused, and why.
	Request  policyeval.Request
	Decision policyeval.Decision
}

func (e *AccessDenied) Error() string { return e.Name + ": " + e.Cause }

// Authorize reports whether the role roleArn may make the call in with
// the effective parameters params (as encoding/json decodes them): nil,
// or an *AccessDenied for the first request IAM refuses. tags gives the
// tags of the resources the call touches (nil: none are tagged).
func (a *Authorizer) Authorize(roleArn string, in asl.Integration, params any, tags ResourceTags) error {
	needs, ok := iam.NeedsOf(in)
	if !ok {
		return fmt.Errorf("roles: no IAM mapping for %s:%s", in.Service, in.Action)
	}
	cl := call{roleArn: roleArn, role: a.runnerOf(roleArn), Call: callOf(in, params), tags: requestTags(params), resourceTags: tags}
	for _, n := range needs {
		if n.If != "" && !hasParam(cl.Call, n.If) {
			continue
		}
		for _, t := range a.targetsOf(cl, n) {
			if err := a.decide(roleArn, a.request(cl, n, t), in); err != nil {
				return err
			}
		}
	}
	return nil
}

// call is one concrete call being authorised: its parameters in the
// inventory's form, so that the derivation's field lookups (param,
// hasParam, nodegroups...) read them, and the tags it passes.
type call struct {
	workflows.Call
	roleArn      string
	role         runner
	tags         map[string]string
	resourceTags ResourceTags
}

// AuthorizeAssume reports whether the role callerRoleArn may assume
// targetRoleArn as a Task's Credentials: its identity policies must allow
// sts:AssumeRole and the target's trust policy must trust it.
func (a *Authorizer) AuthorizeAssume(callerRoleArn, targetRoleArn string) error {
	var trust *iam.Policy
	if target := a.roles[targetRoleArn]; target != nil {
		trust = &target.Trust
	}
	req := policyeval.Request{Principal: session(callerRoleArn), Action: "sts:AssumeRole", Resource: targetRoleArn,
		Context: a.principalContext(callerRoleArn)}
	d := policyeval.Evaluate(req, documents(a.attached(callerRoleArn)), trust)
	if d.Outcome == policyeval.Allowed {
		return nil
	}
	// Step Functions' error name for a Task whose role cannot be assumed is
	// not documented; States.TaskFailed is what every such failure matches.
	return &AccessDenied{Name: asl.ErrTaskFailed, Cause: a.message(callerRoleArn, req, d), Request: req, Decision: d}
}

// runnerOf is the role an ARN names, in its account (one the spec does
// not declare gets an account of its own: it has no role anyway).
func (a *Authorizer) runnerOf(roleArn string) runner {
	name, id := roleArn[strings.LastIndex(roleArn, "/")+1:], iam.AccountOf(roleArn)
	if i := slices.IndexFunc(a.d.spec.Accounts, func(acct *spec.Account) bool { return acct.ID == id }); i >= 0 {
		return runner{a.d.spec.Accounts[i], name}
	}
	return runner{&spec.Account{ID: id}, name}
}

// attached are the policies always attached to a role: its identity
// policy and guardrails, not those Terraform attaches for a feature.
func (a *Authorizer) attached(roleArn string) []Policy {
	var out []Policy
	if r := a.roles[roleArn]; r != nil {
		for _, p := range r.Policies {
			if p.Feature == "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// documents are the policies' documents, in order.
func documents(ps []Policy) []iam.Policy {
	out := make([]iam.Policy, len(ps))
	for i, p := range ps {
		out[i] = p.Policy
	}
	return out
}

// decide evaluates one request; a KMS key brings its key policy.
func (a *Authorizer) decide(roleArn string, req policyeval.Request, in asl.Integration) error {
	var resource *iam.Policy
	if strings.HasPrefix(req.Action, "kms:") && req.Resource != "*" {
		resource = defaultKeyPolicy(iam.AccountOf(req.Resource), partitionOf(req.Resource))
	} else {
		req.ResourceAccount = iam.AccountOf(roleArn) // shared by the service, see Authorizer
	}
	d := policyeval.Evaluate(req, documents(a.attached(roleArn)), resource)
	if d.Outcome == policyeval.Allowed {
		return nil
	}
	return &AccessDenied{Name: accessDeniedError(in), Cause: a.message(roleArn, req, d), Request: req, Decision: d}
}

// defaultKeyPolicy is the key policy AWS gives a key created without one:
// "Allows access to the AWS account and enables IAM policies".
func defaultKeyPolicy(account, partition string) *iam.Policy {
	return &iam.Policy{Statement: []iam.Statement{{Sid: "Enable IAM User Permissions", Effect: iam.Allow,
		Principal: &iam.Principal{AWS: []string{"arn:" + partition + ":iam::" + account + ":root"}},
		Action:    []string{"kms:*"}, Resource: []string{"*"}}}}
}

// target is one resource a need authorises against.
type target struct {
	arn     string
	created bool // the call creates it: it has no tags yet
}

// targetsOf are the resources need n of a call authorises against, from
// the call's own parameter values, by the derivation's tables.
func (a *Authorizer) targetsOf(cl call, n iam.Need) []target {
	loc := a.d.loc(cl.role.account)
	if n.Name != "" {
		st, _ := n.Statement(loc)
		return []target{{arn: st.Resource[0]}}
	}
	action, _ := iam.LookupAction(n.Action)
	types := n.On
	if len(types) == 0 {
		types = action.Types()
	}
	if len(types) == 0 {
		return []target{{arn: "*"}}
	}
	var out []target
	for _, t := range types {
		for _, arn := range a.named(t, n, cl.Call, loc) {
			out = append(out, target{arn: concreteARN(arn), created: isCreated(n.Action, t)})
		}
	}
	for _, arn := range a.d.renameTargets(cl.role, n, cl.Call) {
		out = append(out, target{arn: concreteARN(arn)})
	}
	switch {
	case len(out) > 0:
		return out
	case n.CustomerKey:
		return nil // no key named: the resource's key is AWS managed
	}
	// A resource the call does not name but the action requires (the
	// secret RDS creates for a managed master password) is one the spec
	// implies, as in the derivation.
	for _, t := range action.Required {
		for _, name := range a.d.catalogue.of(cl.role.account, t) {
			out = append(out, target{arn: concreteARN(arnOf(t, loc, name)), created: isCreated(n.Action, t)})
		}
	}
	if len(out) > 0 {
		return out
	}
	return []target{{arn: "*"}} // a listing, or nothing the call names
}

// named are the ARNs of type t the call's parameters name.
func (a *Authorizer) named(t iam.ResourceType, n iam.Need, c workflows.Call, loc iam.Location) []string {
	var out []string
	for _, field := range a.d.fieldsOf(t, n, c) {
		v, _ := param(c, field)
		for _, s := range v.Static {
			// A field naming several types (ResourceName) holds an ARN of one.
			if arn := arnOf(t, loc, s); s != "" && t.Matches(arn) {
				out = append(out, arn)
			}
		}
	}
	switch t {
	case iam.StateMachineExecution:
		out = append(out, executions(t, loc, c)...)
	case iam.EKSNodegroup:
		out = append(out, nodegroups(t, loc, c)...)
	case iam.S3Object:
		out = append(out, objects(t, loc, c)...)
	}
	return out
}

// executions are the execution a call names, or those of the state
// machine it starts.
func executions(t iam.ResourceType, loc iam.Location, c workflows.Call) []string {
	if arns := c.Params["ExecutionArn"].Static; len(arns) > 0 {
		return arns
	}
	var out []string
	for _, arn := range c.Params["StateMachineArn"].Static {
		out = append(out, t.ARN(loc, arn[strings.LastIndex(arn, ":")+1:]))
	}
	return out
}

// concreteARN fills the parts of an ARN pattern AWS generates (a secret's
// random suffix, a node group's or execution's id) with placeholders.
func concreteARN(arn string) string {
	return strings.NewReplacer("?", "x", "*", "x").Replace(arn)
}

// request is the IAM request of need n on target t, with the context AWS
// sends: the caller, the tags of the request and of the resource (for the
// actions whose condition keys include them), the service the need goes
// through, and the keys the call's parameters give (the grantee of a KMS
// grant, what a RAM share shares and with whom).
func (a *Authorizer) request(cl call, n iam.Need, t target) policyeval.Request {
	ctx := a.principalContext(cl.roleArn)
	action, _ := iam.LookupAction(n.Action)
	addTags(ctx, action, "aws:RequestTag/", cl.tags)
	if hasKey(action, "aws:TagKeys") && len(cl.tags) > 0 {
		ctx["aws:TagKeys"] = slices.Sorted(maps.Keys(cl.tags))
	}
	if t.arn != "*" && !t.created && cl.resourceTags != nil {
		addTags(ctx, action, "aws:ResourceTag/", cl.resourceTags(t.arn))
	}
	expand := strings.NewReplacer("${Partition}", a.d.spec.Project.Partition, "${Region}", a.d.spec.Project.Region,
		"${Account}", cl.role.account.ID)
	for _, cond := range n.Condition { // kms:ViaService, iam:PassedToService
		ctx[cond.Key] = []string{expand.Replace(cond.Values[0])}
	}
	for _, k := range paramKeys[n.Action] {
		if v, _ := param(cl.Call, k.field); len(v.Static) > 0 {
			ctx[k.key] = v.Static
		}
	}
	return policyeval.Request{Principal: session(cl.roleArn), Action: n.Action, Resource: t.arn, Context: ctx}
}

// addTags adds tags under a tag key prefix (aws:RequestTag/), when the
// action's condition keys include it: a service sends only those.
func addTags(ctx map[string][]string, action iam.Action, prefix string, tags map[string]string) {
	if !hasKey(action, prefix+"${TagKey}") {
		return
	}
	for k, v := range tags {
		ctx[prefix+k] = []string{v}
	}
}

// paramKeys are the condition keys whose values a call's parameters give,
// by action: those the derivation scopes grants with (conditions.go).
var paramKeys = map[string][]struct{ field, key string }{
	"kms:CreateGrant":         {{"GranteePrincipal", "kms:GranteePrincipal"}},
	"ram:CreateResourceShare": {{"ResourceArns", "ram:ResourceArn"}, {"Principals", "ram:Principal"}},
}

// principalContext is what AWS says of every caller: its role's ARN
// ("For IAM roles, the request context returns the ARN of the role, not
// the ARN of the user that assumed the role") and its organization.
func (a *Authorizer) principalContext(roleArn string) map[string][]string {
	ctx := map[string][]string{"aws:PrincipalArn": {roleArn}}
	if org := a.d.spec.Project.OrganizationID; org != "" {
		ctx["aws:PrincipalOrgID"] = []string{org}
	}
	return ctx
}

// requestTags are the tags a call passes in its Tags parameter: a list
// of {Key, Value} (most services) or a map (Lambda).
func requestTags(params any) map[string]string {
	m, _ := params.(map[string]any)
	tags := map[string]string{}
	switch list := m["Tags"].(type) {
	case []any:
		for _, e := range list {
			tag, _ := e.(map[string]any)
			if k, ok := tag["Key"].(string); ok {
				tags[k] = scalar(tag["Value"])
			}
		}
	case map[string]any:
		for k, v := range list {
			tags[k] = scalar(v)
		}
	}
	return tags
}

// callOf turns a concrete call into the inventory's form: each leaf of
// the parameters by its dotted path, "[]" for the elements of a list.
func callOf(in asl.Integration, params any) workflows.Call {
	c := workflows.Call{Integration: in, Params: map[string]workflows.Values{}}
	flatten(params, "", c.Params)
	return c
}

func flatten(v any, path string, out map[string]workflows.Values) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			flatten(e, join(path, k), out)
		}
	case []any:
		for _, e := range v {
			flatten(e, path+"[]", out)
		}
	case nil:
	default:
		leaf := out[path]
		leaf.Static = append(leaf.Static, scalar(v))
		out[path] = leaf
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// session is the ARN AWS names the caller by: the session of the role
// Step Functions assumed, named by Step Functions (the name here is the
// simulator's).
func session(roleArn string) string {
	m := strings.SplitN(roleArn, ":", 6)
	if len(m) < 6 || !strings.HasPrefix(m[5], "role/") {
		return roleArn
	}
	name := m[5][strings.LastIndex(m[5], "/")+1:]
	return "arn:" + m[1] + ":sts::" + m[4] + ":assumed-role/" + name + "/refreshgen-simulator"
}

func partitionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[1]
}

// message is AWS's access denied message for a request: who, what, on
// what, and which kind of policy denied or failed to allow it (IAM User
// Guide, Troubleshoot access denied error messages).
func (a *Authorizer) message(roleArn string, req policyeval.Request, d policyeval.Decision) string {
	msg := "User: " + req.Principal + " is not authorized to perform: " + req.Action
	if req.Resource != "*" {
		msg += " on resource: " + req.Resource
	}
	if d.Outcome == policyeval.ImplicitlyDenied {
		msg += " because no " + string(d.Missing) + " policy allows the " + req.Action + " action"
	} else {
		msg += " with an explicit deny in " + article(d.By.Kind) + " " + string(d.By.Kind) + " policy: " + a.policyName(roleArn, req, *d.By)
	}
	if a.roles[roleArn] == nil {
		msg += " (" + roleArn + " is not a role refreshgen derives)"
	}
	return msg
}

func article(k policyeval.Kind) string {
	if k == policyeval.IdentityBased {
		return "an"
	}
	return "a"
}

// policyName names the statement that denied: the role's policy, or the
// resource's, and the statement's Sid.
func (a *Authorizer) policyName(roleArn string, req policyeval.Request, by policyeval.Ref) string {
	name := "the policy of " + req.Resource
	if attached := a.attached(roleArn); by.Kind == policyeval.IdentityBased && by.Policy < len(attached) {
		name = a.roles[roleArn].Name + "/" + attached[by.Policy].Name
	}
	if by.Sid != "" {
		name += " (statement " + by.Sid + ")"
	}
	return name
}

// accessDeniedShapes are the error shapes the API models of aws-sdk
// services give an access denial, for those that have one (the
// AccessDenied shapes of the models botocore ships).
var accessDeniedShapes = map[string]string{
	"eks": "AccessDeniedException", "eventbridge": "AccessDeniedException", "s3": "AccessDenied", "ssm": "AccessDeniedException",
}

// optimizedErrors are the errors of the optimized integrations, named
// after the AWS SDK for Java 1.x exceptions they raise: the service's
// generic one unless its model has an access denial (SNS's
// AuthorizationError).
var optimizedErrors = map[string]string{
	"lambda": asl.ErrLambdaAWSLambdaException, "states": "StepFunctions.AWSStepFunctionsException",
	"sns": "SNS.AuthorizationErrorException", "dynamodb": "DynamoDB.AmazonDynamoDBException",
}

// accessDeniedError is the error a Task calling in fails with when IAM
// refuses the call. Step Functions names an aws-sdk integration's errors
// "ServiceName.ErrorName" after the AWS SDK for Java 2.x exception
// (Step Functions Developer Guide, AWS SDK service integrations): the
// modelled access denial where the service's API model has one, else
// the service's generic exception ("Rds.RdsException"), which is what an
// error the model does not list becomes.
func accessDeniedError(in asl.Integration) string {
	if !in.SDK {
		if name, ok := optimizedErrors[in.Service]; ok {
			return name
		}
		return asl.ErrTaskFailed
	}
	id := asl.ServiceID(in.Service)
	switch {
	case id == "":
		return asl.ErrTaskFailed
	case accessDeniedShapes[in.Service] != "":
		return asl.SDKError(id, accessDeniedShapes[in.Service])
	}
	return asl.SDKServiceException(id)
}
