package policyeval_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/iam/iamcheck"
	"github.com/refreshgen/refreshgen/iam/policyeval"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// TestAgreesWithSimulator is the differential test: requests generated
// from every policy of the example spec's roles (what each statement
// grants or denies, its neighbours in name and account, its conditions
// met, broken and missing, and the trust policies' callers) are decided
// by Evaluate and by iam-check's simulator, which must agree on each.
//
// The simulator drops the context keys that are not applicable to the
// action and resource (AWS services do not send them) and reports them;
// Evaluate is given the same context without them.
func TestAgreesWithSimulator(t *testing.T) {
	tool := iamcheck.Require(t)
	for _, path := range []string{"../../examples/refresh.hcl", "../../testdata/golden/render-every-feature/refresh.hcl"} {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			g := newGenerator(t, path)
			g.probeRoles()
			if len(g.probes) < 200 {
				t.Fatalf("only %d requests generated", len(g.probes))
			}
			compare(t, tool, g)
		})
	}
}

// compare runs the probes through the simulator and Evaluate.
func compare(t *testing.T, tool iamcheck.Tool, g *generator) {
	check := iamcheck.Check{Policies: g.docs, Extra: g.extra}
	for i, p := range g.probes {
		check.Scenarios = append(check.Scenarios, p.scenario(i))
	}
	res, err := tool.Run(t.TempDir(), check)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for i, o := range res.Outcomes {
		p := g.probes[i]
		d := g.evaluate(p, o.Ignored)
		counts[string(d.Outcome)]++
		if len(o.Ignored) > 0 {
			counts["ignored"]++
		}
		if p.resource != "" {
			counts["resource"]++
		}
		if o.Got != string(d.Outcome) {
			t.Errorf("%s: Evaluate says %s, the simulator %s\n  %s", p.name, d, o.Got, o.Line)
		}
	}
	t.Logf("%d requests (%d with a resource-based policy, %d with context keys the simulator ignored): %d Allowed, %d ImplicitlyDenied, %d ExplicitlyDenied",
		len(g.probes), counts["resource"], counts["ignored"], counts[string(policyeval.Allowed)],
		counts[string(policyeval.ImplicitlyDenied)], counts[string(policyeval.ExplicitlyDenied)])
}

// probe is one generated request and the documents it is decided against.
type probe struct {
	name     string
	req      policyeval.Request
	identity []string // document names
	resource string   // document name, "" for none
}

func (p probe) scenario(i int) iamcheck.Scenario {
	return iamcheck.Scenario{
		Name: fmt.Sprintf("%d %s", i, p.name), Policies: p.identity, ResourcePolicy: p.resource,
		Principal: p.req.Principal, Action: p.req.Action, Resource: p.req.Resource,
		ResourceAccount: p.req.ResourceAccount, Context: p.req.Context,
		Expect: iamcheck.Allowed, // the comparison is done on Got
	}
}

// generator builds probes from the roles of a spec.
type generator struct {
	t      *testing.T
	spec   *spec.Spec
	names  *names.Names
	roles  []roles.Role
	docs   map[string]iam.Policy // role policies, validated by iam-check
	extra  map[string]iam.Policy // key policies, a stand-in caller policy
	probes []probe
	seen   map[string]bool
}

func newGenerator(t *testing.T, path string) *generator {
	s := load(t, path)
	ms, err := workflows.Generate(s)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := roles.Derive(s, ms)
	if err != nil {
		t.Fatal(err)
	}
	g := &generator{t: t, spec: s, names: names.New(s), roles: rs,
		docs: map[string]iam.Policy{}, extra: map[string]iam.Policy{}, seen: map[string]bool{}}
	for _, account := range accounts(s) {
		g.extra[keyPolicy(account)] = iam.Policy{Statement: []iam.Statement{{Sid: "EnableIAMPolicies", Effect: iam.Allow,
			Principal: &iam.Principal{AWS: []string{"arn:aws:iam::" + account + ":root"}}, Action: []string{"kms:*"}, Resource: []string{"*"}}}}
	}
	g.extra["assume-any"] = iam.Policy{Statement: []iam.Statement{{Sid: "AssumeAny", Effect: iam.Allow,
		Action: []string{"sts:AssumeRole"}, Resource: []string{"*"}}}}
	for _, r := range rs {
		for _, p := range r.Policies {
			g.docs[docName(r, p.Name)] = p.Policy
		}
		g.docs[docName(r, "trust")] = r.Trust
	}
	return g
}

