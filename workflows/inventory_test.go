package workflows

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// TestInventoryFollowsValuesIntoChildren: the accounts and names the
// orchestrator writes reach the calls of the library workflows it starts,
// through every level of child calls.
func TestInventoryFollowsValuesIntoChildren(t *testing.T) {
	ms, _ := Generate(exampleSpec(t))
	calls := Inventory(ms)
	s := exampleSpec(t)
	prod := s.Account("production")
	var deletes []Call
	for _, c := range calls {
		if c.Integration.Service == "rds" && c.Integration.Action == "deleteDBCluster" {
			deletes = append(deletes, c)
		}
	}
	if len(deletes) == 0 {
		t.Fatal("no deleteDBCluster call found")
	}
	for _, c := range deletes {
		ids := c.Params["DbClusterIdentifier"]
		if ids.Unknown || len(ids.Static) == 0 {
			t.Fatalf("%s: cluster ids not traced: %+v", c.State, ids)
		}
		for _, id := range ids.Static {
			if !strings.HasSuffix(id, "-old") && !strings.HasSuffix(id, "-restore") {
				t.Errorf("%s may delete %q, which is neither a -restore nor an -old cluster", c.State, id)
			}
		}
		for _, role := range c.Role.Static {
			if strings.Contains(role, prod.ID) {
				t.Errorf("%s deletes a cluster with the production role %s", c.State, role)
			}
		}
	}
}

// TestInventoryMissesNoCall: every Task of every machine a refresh starts
// is in the inventory, under a known role. A Map the analysis could not
// follow would drop its calls, and IAM would then lack what they need.
func TestInventoryMissesNoCall(t *testing.T) {
	ms, _ := Generate(exampleSpec(t))
	seen := map[string]bool{}
	for _, c := range Inventory(ms) {
		if c.Role.Unknown {
			t.Errorf("%s %s: role not known", c.Machine.Name, c.State)
		}
		seen[c.Machine.Name+" "+c.State] = true
	}
	for _, m := range ms {
		if !seen[m.Name+" "+firstState(m.Definition)] && m.Workflow.Group != GroupOrchestrator {
			continue // a library workflow no refresh of the example uses
		}
		for l := range m.Definition.Walk() {
			if _, ok := l.State.(*asl.Task); ok && !seen[m.Name+" "+l.At] {
				t.Errorf("%s %s is not in the inventory", m.Name, l.At)
			}
		}
	}
}

// firstState is the place of a machine's first Task.
func firstState(m *asl.Machine) string {
	for l := range m.Walk() {
		if _, ok := l.State.(*asl.Task); ok {
			return l.At
		}
	}
	return ""
}

// TestInventoryKeepsRefreshesApart: a library workflow two refreshes use
// is seen once per refresh, so no call pairs one refresh's account with
// the other's resources.
func TestInventoryKeepsRefreshesApart(t *testing.T) {
	ms, _ := Generate(exampleSpec(t))
	s := exampleSpec(t)
	staging, dev := s.Account("staging"), s.Account("dev")
	for _, c := range Inventory(ms) {
		for _, role := range c.Role.Static {
			var other *spec.Account
			switch {
			case strings.Contains(role, staging.ID):
				other = dev
			case strings.Contains(role, dev.ID):
				other = staging
			default:
				continue // a source call: it serves both
			}
			for field, v := range c.Params {
				for _, value := range v.Static {
					if strings.Contains(value, other.ID) || strings.HasPrefix(value, other.Name+"-") {
						t.Errorf("%s %s runs as %s but %s may be %q", c.Machine.Name, c.State, role, field, value)
					}
				}
			}
		}
	}
}
