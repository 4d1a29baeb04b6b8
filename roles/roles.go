// Package roles derives every IAM role refreshgen renders: the roles the
// state machines run as, the roles they assume in source and destination
// accounts, the Lambda helpers' execution roles and the service roles of
// AWS Backup and EventBridge Scheduler.
//
// Nothing is hand-listed: a role may do exactly what the calls made under
// it need (workflows.Inventory), mapped to IAM by the tables of package
// iam, on exactly the resources the spec implies. On top of that, the
// source role carries explicit denials of every change to production, and
// the destination role may only delete or modify what carries the managed
// tag.
package roles

import (
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// Role is one IAM role.
type Role struct {
	Account *spec.Account
	Name    string
	// Purpose says in a sentence what the role is for.
	Purpose string
	// Existing is true for an account role the spec names with
	// existing_role_name: refreshgen attaches its policies but renders no
	// trust policy, the role's owner keeps it.
	Existing bool
	Trust    iam.Policy
	Policies []Policy
	// Runs are the ARNs of the state machines that run as the role, in the
	// generator's order; none for a role the workflows assume.
	Runs []string
	// Managed lists AWS managed policies to attach (service roles only).
	Managed []string
}

// Policy is one identity policy of a role.
type Policy struct {
	Name   string // e.g. "identity", "guardrails", "logging"
	Policy iam.Policy
	// Feature names the Terraform switch that attaches it ("logging",
	// "tracing"); empty means always attached.
	Feature string
}

// Derive returns every role of a spec, sorted by account and name.
func Derive(s *spec.Spec, machines []workflows.Machine) ([]Role, error) {
	d := newDeriver(s, machines)
	if err := d.derive(workflows.Inventory(machines)); err != nil {
		return nil, err
	}
	return d.roles(), nil
}

func newDeriver(s *spec.Spec, machines []workflows.Machine) *deriver {
	d := &deriver{spec: s, names: names.New(s), machines: machines, byName: map[string]*Role{}, roleByARN: map[string]runner{},
		orchestrator: s.Orchestrator(), refreshByName: make(map[string]*spec.Refresh, len(s.Refreshes)),
		needs: map[asl.Integration][]iam.Need{}, catSets: map[catKey]*catalogueSet{}, statements: map[string]checkedStatement{},
		granted: map[string]bool{}}
	d.catalogue = newCatalogue(s, d.names)
	for _, r := range s.Refreshes {
		if _, dup := d.refreshByName[r.Name]; !dup {
			d.refreshByName[r.Name] = r
		}
	}
	for _, a := range s.Accounts {
		d.roleByARN[d.names.AccountRoleARN(a)] = runner{a, d.names.AccountRole(a)}
	}
	return d
}

// roles returns the roles derived, sorted by account and name.
func (d *deriver) roles() []Role {
	out := make([]Role, 0, len(d.byName))
	for _, r := range d.byName {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Role) int {
		return strings.Compare(a.Account.Name+"/"+a.Name, b.Account.Name+"/"+b.Name)
	})
	return out
}

// deriver accumulates statements per role as it walks the inventory.
type deriver struct {
	spec      *spec.Spec
	names     *names.Names
	machines  []workflows.Machine
	catalogue *catalogue
	byName    map[string]*Role
	// roleByARN is the account role of every account, by ARN.
	roleByARN map[string]runner
	builders  map[string]*iam.Builder    // role key -> identity statements
	trusted   map[string]map[string]bool // role key -> ARNs of the roles that assume it
	errs      []string

	// Read-only after newDeriver: the orchestrator account and the
	// refreshes by name, which machineRole asks for on every call.
	orchestrator  *spec.Account
	refreshByName map[string]*spec.Refresh

	// What derive remembers while it walks the inventory (see grants.go):
	// the needs of each integration, the catalogue ARNs of each account and
	// type, the statements already checked and the grants already added.
	needs      map[asl.Integration][]iam.Need
	catSets    map[catKey]*catalogueSet
	statements map[string]checkedStatement
	granted    map[string]bool
	key        keyBuf          // the key being built, reused
	shapes     iam.ShapeChecks // the ARNs checked against resource types
}

func (d *deriver) fail(format string, args ...any) {
	d.errs = append(d.errs, fmt.Sprintf(format, args...))
}

// loc is where a role's resources live.
func (d *deriver) loc(a *spec.Account) iam.Location {
	return iam.Location{Partition: d.spec.Project.Partition, Region: d.spec.Project.Region, Account: a.ID}
}