func load(t *testing.T, path string) *spec.Spec {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	res := spec.Load(path, src, spec.Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, rel))
	}})
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	return res.Spec
}

// accounts are those of the spec and the stranger otherAccount puts
// resources in; each has a key policy.
func accounts(s *spec.Spec) []string {
	out := []string{stranger}
	for _, a := range s.Accounts {
		out = append(out, a.ID)
	}
	return out
}

const stranger = "999999999999"

func docName(r roles.Role, policy string) string {
	return r.Account.Name + "__" + r.Name + "__" + policy
}

func keyPolicy(account string) string { return "key-policy-" + account }

// add records a probe once.
func (g *generator) add(p probe) {
	id := fmt.Sprint(p.req, p.identity, p.resource)
	if g.seen[id] {
		return
	}
	g.seen[id] = true
	g.probes = append(g.probes, p)
}

// evaluate decides a probe as Evaluate does, without the ignored keys.
func (g *generator) evaluate(p probe, ignored []string) policyeval.Decision {
	req := p.req
	req.Context = map[string][]string{}
	for k, v := range p.req.Context {
		if !slices.Contains(ignored, k) {
			req.Context[k] = v
		}
	}
	var identity []iam.Policy
	for _, name := range p.identity {
		identity = append(identity, g.doc(name))
	}
	var resource *iam.Policy
	if p.resource != "" {
		doc := g.doc(p.resource)
		resource = &doc
	}
	return policyeval.Evaluate(req, identity, resource)
}

func (g *generator) doc(name string) iam.Policy {
	if p, ok := g.docs[name]; ok {
		return p
	}
	return g.extra[name]
}

func (g *generator) roleARN(r roles.Role) string { return g.names.RoleARN(r.Account.ID, r.Name) }

// probeRoles generates the probes of every role: its identity statements
// and its trust policy.
func (g *generator) probeRoles() {
	for _, r := range g.roles {
		var attached []string
		for _, p := range r.Policies {
			attached = append(attached, docName(r, p.Name))
		}
		for _, p := range r.Policies {
			for _, st := range p.Policy.Statement {
				g.probeStatement(r, attached, st)
			}
		}
		g.probeTrust(r)
	}
}

// probeStatement generates requests around one identity statement: each
// action it names (wildcards expanded to the actions of refreshgen's
// table) on each resource it names, on neighbours of it, and with its
// conditions met, broken and missing.
func (g *generator) probeStatement(r roles.Role, attached []string, st iam.Statement) {
	loc := iam.Location{Partition: g.spec.Project.Partition, Region: g.spec.Project.Region, Account: r.Account.ID}
	patterns := slices.Concat(st.Resource, st.NotResource)
	if len(patterns) == 0 {
		patterns = []string{"*"}
	}
	for _, action := range expand(st.Action) {
		for _, arn := range resourcesFor(action, patterns, loc) {
			for _, ctx := range contexts(st.Condition) {
				g.addRequest(r, attached, action, arn, ctx)
			}
		}
	}
}

// addRequest adds the request, on the resource's account (the role's for
// an ARN without one), with the key policy for a KMS key and the trust
// policy for a role to assume.
func (g *generator) addRequest(r roles.Role, attached []string, action, arn string, ctx map[string][]string) {
	caller := g.roleARN(r)
	ctx = with(ctx, "aws:PrincipalArn", caller)
	req := policyeval.Request{Principal: caller, Action: action, Resource: arn, Context: ctx}
	account := accountOf(arn)
	if account == "" {
		req.ResourceAccount = r.Account.ID
		account = r.Account.ID
	}
	p := probe{name: r.Name + " " + action, req: req, identity: attached}
	switch {
	case strings.HasPrefix(action, "kms:") && arn != "*":
		p.resource = keyPolicy(account)
	case action == "sts:AssumeRole":
		if target, ok := g.roleByARN(arn); ok {
			p.resource = docName(target, "trust")
		}
	}
	g.add(p)
}

func (g *generator) roleByARN(arn string) (roles.Role, bool) {
	for _, r := range g.roles {
		if g.roleARN(r) == arn {
			return r, true
		}
	}
	return roles.Role{}, false
}

