package awsmock

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// knownScenarioFindings are the scenarios whose run does not end as the
// scenario expects because of a bug outside awsmock, with the status it
// ends in instead. A scenario that starts to end as expected fails the
// test: remove its entry with the fix.
var knownScenarioFindings = map[string]sim.Status{
	// restore_cluster's wait gives up inside the refresh timeout now, but
	// the failure path's NotifyFailure reads $.Error.Cause, which a
	// States.Timeout does not have: the run ends FAILED States.Runtime,
	// and nothing reports the failure.
	"restore-never-available": sim.Failed,
}

// TestScenarioFiles runs the dev refresh of the example under each
// scenario of ../testdata/scenarios and checks it ends as the scenario
// expects; a failed run must have released what it took from the source.
func TestScenarioFiles(t *testing.T) {
	s := loadSpec(t, exampleSpec)
	machines := generate(t, s)
	files, _ := filepath.Glob("../testdata/scenarios/*.json")
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			sc, err := LoadScenario(file, s)
			if err != nil {
				t.Fatal(err)
			}
			w := New(s, Options{Scenario: sc, Roles: machineRoles(s, machines)})
			x := runRefresh(t, s, machines, "dev", w, 1)
			logRun(t, w, x)
			err = sc.Expect.Check(x)
			known, isKnown := knownScenarioFindings[name]
			switch {
			case isKnown && err == nil:
				t.Fatalf("%s now ends as expected: remove it from knownScenarioFindings", name)
			case isKnown && x.Status != known:
				t.Fatalf("%s ended %s %s, not as its known finding (%s)", name, x.Status, x.Error, known)
			case isKnown:
				t.Logf("FINDING: %s: %v", name, err)
			case err != nil:
				t.Fatalf("%s (%s: %.300s)", err, x.Error, x.Cause)
			case x.Status == sim.Failed:
				checkSourceReleased(t, w, s.Refreshes[0], x)
				dev := w.byID["333333333333"]
				if c := w.findCluster(dev, "dev-app-restore", x.Stop.Add(time.Hour)); c != nil {
					t.Errorf("the failed run left its copy dev-app-restore (%s)", w.clusterStatus(dev, c, x.Stop))
				}
				if w.findCluster(dev, "dev-app", x.Stop) == nil {
					t.Errorf("the failed run lost the target dev-app")
				}
				if item := w.Item("shared_services", w.names.HistoryTable(), x.Name); get(item, "Status", "S") != "FAILED" && x.Error != "Refresh.StepFailed" {
					t.Errorf("the run history holds %v", item)
				}
			}
		})
	}
}
