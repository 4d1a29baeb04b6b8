package roles

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/iam/policyeval"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/workflows"
)

// TestWorkflowCallsAreAuthorized: every call of every workflow, made with
// concrete parameters of a correct run (each value the inventory knows,
// in turn; a run-time part filled in; a value known only at run time
// taken from what the spec implies), under the role it runs as, on
// resources that carry the managed tag, is authorized; and so is every
// role it assumes.
func TestWorkflowCallsAreAuthorized(t *testing.T) {
	forEachSpec(t, func(t *testing.T, d *deriver, calls []workflows.Call) {
		az := NewAuthorizer(d.spec, d.roles())
		tag := d.spec.Project.ManagedTag
		tagged := func(string) map[string]string { return map[string]string{tag.Key: tag.Value} }
		made, assumed := 0, 0
		for _, c := range calls {
			own := d.machineRole(c.Machine)
			if got := az.MachineRole(c.Machine); got != own.arn(d) {
				t.Fatalf("%s runs as %s, not %s", c.Machine.Name, own.arn(d), got)
			}
			for _, r := range runnersOf(d, c) {
				if r != own {
					assumed++
					checkAssume(t, az, d, c, own, r)
				}
				for i := range variants(c) {
					made++
					if err := az.Authorize(r.arn(d), c.Integration, concreteParams(d, r, c, i), tagged); err != nil {
						t.Errorf("%s %s as %s: %v", c.Machine.Name, c.State, r.name, err)
					}
				}
			}
		}
		t.Logf("%d calls from %d inventory calls authorized; %d role assumptions checked", made, len(calls), assumed)
	})
}

// checkAssume wants a workflow role to be able to assume the role r.
func checkAssume(t *testing.T, az *Authorizer, d *deriver, c workflows.Call, own, r runner) {
	t.Helper()
	if err := az.AuthorizeAssume(own.arn(d), r.arn(d)); err != nil {
		t.Errorf("%s %s: %v", c.Machine.Name, c.State, err)
	}
}

// runnersOf are the roles a call runs as.
func runnersOf(d *deriver, c workflows.Call) []runner {
	if !c.Assumed() {
		return []runner{d.machineRole(c.Machine)}
	}
	var out []runner
	for _, arn := range c.Role.Static {
		if r, ok := d.assumedRole(arn); ok {
			out = append(out, r)
		}
	}
	return out
}

// variants is how many sets of parameters a call is tried with: enough
// for each value the inventory knows of each field to appear once.
func variants(c workflows.Call) int {
	n := 1
	for _, v := range c.Params {
		n = max(n, len(v.Static))
	}
	return n
}

// concreteParams builds the i-th set of parameters of a call, as the
// workflow would pass them: each field's i-th value (modulo its count),
// "*" run-time parts filled in; a field known only at run time, or only
// as a pattern that does not start with a name, is given the ARNs the
// spec implies for its resource type (as the derivation does).
func concreteParams(d *deriver, r runner, c workflows.Call, i int) map[string]any {
	root := map[string]any{}
	for field, v := range c.Params {
		if strings.HasPrefix(field, "Tags[].") {
			continue
		}
		put(root, strings.Split(field, "."), pick(fieldValues(d, r, field, v), i))
	}
	if tags := tagList(d, c); len(tags) > 0 {
		root["Tags"] = tags
	}
	fillFromMapItems(d, r, c, root, i)
	return root
}

// fieldValues are the values a field may take: its known ones, and what
// the spec implies when it has an unknown or unusable one. An empty
// value ("no final snapshot") is kept only when it is the only one.
func fieldValues(d *deriver, r runner, field string, v workflows.Values) []string {
	var out []string
	unusable := v.Unknown
	for _, s := range v.Static {
		switch {
		case s == "":
		case !usable(s):
			unusable = true
		default:
			out = append(out, strings.ReplaceAll(s, "*", "x1"))
		}
	}
	if unusable {
		for _, arn := range implied(d, r, field) {
			out = append(out, concreteARN(arn))
		}
	}
	if len(out) == 0 && slices.Contains(v.Static, "") {
		return []string{""}
	}
	return out
}

// fillFromMapItems names the resource of a call that names none of the
// types its action authorises against: the inventory does not follow a
// value taken from a Map item (a node group, an instance of the cluster),
// where the derivation grants what the spec implies.
func fillFromMapItems(d *deriver, r runner, c workflows.Call, root map[string]any, i int) {
	needs, ok := iam.NeedsOf(c.Integration)
	if !ok {
		return
	}
	a, _ := iam.LookupAction(needs[0].Action)
	for _, t := range a.Types() {
		for _, field := range paramsOf[t] {
			if hasParam(c, field) {
				return
			}
		}
	}
	if _, ok := c.Params["ClusterName"]; ok && slices.Contains(a.Types(), iam.EKSNodegroup) {
		ngs := d.catalogue.of(r.account, iam.EKSNodegroup)
		ng := pick(ngs, i)
		root["NodegroupName"] = ng[strings.Index(ng, "/")+1:]
	}
	for _, t := range a.Required {
		if fields := paramsOf[t]; len(fields) > 0 {
			root[fields[0]] = pick(fieldValues(d, r, fields[0], workflows.Values{Unknown: true}), i)
		}
	}
}

