package awsmock

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
)

// TestDeleteFirstFinalSnapshot: with swap = "delete-first" and
// final_snapshot on, the live target is deleted with a final snapshot.
// (It was once deleted by prepare_refresh, taken for a leftover -restore,
// without one.)
func TestDeleteFirstFinalSnapshot(t *testing.T) {
	s := loadSpec(t, goldenSpec)
	clusterAdmin(s)
	r := s.Refreshes[0]
	var db *spec.Database
	for _, d := range r.Databases {
		if d.Swap == spec.SwapDeleteFirst {
			db, d.FinalSnapshot = d, true // the default; the golden spec turns it off
		}
	}
	machines := generate(t, s)
	w := New(s, Options{Roles: machineRoles(s, machines)})
	x := runRefresh(t, s, machines, r.Name, w, 1)
	if x.Status != sim.Succeeded {
		t.Fatalf("%s %s: %s", x.Status, x.Error, x.Cause)
	}
	dst := w.byID[r.Destination.ID]
	prefix := strings.ToLower(w.names.SnapshotPrefix(r, db) + "-final-")
	if !slices.ContainsFunc(dst.snapshots, func(sn *snapshot) bool { return strings.HasPrefix(sn.id, prefix) }) {
		t.Fatalf("%s was deleted without its final snapshot %s*: %v", db.TargetCluster, prefix, deletions(w, x))
	}
}

// TestOldDeletedWithFinalSnapshot: with keep_old = "stop" the previous
// target survives a run as <target>-old, and the next run deletes it to
// make room with the final snapshot final_snapshot asks for.
func TestOldDeletedWithFinalSnapshot(t *testing.T) {
	s := loadSpec(t, exampleSpec)
	clusterAdmin(s)
	machines := generate(t, s)
	r := s.Refreshes[1]
	db := r.Databases[0]
	if r.Name != "staging" || db.KeepOld != spec.KeepOldStop || !db.FinalSnapshot {
		t.Fatalf("the example's staging refresh changed: %s keep_old %s final_snapshot %v", r.Name, db.KeepOld, db.FinalSnapshot)
	}
	w := New(s, Options{Roles: machineRoles(s, machines)})
	first := runRefresh(t, s, machines, r.Name, w, 1)
	w.start = first.Stop.Add(7 * 24 * time.Hour)
	second := runRefresh(t, s, machines, r.Name, w, 2)
	if first.Status != sim.Succeeded || second.Status != sim.Succeeded {
		t.Fatalf("%s then %s", first.Status, second.Status)
	}
	dst := w.byID[r.Destination.ID]
	prefix := strings.ToLower(w.names.SnapshotPrefix(r, db) + "-final-")
	if !slices.ContainsFunc(dst.snapshots, func(sn *snapshot) bool { return strings.HasPrefix(sn.id, prefix) && sn.created.After(second.Start) }) {
		t.Fatalf("the second run deleted %s-old without a final snapshot %s*: %v", db.TargetCluster, prefix, deletions(w, second))
	}
}

// deletions lists the cluster deletions of the timeline since x started.
func deletions(w *World, x *sim.Execution) []string {
	var out []string
	for _, e := range w.Timeline() {
		if e.Call == "rds:deleteDBCluster" && !e.Time.Before(x.Start) {
			out = append(out, e.State+" at +"+e.Time.Sub(x.Start).String()+" by "+sim.MachineOf(e.Execution))
		}
	}
	return out
}