// probeTrust generates the callers of a role's trust policy: the one each
// statement names, a neighbour of it, and the service with its source
// keys met, broken and missing.
func (g *generator) probeTrust(r roles.Role) {
	target := g.roleARN(r)
	for _, st := range r.Trust.Statement {
		if st.Principal == nil {
			continue
		}
		for _, svc := range st.Principal.Service {
			for _, ctx := range contexts(st.Condition) {
				g.add(probe{name: "trust " + r.Name + " " + svc, resource: docName(r, "trust"),
					req: policyeval.Request{Principal: svc, Action: "sts:AssumeRole", Resource: target, Context: ctx}})
			}
		}
		for _, caller := range callers(st) {
			for _, ctx := range contexts(st.Condition) {
				ctx = with(ctx, "aws:PrincipalArn", caller)
				g.add(probe{name: "trust " + r.Name + " from " + caller, identity: []string{"assume-any"},
					resource: docName(r, "trust"),
					req:      policyeval.Request{Principal: caller, Action: "sts:AssumeRole", Resource: target, Context: ctx}})
			}
		}
	}
}

// callers are the roles a trust statement names through aws:PrincipalArn
// or its Principal, and a role of the same account it does not name.
func callers(st iam.Statement) []string {
	var out []string
	for _, c := range st.Condition {
		if c.Key == "aws:PrincipalArn" {
			out = append(out, c.Values...)
		}
	}
	for _, p := range st.Principal.AWS {
		if strings.HasSuffix(p, ":root") {
			out = append(out, strings.TrimSuffix(p, "root")+"role/someone-else")
		} else {
			out = append(out, p)
		}
	}
	return out
}

// expand turns action patterns into the actions of refreshgen's table
// they match, at most two for each wildcard.
func expand(patterns []string) []string {
	var out []string
	for _, p := range patterns {
		if !strings.ContainsAny(p, "*?") {
			out = append(out, p)
			continue
		}
		n := 0
		for _, a := range iam.Actions() {
			if n < 2 && wildcard(p, a.Name) {
				out = append(out, a.Name)
				n++
			}
		}
	}
	return out
}

// wildcard matches an action pattern whose only wildcard is a final *.
func wildcard(pattern, action string) bool {
	prefix, ok := strings.CutSuffix(pattern, "*")
	return ok && !strings.ContainsAny(prefix, "*?") && strings.HasPrefix(strings.ToLower(action), strings.ToLower(prefix))
}

// resourcesFor picks, for an action of refreshgen's table and each
// pattern, a concrete ARN of a type the action authorises against that
// the pattern matches (one of each type for "*"), and two neighbours: the
// same name in another account, and another name.
func resourcesFor(action string, patterns []string, loc iam.Location) []string {
	a, ok := iam.LookupAction(action)
	switch {
	case !ok:
		return nil // a helper's own call (logs, client mounts): no resource types to pick from
	case len(a.Types()) == 0:
		return []string{"*"}
	}
	var out []string
	for _, p := range patterns {
		for _, t := range a.Types() {
			arn := concrete(p)
			if p == "*" {
				arn = concrete(t.ARN(loc, "probe"))
			}
			if !t.Matches(arn) {
				continue
			}
			out = append(out, arn, otherAccount(arn), otherName(arn))
		}
	}
	return out
}

// concrete turns an ARN pattern into one ARN it matches.
func concrete(arn string) string {
	return strings.NewReplacer("*", "x1", "?", "a").Replace(arn)
}

func otherAccount(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[4] == "" {
		return arn
	}
	parts[4] = stranger
	return strings.Join(parts, ":")
}

// otherName puts "zz" before the name, after the resource type.
func otherName(arn string) string {
	i := strings.LastIndexAny(arn, ":/") + 1
	if i <= 0 || strings.HasSuffix(arn, ":::") {
		return arn
	}
	return arn[:i] + "zz" + arn[i:]
}

func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// contexts are the request contexts a statement's conditions call for:
// every key as the condition wants it, the first one with a value it does
// not want, and none of them.
func contexts(conds []iam.Condition) []map[string][]string {
	if len(conds) == 0 {
		return []map[string][]string{{}}
	}
	met, broken := map[string][]string{}, map[string][]string{}
	for i, c := range conds {
		v := concrete(c.Values[0])
		met[c.Key] = []string{v}
		if i == 0 {
			v += "x"
		}
		broken[c.Key] = []string{v}
	}
	return []map[string][]string{met, broken, {}}
}

// with returns a copy of ctx with key set to value.
func with(ctx map[string][]string, key, value string) map[string][]string {
	out := map[string][]string{key: {value}}
	for k, v := range ctx {
		if k != key {
			out[k] = v
		}
	}
	return out
}
