package simulate

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/awsmock"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
)

// The fault matrix: every refresh of the example and golden specs, run
// with IAM in the loop, healthy ("happy") and under each scenario of
// testdata/scenarios/faults. Each run must
//
//   - end as expected: SUCCEEDED when healthy or when the scenario's
//     faults never fire (the refresh does not do what they break), else
//     as the scenario's expect says;
//   - meet no IAM refusal but the known gaps (knownIAMGaps);
//   - record its outcome in the run history and publish it when the spec
//     notifies on it;
//   - leave nothing of its own behind: no <target>-restore cluster, no
//     snapshot, RAM share or KMS grant of the run in the source, no live
//     replication, node groups back to their sizes; and keep the target;
//   - make no call as the source account's role that changes anything but
//     what the run owns (sourceWrite).
//
// A run that does otherwise because of a known bug of the workflows is
// listed in knownOutcomes or knownProblems with the bug; the test fails
// when such an entry no longer happens, so that it is removed with the
// fix.

const faultsDir = "../testdata/scenarios/faults"

// happy names the healthy run, without a scenario.
const happy = "happy"

// known is how a run ends because of a known bug, instead of as expected.
type known struct {
	status sim.Status
	error  string
	cause  string // a part of the cause
	why    string
}

// knownOutcomes are the runs that end otherwise than expected, by
// "<spec>#<refresh>/<scenario>" (spec: example, golden, or a variant:
// example+admin; * stands for any run of characters, see matchKey). The
// first entry that matches a run applies.
var knownOutcomes = []struct {
	key string
	known
}{}

// knownProblems are the checks a run fails because of a known bug, by the
// same keys and the problem's kind; the first matching entry applies.
var knownProblems = []struct{ key, kind, why string }{
	// Not a bug: RDS refuses to delete a cluster that is creating, and
	// this one never stops; the cleanup records a warning.
	{"*/never-available", "restore-cluster", "a cluster stuck in creating cannot be deleted: the cleanup can only report it"},
	// A simulator limitation, not a workflow bug: sim runs the branches of
	// a Parallel one after another and does not stop the others at the
	// earliest failure, as Step Functions does; so the clone branch of qa
	// goes on (and creates qa-orders-restore, 30 s after the catalog branch
	// failed) in the World, while the failure path, running at the time of
	// the failure, finds it creating and cannot delete it.
	{"golden#qa/snapshot-fails", "restore-cluster", "sim does not stop the other branches of a Parallel at its earliest failure"},
}

// problem is one check a run failed.
type problem struct{ kind, detail string }

func TestSimulateFaultMatrix(t *testing.T) {
	var mu sync.Mutex
	usedOutcomes := map[int]bool{}
	usedProblems := map[int]bool{}
	gapsMet := map[*iamGap]bool{}
	summary := map[string]string{}
	planned := 0
	var runs []*estate
	for _, path := range specPaths {
		runs = append(runs, load(t, path))
	}
	for _, e := range runs {
		scenarios := loadFaults(t, e.spec)
		for _, r := range e.spec.Refreshes {
			for _, name := range slices.Concat([]string{happy}, sortedKeys(scenarios)) {
				key := e.name + "#" + r.Name + "/" + name
				planned++
				t.Run(key, func(t *testing.T) {
					t.Parallel()
					res, g := e.run(t, r.Name, Options{Scenario: scenarios[name]})
					x := res.Execution
					t.Logf("%s in %s; %d calls", outcome(x), res.Duration, len(res.Timeline))
					if x.Status == sim.TimedOut || res.Duration >= r.Timeout {
						t.Errorf("the run took %s, its timeout is %s: it must end (and clean up) inside it", res.Duration, r.Timeout)
					}
					mu.Lock()
					for gap := range g.met {
						gapsMet[gap] = true
					}
					mu.Unlock()

					problems := checkRun(e, r, scenarios[name], res)
					mismatch := slices.ContainsFunc(problems, func(p problem) bool { return p.kind == "outcome" })
					line := string(x.Status)
					if name, _ := RootCause(x); name != "" {
						line += " " + name
					}
					if name != happy && !fired(scenarios[name], res) {
						line += " (the faults do not apply)"
					}
					defer func() {
						mu.Lock()
						summary[key] = line
						mu.Unlock()
					}()
					if i, k := knownOutcome(key); k != nil {
						switch {
						case x.Status == k.status && x.Error == k.error && strings.Contains(x.Cause, k.cause):
							mu.Lock()
							usedOutcomes[i] = true
							mu.Unlock()
							t.Logf("KNOWN: %s", k.why)
							line += " (known: " + k.why + ")"
							problems = slices.DeleteFunc(problems, func(p problem) bool { return p.kind == "outcome" })
						case !mismatch:
							t.Errorf("%s now ends as expected: remove its entry from knownOutcomes (%s)", key, k.why)
						}
					}
					for _, p := range problems {
						if i, why := knownProblem(key, p.kind); why != "" {
							mu.Lock()
							usedProblems[i] = true
							mu.Unlock()
							t.Logf("KNOWN %s: %s (%s)", p.kind, p.detail, why)
							continue
						}
						t.Errorf("%s: %s", p.kind, p.detail)
					}
				})
			}
		}
	}
	t.Cleanup(func() {
		for _, k := range sortedKeys(summary) {
			t.Logf("%-45s %s", k, summary[k])
		}
		if len(summary) < planned {
			return // a part of the matrix ran (-run): stale entries cannot be told
		}
		for i, k := range knownOutcomes {
			if !usedOutcomes[i] {
				t.Errorf("no run ends as the known outcome %s any more (%s): remove it", k.key, k.why)
			}
		}
		for i, k := range knownProblems {
			if !usedProblems[i] {
				t.Errorf("no run has the known problem %s %s any more (%s): remove it", k.key, k.kind, k.why)
			}
		}
		for i := range knownIAMGaps {
			if g := &knownIAMGaps[i]; !gapsMet[g] {
				t.Errorf("IAM no longer refuses %s (%s): remove the gap from knownIAMGaps", g.action, g.why)
			}
		}
	})
}

