package awsmock

import (
	"slices"
	"strings"
	"time"
)

// gone is the status of a resource that no longer exists: a lifecycle
// ending in it is a deletion.
const gone = ""

// phase is one status a resource passes through, and for how long.
type phase struct {
	status string
	d      time.Duration
}

// lifecycle is a resource's status over simulated time: from since it is
// in each phase's status for the phase's duration, then in final for good.
// A steady lifecycle has no phases.
type lifecycle struct {
	since  time.Time
	phases []phase
	final  string
}

// steady is a lifecycle that stays in status.
func steady(status string) lifecycle { return lifecycle{final: status} }

// transition is a lifecycle that starts at since, goes through phases and
// settles in final.
func transition(since time.Time, final string, phases ...phase) lifecycle {
	return lifecycle{since: since, phases: phases, final: final}
}

// settles is when the lifecycle reaches its final status.
func (l lifecycle) settles() time.Time {
	t := l.since
	for _, p := range l.phases {
		t = t.Add(p.d)
	}
	return t
}

// stuckRule is a scenario's stuck fault in one account ("" for any).
type stuckRule struct {
	Stuck
	account string
}

func (s stuckRule) matches(kind, account, id string) bool {
	return s.Type == kind && (s.account == "" || s.account == account) && (s.ID == "" || glob(strings.ToLower(s.ID), strings.ToLower(id)))
}

// statusAt is the status at t of the resource kind/id of account whose
// lifecycle is l. A time before the lifecycle started reads as its first
// phase: the simulator may ask about a branch's past after another branch
// changed the resource (see World).
//
// A stuck rule of the scenario that matches the resource applies to its
// transitions, not to its steady states: a status the transition passes
// through holds for ever once reached; any other status replaces the
// final one, so the resource ends there instead of its goal.
func (w *World) statusAt(kind string, acct *account, id string, l lifecycle, t time.Time) string {
	if len(l.phases) == 0 {
		return l.final
	}
	stuck := w.stuckStatuses(kind, acct, id)
	end := l.since
	for _, p := range l.phases {
		end = end.Add(p.d)
		if slices.Contains(stuck, p.status) || t.Before(end) {
			return p.status
		}
	}
	if len(stuck) > 0 { // the first rule of the scenario wins
		return stuck[0]
	}
	return l.final
}

// stuckStatuses are the statuses the scenario holds resource kind/id in,
// in the scenario's order.
func (w *World) stuckStatuses(kind string, acct *account, id string) []string {
	var out []string
	for _, s := range w.stuck {
		if s.matches(kind, acct.id, id) {
			out = append(out, s.Status)
		}
	}
	return out
}
