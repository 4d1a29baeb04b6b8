package awsmock

import (
	"slices"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
)

// TestModelsEveryCall checks that the World answers every operation a
// Task of the generated workflows calls, for the example spec and the
// spec with every feature: a call it does not model would fail the run
// with "awsmock: no model for ...".
func TestModelsEveryCall(t *testing.T) {
	for _, path := range []string{exampleSpec, goldenSpec} {
		seen := map[string]bool{}
		for _, m := range generate(t, loadSpec(t, path)) {
			for l := range m.Definition.Walk() {
				task, ok := l.State.(*asl.Task)
				if !ok {
					continue
				}
				in, _, err := asl.ParseIntegration(task.Resource)
				if err != nil {
					t.Errorf("%s: %s/%s: %s is not a service integration: awsmock models none other", path, m.Workflow.Group, m.Workflow.Key, task.Resource)
					continue
				}
				op := operation{sdk: in.SDK, service: in.Service, action: in.Action, pattern: in.Pattern}
				if in.Service == "states" && in.Action == "startExecution" {
					continue // the simulator runs child executions itself
				}
				if _, ok := handlers[op.key()]; !ok && !seen[op.key()] {
					t.Errorf("%s: %s/%s calls %s, which awsmock does not model", path, m.Workflow.Group, m.Workflow.Key, op.key())
				}
				seen[op.key()] = true
			}
		}
		if len(seen) == 0 {
			t.Errorf("%s: no calls found", path)
		}
		t.Logf("%s: %d operations: %v", path, len(seen), slices.Sorted(func(yield func(string) bool) {
			for k := range seen {
				if !yield(k) {
					return
				}
			}
		}))
	}
}