func pick(values []string, i int) string {
	if len(values) == 0 {
		return "x1"
	}
	return values[i%len(values)]
}

// tagList are the tags a call passes, each key with a value: the managed
// tag's own for it, any other for the rest.
func tagList(d *deriver, c workflows.Call) []any {
	tag := d.spec.Project.ManagedTag
	var out []any
	for _, k := range c.Params["Tags[].Key"].Static {
		v := "x1"
		if k == tag.Key {
			v = tag.Value
		}
		out = append(out, map[string]any{"Key": k, "Value": v})
	}
	return out
}

// implied are the ARNs the spec implies in the role's account for the
// resource types a field names (a rename's new name among them).
func implied(d *deriver, r runner, field string) []string {
	field = strings.ReplaceAll(field, "[]", "")
	loc := d.loc(r.account)
	var out []string
	for _, t := range slices.Sorted(maps.Keys(paramsOf)) {
		if slices.Contains(paramsOf[t], field) || renamed[field] == t {
			for _, s := range d.catalogue.of(r.account, t) {
				out = append(out, arnOf(t, loc, s))
			}
		}
	}
	return out
}

// renamed are the fields of the new names renameTargets grants.
var renamed = map[string]iam.ResourceType{"NewDBClusterIdentifier": iam.RDSCluster, "NewDBInstanceIdentifier": iam.RDSInstance}

// put sets the value at a dotted path whose "[]" segments are lists of
// one element, creating what is missing.
func put(m map[string]any, path []string, value string) {
	key, list := strings.CutSuffix(path[0], "[]")
	if len(path) == 1 {
		if list {
			m[key] = []any{value}
		} else {
			m[key] = value
		}
		return
	}
	if !list {
		child, _ := m[key].(map[string]any)
		if child == nil {
			child = map[string]any{}
			m[key] = child
		}
		put(child, path[1:], value)
		return
	}
	elems, _ := m[key].([]any)
	if len(elems) == 0 {
		elems = []any{map[string]any{}}
		m[key] = elems
	}
	put(elems[0].(map[string]any), path[1:], value)
}

// example is the authorizer of the example spec, with what the tests
// need to name its roles and resources.
type example struct {
	d  *deriver
	az *Authorizer
}

func newExample(t *testing.T) example {
	d, _ := derive(t, specs[0])
	return example{d: d, az: NewAuthorizer(d.spec, d.roles())}
}

func (e example) accountRole(name string) string {
	return e.d.names.AccountRoleARN(e.d.spec.Account(name))
}

func (e example) managed() map[string]string {
	tag := e.d.spec.Project.ManagedTag
	return map[string]string{tag.Key: tag.Value}
}

func deleteCluster(identifier string) map[string]any {
	return map[string]any{"DbClusterIdentifier": identifier, "SkipFinalSnapshot": true}
}

func TestDestinationCannotDeleteAnUntaggedCluster(t *testing.T) {
	e := newExample(t)
	staging := e.d.spec.Account("staging")
	var target string
	for _, r := range e.d.spec.Refreshes {
		if r.Destination == staging {
			target = names.OldCluster(r.Databases[0]) // what the workflows delete
		}
	}
	role := e.accountRole("staging")
	del := asl.SDKCall("rds", "deleteDBCluster")
	if err := e.az.Authorize(role, del, deleteCluster(target), func(string) map[string]string { return e.managed() }); err != nil {
		t.Fatalf("deleting the managed target: %v", err)
	}
	err := e.az.Authorize(role, del, deleteCluster(target), func(string) map[string]string { return map[string]string{"team": "app"} })
	denied := wantDenied(t, err, policyeval.ImplicitlyDenied, "Rds.RdsException")
	cause := "User: arn:aws:sts::222222222222:assumed-role/" + e.d.names.AccountRole(staging) + "/refreshgen-simulator" +
		" is not authorized to perform: rds:DeleteDBCluster on resource: arn:aws:rds:eu-west-1:222222222222:cluster:" + target +
		" because no identity-based policy allows the rds:DeleteDBCluster action"
	if denied.Cause != cause {
		t.Errorf("cause\n %s\nwant\n %s", denied.Cause, cause)
	}
}