// loadFaults reads the scenarios of the fault matrix for s, by name.
func loadFaults(t *testing.T, s *spec.Spec) map[string]*awsmock.Scenario {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(faultsDir, "*.json"))
	if len(files) == 0 {
		t.Fatal("no fault scenarios in " + faultsDir)
	}
	out := map[string]*awsmock.Scenario{}
	for _, f := range files {
		sc, err := awsmock.LoadScenario(f, s)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = sc
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// matchKey reports whether a key of the known tables covers a run's key:
// * in the pattern stands for any run of characters ("golden*#qa/*"
// covers golden#qa/happy and golden+admin#qa/happy).
func matchKey(pattern, key string) bool {
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(key, parts[0]) {
		return false
	}
	key = key[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(key, p)
		}
		j := strings.Index(key, p)
		if j < 0 {
			return false
		}
		key = key[j+len(p):]
	}
	return key == ""
}

func knownOutcome(key string) (int, *known) {
	for i, k := range knownOutcomes {
		if matchKey(k.key, key) {
			return i, &knownOutcomes[i].known
		}
	}
	return -1, nil
}

func knownProblem(key, kind string) (int, string) {
	for i, k := range knownProblems {
		if k.kind == kind && matchKey(k.key, key) {
			return i, k.why
		}
	}
	return -1, ""
}

