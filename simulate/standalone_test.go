package simulate

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/sim"
)

// knownStandalone are the library workflows that do not succeed on their
// own from their example input, by "<spec>#<group/key>", with the error
// and a part of the cause they end with, because of a bug outside the
// simulator. A workflow that starts to succeed fails the test: remove its
// entry with the fix.
var knownStandalone = map[string]struct{ error, cause, why string }{}

// TestWorkflowsStandalone runs every workflow of the library on its own,
// from the example input of its contract, against the healthy estate
// with the example's fixtures: each succeeds, unless it is a known
// failure.
func TestSimulateWorkflowsStandalone(t *testing.T) {
	for _, path := range specPaths {
		e := load(t, path)
		succeeded, names := 0, WorkflowNames(e.machines)
		for _, name := range names {
			key := short(path) + "#" + name
			t.Run(key, func(t *testing.T) {
				res, err := RunWorkflow(e.spec, e.machines, e.roles, name, Options{Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				x := res.Execution
				if problems := res.World.Problems(); len(problems) > 0 {
					t.Errorf("the example's fixtures: %v", problems)
				}
				known, isKnown := knownStandalone[key]
				switch {
				case x.Status == sim.Succeeded && isKnown:
					t.Errorf("%s succeeds now: remove it from knownStandalone (%s)", key, known.why)
				case x.Status == sim.Succeeded:
					succeeded++
				case isKnown && x.Error == known.error && strings.Contains(x.Cause, known.cause):
					t.Logf("KNOWN: %s", known.why)
				default:
					t.Errorf("%s in %s: %s", x.Status, res.Duration, outcome(x))
				}
			})
		}
		t.Logf("%s: %d of %d library workflows run standalone to SUCCEEDED", short(path), succeeded, len(names))
	}
}

func TestSimulateRunWorkflowUnknown(t *testing.T) {
	e := load(t, exampleSpec)
	_, err := RunWorkflow(e.spec, e.machines, e.roles, "db/nope", Options{})
	var unknown *UnknownWorkflowError
	if !asError(err, &unknown) || !strings.Contains(err.Error(), "db/restore_cluster") {
		t.Fatalf("got %v, want an UnknownWorkflowError listing the workflows", err)
	}
}