func TestSourceCannotDeleteProduction(t *testing.T) {
	e := newExample(t)
	production := e.d.spec.Account("production")
	prod := e.d.spec.Refreshes[0].Databases[0].From.Identifier
	err := e.az.Authorize(e.accountRole("production"), asl.SDKCall("rds", "deleteDBCluster"), deleteCluster(prod),
		func(string) map[string]string { return e.managed() })
	denied := wantDenied(t, err, policyeval.ExplicitlyDenied, "Rds.RdsException")
	want := "with an explicit deny in an identity-based policy: " + e.d.names.AccountRole(production) + "/guardrails (statement DenyDatabaseChanges)"
	if !strings.HasSuffix(denied.Cause, want) {
		t.Errorf("cause %q does not end with %q", denied.Cause, want)
	}
}

func TestUnknownRolesAreDenied(t *testing.T) {
	e := newExample(t)
	ghost := "arn:aws:iam::222222222222:role/not-derived"
	err := e.az.Authorize(ghost, asl.SDKCall("rds", "describeDBClusters"), map[string]any{}, nil)
	denied := wantDenied(t, err, policyeval.ImplicitlyDenied, "Rds.RdsException")
	if !strings.Contains(denied.Cause, "not a role refreshgen derives") {
		t.Errorf("cause %q", denied.Cause)
	}
	orchestrator := e.d.names.RoleARN(e.d.spec.Orchestrator().ID, e.d.names.OrchestratorRole(e.d.spec.Refreshes[0]))
	wantDenied(t, e.az.AuthorizeAssume(orchestrator, ghost), policyeval.ImplicitlyDenied, asl.ErrTaskFailed)
	wantDenied(t, e.az.AuthorizeAssume(ghost, e.accountRole("staging")), policyeval.ImplicitlyDenied, asl.ErrTaskFailed)
}

// TestRequestContext: the context AWS sends is built from the call.
func TestRequestContext(t *testing.T) {
	e := newExample(t)
	role := e.accountRole("staging")
	tag := e.d.spec.Project.ManagedTag
	restore := map[string]any{
		"DbClusterIdentifier": "app-restore", "SnapshotIdentifier": "arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:s",
		"Engine": "aurora-mysql", "DbSubnetGroupName": "g", "KmsKeyId": "arn:aws:kms:eu-west-1:222222222222:key/k",
		"Tags": []any{map[string]any{"Key": tag.Key, "Value": "no"}},
	}
	err := e.az.Authorize(role, asl.SDKCall("rds", "restoreDBClusterFromSnapshot"), restore, nil)
	denied := wantDenied(t, err, policyeval.ImplicitlyDenied, "Rds.RdsException")
	if got := denied.Request.Context["aws:RequestTag/"+tag.Key]; !slices.Equal(got, []string{"no"}) {
		t.Errorf("request tag %v", got)
	}
	if got := denied.Request.Context["aws:TagKeys"]; !slices.Equal(got, []string{tag.Key}) {
		t.Errorf("tag keys %v", got)
	}
	lambda := map[string]any{"FunctionName": "f", "Role": "arn:aws:iam::222222222222:role/r", "Tags": map[string]any{"a": "b"}}
	if got := requestTags(lambda); !maps.Equal(got, map[string]string{"a": "b"}) {
		t.Errorf("map tags give %v", got)
	}
}

func TestAccessDeniedErrorNames(t *testing.T) {
	tests := []struct {
		in   asl.Integration
		want string
	}{
		{asl.SDKCall("rds", "deleteDBCluster"), "Rds.RdsException"},
		{asl.SDKCall("efs", "deleteFileSystem"), "Efs.EfsException"},
		{asl.SDKCall("secretsmanager", "getSecretValue"), "SecretsManager.SecretsManagerException"},
		{asl.SDKCall("ssm", "getParameter"), "Ssm.AccessDeniedException"},
		{asl.SDKCall("eks", "describeCluster"), "Eks.AccessDeniedException"},
		{asl.SDKCall("resourcegroupstaggingapi", "getResources"), "ResourceGroupsTaggingApi.ResourceGroupsTaggingApiException"},
		{asl.LambdaInvoke(), asl.ErrLambdaAWSLambdaException},
		{asl.StartExecution(asl.Sync2), "StepFunctions.AWSStepFunctionsException"},
	}
	for _, tt := range tests {
		if got := accessDeniedError(tt.in); got != tt.want {
			t.Errorf("%s:%s: %s, want %s", tt.in.Service, tt.in.Action, got, tt.want)
		}
	}
	for _, in := range iam.Integrations() {
		if in.SDK && accessDeniedError(in) == asl.ErrTaskFailed {
			t.Errorf("aws-sdk:%s has no service ID in sdkServices", in.Service)
		}
	}
}

func wantDenied(t *testing.T, err error, outcome policyeval.Outcome, name string) *AccessDenied {
	t.Helper()
	var denied *AccessDenied
	if !errors.As(err, &denied) {
		t.Fatalf("got %v, want an AccessDenied", err)
	}
	if denied.Decision.Outcome != outcome || denied.Name != name {
		t.Errorf("%s (%s): %s, want %s %s", denied.Name, denied.Decision, denied.Cause, name, outcome)
	}
	return denied
}
