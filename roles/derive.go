package roles

import (
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// runner is a role calls run as, keyed by account and name.
type runner struct {
	account *spec.Account
	name    string
}

func (r runner) key() string { return r.account.Name + "/" + r.name }

func (r runner) arn(d *deriver) string { return d.names.RoleARN(r.account.ID, r.name) }

// machineRole is the role a state machine runs as: its refresh's
// orchestrator role, or its library group's workflow role.
func (d *deriver) machineRole(m *workflows.Machine) runner {
	o := d.orchestrator
	if m.Workflow.Group == workflows.GroupOrchestrator {
		if r, ok := d.refreshByName[m.Workflow.Key]; ok {
			return runner{o, d.names.OrchestratorRole(r)}
		}
	}
	return runner{o, d.names.WorkflowRole(string(m.Workflow.Group))}
}

// assumedRole finds the account role an assumed-role ARN names.
func (d *deriver) assumedRole(arn string) (runner, bool) {
	r, ok := d.roleByARN[arn]
	return r, ok
}

func (d *deriver) builder(r runner) *iam.Builder {
	if d.builders[r.key()] == nil {
		d.builders[r.key()] = &iam.Builder{}
	}
	return d.builders[r.key()]
}

// grantCalls gives each role what the calls made under it need, and each
// machine's role the right to assume the roles its calls name.
func (d *deriver) grantCalls(calls []workflows.Call) {
	for _, c := range calls {
		own := d.machineRole(c.Machine)
		runners := []runner{own}
		if c.Assumed() {
			if c.Role.Unknown {
				d.fail("%s %s: the role it assumes is not known at generation time", c.Machine.Name, c.State)
				continue
			}
			runners = nil
			for _, arn := range c.Role.Static {
				r, ok := d.assumedRole(arn)
				if !ok {
					d.fail("%s %s: assumes %s, which is no account role of the spec", c.Machine.Name, c.State, arn)
					continue
				}
				runners = append(runners, r)
				d.grantAssume(own, r)
			}
		}
		for _, r := range runners {
			d.grantCall(r, c)
		}
	}
}

// grantAssume lets own assume r, and records own in r's trust.
func (d *deriver) grantAssume(own, r runner) {
	if d.trusted[r.key()] == nil {
		d.trusted[r.key()] = map[string]bool{}
	}
	d.trusted[r.key()][own.arn(d)] = true
	d.key = assumeKey(d.key[:0], own, r)
	if d.granted[string(d.key)] {
		return // the same statements, granted by an earlier call
	}
	key := string(d.key)
	errs := len(d.errs)
	needs, _ := iam.FeatureNeeds(iam.TaskCredentials)
	for _, n := range needs {
		d.add(own, n, []string{r.arn(d)}, nil)
	}
	if len(d.errs) == errs {
		d.granted[key] = true
	}
}

// grantCall adds the statements one call needs under role r.
func (d *deriver) grantCall(r runner, c workflows.Call) {
	needs, ok := d.needsOf(c.Integration)
	if !ok {
		d.fail("%s %s: no IAM mapping for %s:%s", c.Machine.Name, c.State, c.Integration.Service, c.Integration.Action)
		return
	}
	for i, n := range needs {
		if n.If != "" && !hasParam(c, n.If) {
			continue
		}
		d.grantNeed(r, n, needID{c.Integration, i}, c)
	}
}

// hasParam reports whether the call passes the dotted field (or anything
// inside it).
func hasParam(c workflows.Call, field string) bool {
	for k := range c.Params {
		k = strings.ReplaceAll(k, "[]", "")
		if k == field || strings.HasPrefix(k, field+".") {
			return true
		}
	}
	return false
}

// grantNeed adds the statements of one need: on the resources the call's
// parameters name (or the spec implies), with the conditions the role's
// rules add.
//
// Thousands of calls grant the same thing (every refresh calls the same
// library workflows, and a call whose parameters are known only at run
// time gets every resource of the catalogue): the targets are worked out
// symbolically first (see targetSet), the statement is built and checked
// once per role, need and targets, and a grant equal to an earlier one is
// not added again, which leaves the policy as it was (Builder.Policy
// merges equal statements into one).
func (d *deriver) grantNeed(r runner, n iam.Need, id needID, c workflows.Call) {
	if n.Name != "" {
		d.key = fixedKey(d.key[:0], r, id)
		if d.granted[string(d.key)] {
			return
		}
		key := string(d.key)
		errs := len(d.errs)
		d.add(r, n, nil, nil)
		if len(d.errs) == errs {
			d.granted[key] = true
		}
		return
	}
	ts, ok := d.targetSet(r, n, c)
	if !ok {
		return
	}
	d.key = ts.appendKey(d.key[:0], r, id)
	checked, ok := d.statements[string(d.key)]
	if !ok {
		existing, created := ts.arns()
		st, err := n.CheckedStatement(&d.shapes, d.loc(r.account), append(slices.Clone(existing), created...)...)
		if err != nil {
			d.fail("%s %s: %v", c.Machine.Name, c.State, err)
			return
		}
		checked = checkedStatement{st: st, existing: existing, created: created}
		d.statements[string(d.key)] = checked
	}
	conds := d.conditions(r, n, c)
	renamed := d.renameTargets(r, n, c)
	d.key = appendGrant(d.key, conds, renamed) // the grant: what the statement's key names, and these
	if d.granted[string(d.key)] {
		return
	}
	d.granted[string(d.key)] = true
	st, existing, created := checked.st, checked.existing, checked.created
	st.Condition = append(slices.Clip(st.Condition), conds...)
	// What the call creates has no tags yet: only what exists must carry
	// the managed tag, so the two get separate statements.
	if owned := d.ownership(r, n); len(owned) > 0 && len(existing) > 0 {
		withTag := st
		withTag.Resource = existing
		withTag.Condition = append(slices.Clone(st.Condition), owned...)
		d.builder(r).Add(withTag)
		st.Resource = created
	}
	if len(st.Resource) > 0 {
		d.builder(r).Add(st)
	}
	if len(renamed) > 0 {
		st.Resource = renamed
		d.builder(r).Add(st)
	}
}

// targetSet holds the resources a need of call c authorises against under
// r: those that exist and those the call creates; none for an action with
// no resource type, "*" for one AWS authorises on "*" only. ok is false
// when the need does not apply (no customer managed key in play) or no
// resource can be named.
func (d *deriver) targetSet(r runner, n iam.Need, c workflows.Call) (ts targetSet, ok bool) {
	a, _ := iam.LookupAction(n.Action)
	types := n.On
	if len(types) == 0 {
		types = a.Types()
	}
	if len(types) == 0 {
		return targetSet{}, true
	}
	named := false
	for _, t := range types {
		tt := d.typeTargets(r, t, n, a, c)
		named = named || !tt.empty()
		if isCreated(n.Action, t) {
			ts.created = append(ts.created, tt)
		} else {
			ts.existing = append(ts.existing, tt)
		}
	}
	if named {
		return ts, true
	}
	switch {
	case n.CustomerKey:
		return targetSet{}, false // the service's own key needs nothing
	case a.Wildcard == "":
		d.fail("%s %s: %s: no resource of types %v can be named", c.Machine.Name, c.State, n.Action, types)
		return targetSet{}, false
	}
	return targetSet{star: true}, true
}

// add grants a need on arns with extra conditions.
func (d *deriver) add(r runner, n iam.Need, arns []string, extra []iam.Condition) {
	st, err := n.Statement(d.loc(r.account), arns...)
	if err != nil {
		d.fail("%s: %v", r.key(), err)
		return
	}
	st.Condition = append(st.Condition, extra...)
	d.builder(r).Add(st)
}
