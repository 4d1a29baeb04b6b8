package awsmock

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/refreshgen/refreshgen/sim"
)

// fault is a call fault of the scenario and how often it matched.
type fault struct {
	Fault
	index   int    // in the scenario's faults
	account string // its account's ID, "" for any
	matched int    // matching calls so far
	fired   int    // calls it answered
}

// faultFor returns the first fault of the scenario that answers r,
// counting the calls each fault matches.
func (w *World) faultFor(r *request) *fault {
	for _, f := range w.faults {
		if !f.matches(r) {
			continue
		}
		f.matched++
		if f.matched <= f.After || f.Times > 0 && f.fired >= f.Times {
			continue
		}
		f.fired++
		return f
	}
	return nil
}

// matches reports whether the fault is about r: its service, its action
// (with or without the integration pattern: runJob or runJob.sync), its
// account, and its parameters.
func (f *fault) matches(r *request) bool {
	action := strings.TrimSuffix(f.Action, string(r.op.pattern))
	return f.Service == r.op.service && action == r.op.action &&
		(f.account == "" || f.account == r.acct.id) && subset(f.Match, r.params)
}

// result is what the fault answers; a fault with neither error nor
// response lets the model answer, later by its delay.
func (f *fault) result(w *World, r *request) sim.Result {
	var res sim.Result
	switch {
	case f.Error != "":
		cause := f.Cause
		if cause == "" {
			cause = fmt.Sprintf("awsmock: injected by faults[%d] of the scenario", f.index)
		}
		res = sim.Result{Err: &sim.Failure{Name: f.Error, Cause: cause}, Duration: w.clock.Latency}
	case f.Response != nil:
		res = sim.Result{Output: f.Response, Duration: w.clock.Latency}
	default:
		res = w.dispatch(r)
	}
	res.Duration += f.Delay
	return res
}

// subset reports whether want is part of got: every key of an object with
// a value that is part of got's, lists and scalars equal (numbers by
// value), a string with * a glob (the key must be there: "*" matches any
// string).
func subset(want, got any) bool {
	switch w := want.(type) {
	case nil:
		return true
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, v := range w {
			gv, ok := g[k]
			if !ok || !subset(v, gv) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !subset(w[i], g[i]) {
				return false
			}
		}
		return true
	case json.Number:
		a, ok1 := toFloat(w)
		b, ok2 := toFloat(got)
		return ok1 && ok2 && a == b
	case string:
		g, ok := got.(string)
		return ok && glob(w, g)
	}
	return want == got
}

// glob reports whether s matches pattern, where * stands for any run of
// characters (none included) and everything else for itself.
func glob(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}
