package sim

import (
	"errors"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// Concurrency limits when MaxConcurrency is 0: "In Inline mode, the Map
// state supports up to 40 concurrent iterations"; a Distributed Map runs
// up to 10,000 child workflow executions at once.
const (
	inlineConcurrency      = 40
	distributedConcurrency = 10000
)

// mapState runs the item processor for each element of the array at
// ItemsPath. Iterations run one after another in index order, each
// starting when one of MaxConcurrency slots frees up, so the simulated
// times are those of concurrent iterations; the result keeps item order.
//
// An INLINE Map fails with the first failed iteration's error. A
// DISTRIBUTED one tolerates failed items up to ToleratedFailureCount or
// ToleratedFailurePercentage and otherwise fails with
// States.ExceedToleratedFailureThreshold; its iterations are child
// workflow executions, whose events stay out of this history.
func (v *visit) mapState(s *asl.Map) (any, error) {
	if s.ItemProcessor == nil {
		return nil, runtimeError("Map state %q has no ItemProcessor", v.name)
	}
	e, err := v.effective(s.InputPath)
	if err != nil {
		return nil, err
	}
	items, err := mapItems(s, e)
	if err != nil {
		return nil, err
	}
	distributed := s.ItemProcessor.Config != nil && s.ItemProcessor.Config.Mode == asl.Distributed
	if err := v.record(Event{Type: MapStateStarted, State: v.name, Index: len(items)}); err != nil {
		return nil, err
	}
	outcomes, err := v.iterate(s, e, items, distributed)
	if err != nil {
		return nil, err
	}
	var outs []any
	if distributed {
		outs, err = v.tolerate(s, e, outcomes)
	} else {
		outs, err = v.join(outcomes, MapStateSucceeded, MapStateFailed)
	}
	if err != nil {
		return nil, err
	}
	return v.output(e, outs, s.ResultSelector, s.ResultPath, s.OutputPath)
}

// mapItems reads the array at ItemsPath (default "$").
func mapItems(s *asl.Map, e env) ([]any, error) {
	path := s.ItemsPath
	if path == "" {
		path = "$"
	}
	v, err := e.selectPath(path, true)
	if err != nil {
		return nil, err
	}
	items, ok := v.([]any)
	if !ok {
		return nil, runtimeError("The ItemsPath '%s' does not resolve to an array: %s", path, jsonText(v))
	}
	return items, nil
}

// iterate runs the iterations on their slots' clocks.
func (v *visit) iterate(s *asl.Map, e env, items []any, distributed bool) ([]outcome, error) {
	limit := inlineConcurrency
	if distributed {
		limit = distributedConcurrency
		if err := v.record(Event{Type: MapRunStarted, State: v.name}); err != nil {
			return nil, err
		}
	}
	if s.MaxConcurrency > 0 {
		limit = min(limit, s.MaxConcurrency)
	}
	free := make([]time.Time, max(1, min(limit, len(items))))
	for j := range free {
		free[j] = v.now
	}
	outcomes := make([]outcome, len(items))
	for i, item := range items {
		slot := earliest(free)
		th := v.fork(free[slot])
		if distributed {
			th.run = v.run.detached()
		}
		outcomes[i] = th.iteration(v.name, s, e, i, item)
		free[slot] = outcomes[i].end
		if closed := v.run.hist.closed; closed != nil {
			return nil, closed
		}
	}
	return outcomes, nil
}

// earliest returns the slot that frees up first (the lowest on a tie).
func earliest(free []time.Time) int {
	best := 0
	for j, t := range free {
		if t.Before(free[best]) {
			best = j
		}
	}
	return best
}

// detached is a copy of r with a history of its own, for the child
// executions of a Distributed Map.
func (r *run) detached() *run {
	c := *r
	c.hist = history{max: r.hist.max}
	return &c
}

// iteration runs item i. Its input is the ItemSelector, evaluated with
// $$.Map.Item.Index and $$.Map.Item.Value, or else the item alone.
func (t *thread) iteration(state string, s *asl.Map, e env, i int, item any) outcome {
	o := outcome{err: t.record(Event{Type: MapIterationStarted, State: state, Index: i})}
	in := item
	if o.err == nil && s.ItemSelector != nil {
		mapContext := map[string]any{"Item": map[string]any{"Index": number(int64(i)), "Value": item}}
		in, o.err = e.withContext("Map", mapContext).template(s.ItemSelector)
	}
	if o.err == nil {
		o.out, o.err = t.runScope(s.ItemProcessor.StartAt, s.ItemProcessor.States, in)
	}
	ev := Event{Type: MapIterationSucceeded, State: state, Index: i}
	var f *Failure
	if errors.As(o.err, &f) {
		ev.Type, ev.Error, ev.Cause = MapIterationFailed, f.Name, f.Cause
	}
	if err := t.record(ev); err != nil && o.err == nil {
		o.err = err
	}
	o.end = t.now
	return o
}

// tolerate ends a Distributed Map: failed items become their error
// output in the result unless there are more than the definition
// tolerates. With neither tolerance set, one failed item is too many.
func (v *visit) tolerate(s *asl.Map, e env, outcomes []outcome) ([]any, error) {
	outs := make([]any, len(outcomes))
	failed := 0
	for i, o := range outcomes {
		var f *Failure
		switch {
		case o.err == nil:
			outs[i] = o.out
		case errors.As(o.err, &f):
			outs[i] = f.output()
			failed++
		default: // the execution timed out
			v.now = o.end
			return nil, o.err
		}
		if o.end.After(v.now) {
			v.now = o.end
		}
	}
	exceeded, err := exceedsTolerance(s, e, failed, len(outcomes))
	if err != nil {
		return nil, err
	}
	if exceeded {
		f := fail(asl.ErrExceedToleratedFailureThreshold, "%d of %d items failed, more than the Map tolerates", failed, len(outcomes))
		for _, typ := range []EventType{MapRunFailed, MapStateFailed} {
			if err := v.record(Event{Type: typ, State: v.name, Error: f.Name, Cause: f.Cause}); err != nil {
				return nil, err
			}
		}
		return nil, f
	}
	for _, typ := range []EventType{MapRunSucceeded, MapStateSucceeded} {
		if err := v.record(Event{Type: typ, State: v.name}); err != nil {
			return nil, err
		}
	}
	return outs, nil
}

// exceedsTolerance applies ToleratedFailureCount and
// ToleratedFailurePercentage (or their *Path fields): exceeding either
// one that is set fails the Map.
func exceedsTolerance(s *asl.Map, e env, failed, total int) (bool, error) {
	count, countSet, err := tolerance(e, s.ToleratedFailureCount, s.ToleratedFailureCountPath)
	if err != nil {
		return false, err
	}
	percent, percentSet, err := tolerance(e, s.ToleratedFailurePercentage, s.ToleratedFailurePercentagePath)
	if err != nil {
		return false, err
	}
	if !countSet && !percentSet {
		return failed > 0, nil
	}
	return countSet && failed > count || percentSet && failed*100 > percent*total, nil
}

// tolerance resolves a tolerated-failure field; set is false when neither
// the value nor its path is given.
func tolerance(e env, n int, path string) (value int, set bool, err error) {
	if path == "" {
		return n, n != 0, nil
	}
	v, err := e.selectPath(path, true)
	if err != nil {
		return 0, false, err
	}
	i, ok := integer(v)
	if !ok || i < 0 {
		return 0, false, runtimeError("The tolerated failure path '%s' does not resolve to a non-negative integer: %s", path, jsonText(v))
	}
	return int(i), true, nil
}
