package sim

import (
	"errors"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// outcome is how a Parallel branch or a Map iteration ended, and when.
type outcome struct {
	out any
	err error
	end time.Time
}

// parallel runs every branch on the effective input (after Parameters)
// from the same start time; the result is the array of their outputs.
func (v *visit) parallel(s *asl.Parallel) (any, error) {
	e, err := v.effective(s.InputPath)
	if err != nil {
		return nil, err
	}
	in, err := e.template(s.Parameters)
	if err != nil {
		return nil, err
	}
	if err := v.record(Event{Type: ParallelStateStarted, State: v.name}); err != nil {
		return nil, err
	}
	outcomes := make([]outcome, len(s.Branches))
	for i, b := range s.Branches {
		th := v.fork(v.now)
		out, err := th.runScope(b.StartAt, b.States, in)
		outcomes[i] = outcome{out: out, err: err, end: th.now}
		if closed := v.run.hist.closed; closed != nil {
			return nil, closed
		}
	}
	outs, err := v.join(outcomes, ParallelStateSucceeded, ParallelStateFailed)
	if err != nil {
		return nil, err
	}
	return v.output(e, outs, s.ResultSelector, s.ResultPath, s.OutputPath)
}

// join ends a Parallel or inline Map. When a branch fails, Step Functions
// stops the others and the state fails with that branch's error at that
// time; branches run one after another here, so the failure that happened
// first (the lowest index on a tie) is the one that counts. Otherwise the
// state ends with its last branch and returns the outputs in order.
func (v *visit) join(outcomes []outcome, succeeded, failed EventType) ([]any, error) {
	var first *outcome
	for i, o := range outcomes {
		if o.err != nil && (first == nil || o.end.Before(first.end)) {
			first = &outcomes[i]
		}
	}
	if first != nil {
		v.now = first.end
		var f *Failure
		if errors.As(first.err, &f) {
			if err := v.record(Event{Type: failed, State: v.name, Error: f.Name, Cause: f.Cause}); err != nil {
				return nil, err
			}
		}
		return nil, first.err
	}
	outs := make([]any, len(outcomes))
	for i, o := range outcomes {
		outs[i] = o.out
		if o.end.After(v.now) {
			v.now = o.end
		}
	}
	return outs, v.record(Event{Type: succeeded, State: v.name})
}