// checkRun checks a finished run; see the top of the file.
func checkRun(e *estate, r *spec.Refresh, sc *awsmock.Scenario, res *Result) []problem {
	var out []problem
	add := func(kind, format string, args ...any) { out = append(out, problem{kind, fmt.Sprintf(format, args...)}) }
	x, w, n := res.Execution, res.World, names.New(e.spec)

	want := expectation(nil)
	if fired(sc, res) {
		want = expectation(sc)
	}
	if err := want.Check(x); err != nil {
		add("outcome", "%v (%s)", err, outcome(x))
	}
	for _, d := range res.Unauthorized {
		add("denied", "%s in %s: %s", d.Call, d.State, d.Cause)
	}
	for _, entry := range res.Timeline {
		if entry.Denied {
			add("denied", "%s in %s as %s: %s", entry.Call, entry.State, entry.Role, entry.Cause)
		}
	}

	// The outcome is recorded and, as the spec says, published.
	snsFaulted := sc != nil && slices.ContainsFunc(sc.Faults, func(f awsmock.Fault) bool { return f.Service == "sns" })
	status := "SUCCEEDED"
	if x.Status != sim.Succeeded {
		status = "FAILED"
	}
	// A refresh that completed but could not report it fails the run
	// (Refresh.StepFailed) after the history recorded its success.
	recorded := status
	if x.Error == "Refresh.StepFailed" && strings.Contains(x.Cause, "could not be recorded or published") {
		recorded = "SUCCEEDED"
	}
	if item := w.Item(e.spec.Orchestrator().Name, n.HistoryTable(), x.Name); item == nil || fmt.Sprint(item["Status"]) != fmt.Sprint(map[string]any{"S": recorded}) {
		add("history", "the run history holds %v for the run, not %s", item, recorded)
	}
	outcomeFor := map[string]spec.Outcome{"SUCCEEDED": spec.OutcomeSuccess, "FAILED": spec.OutcomeFailure}[status]
	var published []string
	for _, m := range w.Published(n.TopicARN(r)) {
		if !m.Time.Before(x.Start) {
			published = append(published, m.Attributes["status"])
		}
	}
	switch notifies := slices.Contains(r.Notify.On, outcomeFor); {
	case notifies && !snsFaulted && !slices.Equal(published, []string{status}):
		add("notify", "published %v; the spec notifies on %v and the run ended %s", published, r.Notify.On, x.Status)
	case !notifies && len(published) > 0:
		add("notify", "published %v; the spec notifies on %v only", published, r.Notify.On)
	}

	// Nothing of the run's own is left.
	at := x.Stop.Add(time.Hour)
	dst, src := r.Destination.Name, r.Source.Name
	clusters := map[string]awsmock.ClusterState{}
	for _, c := range w.Clusters(dst, at) {
		clusters[c.ID] = c
	}
	for _, db := range r.Databases {
		if db.Swap != spec.SwapRename {
			continue
		}
		if c, ok := clusters[names.RestoreCluster(db)]; ok {
			add("restore-cluster", "%s is left (%s)", c.ID, c.Status)
		}
		if _, ok := clusters[db.TargetCluster]; !ok {
			add("target-lost", "the target %s is gone", db.TargetCluster)
		}
	}
	for _, sn := range w.Snapshots(src, at) {
		for _, db := range r.Databases {
			if sn.Type == "manual" && strings.HasPrefix(sn.ID, strings.ToLower(n.SnapshotPrefix(r, db))) {
				add("snapshot", "the source keeps the snapshot %s (%s, shared with %v)", sn.ID, sn.Status, sn.SharedWith)
			}
		}
	}
	for _, sh := range w.Shares(src, at) {
		if sh.Created.After(x.Start) && sh.Status == "ACTIVE" {
			add("share", "the source keeps the resource share %s", sh.Name)
		}
	}
	for _, g := range w.Grants(src) {
		// A clone's grant stays on purpose, one per database (see the
		// orchestrator's clone branch): the clone reads the source's
		// storage for as long as it lives.
		if g.Created.After(x.Start) && !strings.HasSuffix(g.Name, "-clone") {
			add("grant", "the source key %s keeps the grant %s to %s", g.KeyARN, g.Name, g.Grantee)
		}
	}
	for _, fs := range w.FileSystems(dst, at) {
		if fs.Replicating {
			add("replication", "%s is still replicated into", fs.ID)
		}
	}
	for _, ng := range w.Nodegroups(dst, at) {
		if ng.Min != ng.BaseMin || ng.Desired != ng.BaseDesired || ng.Max != ng.BaseMax {
			add("nodegroup", "%s/%s is at %d/%d/%d, was %d/%d/%d", ng.Cluster, ng.Name, ng.Min, ng.Desired, ng.Max,
				ng.BaseMin, ng.BaseDesired, ng.BaseMax)
		}
	}

	// The source role changes nothing but what the run owns.
	for _, sw := range res.SourceWrites {
		if sw.Owned == "" {
			add("source-write", "%s in %s (%v)", sw.Entry.Call, sw.Entry.State, sw.Entry.Parameters)
		}
	}
	return out
}

// fired reports whether any fault of the scenario took effect in the run:
// a call fault answered a call, or a stuck fault's resource type was
// created.
func fired(sc *awsmock.Scenario, res *Result) bool {
	if sc == nil {
		return false
	}
	for _, e := range res.Timeline {
		if e.Fault >= 0 {
			return true
		}
	}
	for _, f := range sc.Faults {
		if f.Stuck == nil {
			continue
		}
		for _, e := range res.Timeline {
			if slices.Contains(stuckCreators[f.Stuck.Type], e.Call) && e.Error == "" {
				return true
			}
		}
	}
	return false
}

// stuckCreators are the calls that start the transitions of a stuck
// fault's resource type.
var stuckCreators = map[string][]string{
	"cluster":     {"rds:restoreDBClusterFromSnapshot", "rds:restoreDBClusterToPointInTime"},
	"restore-job": {"backup:startRestoreJob"},
	"snapshot":    {"rds:createDBClusterSnapshot", "rds:copyDBClusterSnapshot"},
	"copy-job":    {"backup:startCopyJob"},
}
