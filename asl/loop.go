package asl

import (
	"fmt"
	"slices"
	"strings"
)

// PollLoop builds a bounded polling loop, the only kind of cycle Check
// accepts besides deadline checks:
//
//	<Name>Init     Pass    Counter = {"Attempt": 1}
//	<Name>         Task    Action (e.g. describeDBClusters)
//	<Name>Check    Choice  Until rules leave the loop (success, terminal
//	                       failure); Attempt >= MaxAttempts -> <Name>TimedOut;
//	                       otherwise -> <Name>Wait
//	<Name>Wait     Wait    IntervalSeconds
//	<Name>Count    Pass    Counter = {"Attempt": States.MathAdd(Attempt, 1)}
//	                       -> <Name>
//	<Name>TimedOut Fail    TimeoutError (default Refresh.PollTimeout)
//
// So Action runs at most MaxAttempts times, about
// MaxAttempts x IntervalSeconds seconds, far below the 25,000-event history
// cap that silently bounds an "unbounded" loop.
type PollLoop struct {
	Name string
	// Action reports the status. Its Next/End are set by the loop; its
	// ResultPath must put the result outside Counter (Check verifies it),
	// and its Catch may leave the loop (e.g. NotFound when polling a delete).
	Action *Task
	// Counter is a path the loop owns, e.g. "$.Poll"; the attempt number
	// is kept at Counter + ".Attempt".
	Counter string
	// Until lists the exits checked after each call, in order.
	Until           []Rule
	MaxAttempts     int
	IntervalSeconds int
	// TimeoutError is the error name raised when the attempts run out.
	TimeoutError string
}

// Entry is the state to transition to in order to run the loop.
func (p PollLoop) Entry() string { return p.Name + "Init" }

// States returns the loop's states, to append to a machine or branch.
func (p PollLoop) States() States {
	attempt := childPath(p.Counter, "Attempt")
	timeoutErr := p.TimeoutError
	if timeoutErr == "" {
		timeoutErr = ErrPollTimeout
	}
	var action State
	if p.Action != nil {
		a := *p.Action
		a.Next = p.Name + "Check"
		action = &a
	}
	exits := append(slices.Clone(p.Until),
		When(CompareNumber(attempt, GreaterThanEquals, float64(p.MaxAttempts)), p.Name+"TimedOut"))
	var s States
	s.Add(p.Entry(), &Pass{
		Comment:    "Count the attempts of " + p.Name + " so that the loop is bounded.",
		Parameters: Obj(Field("Attempt", Num(1))),
		ResultPath: At(p.Counter),
		Next:       p.Name,
	})
	s.Add(p.Name, action)
	s.Add(p.Name+"Check", &Choice{
		Comment: fmt.Sprintf("Leave when done; give up after %d attempts.", p.MaxAttempts),
		Choices: exits,
		Default: p.Name + "Wait",
	})
	s.Add(p.Name+"Wait", &Wait{Seconds: p.IntervalSeconds, Next: p.Name + "Count"})
	s.Add(p.Name+"Count", &Pass{
		Parameters: Obj(Field("Attempt", Call(FnMathAdd, Ref(attempt), Num(1)))),
		ResultPath: At(p.Counter),
		Next:       p.Name,
	})
	s.Add(p.Name+"TimedOut", &Fail{
		Error: timeoutErr,
		Cause: fmt.Sprintf("%s did not finish after %d attempts %d s apart", p.Name, p.MaxAttempts, p.IntervalSeconds),
	})
	return s
}

// loopGuard is a Choice rule that ends every loop through its state.
type loopGuard struct {
	// bound is the path the loop must not overwrite: the counter, or the
	// deadline's path ("" for a literal deadline).
	bound string
	// counter is true for an attempt counter, which must be incremented on
	// every cycle through the guard.
	counter bool
}

// guardOf recognises a guard rule in s: a rule leaving the loop (inLoop
// false for its Next) that is either
//   - NumericGreaterThan[Equals] on a "$." path against a number, or
//   - Timestamp[GreaterThan|GreaterThanEquals][Path] on
//     "$$.State.EnteredTime", the time the guard itself is entered.
func guardOf(s State, inLoop func(name string) bool) (loopGuard, bool) {
	c, ok := s.(*Choice)
	if !ok {
		return loopGuard{}, false
	}
	for _, r := range c.Choices {
		cond := r.Condition
		if inLoop(r.Next) {
			continue
		}
		switch cond.Operator {
		case "NumericGreaterThan", "NumericGreaterThanEquals":
			if _, literal := cond.Value.(float64); literal && strings.HasPrefix(cond.Variable, "$.") {
				return loopGuard{bound: cond.Variable, counter: true}, true
			}
		case "TimestampGreaterThan", "TimestampGreaterThanEquals":
			if cond.Variable == "$$.State.EnteredTime" {
				return loopGuard{}, true
			}
		case "TimestampGreaterThanPath", "TimestampGreaterThanEqualsPath":
			if deadline, _ := cond.Value.(string); cond.Variable == "$$.State.EnteredTime" {
				return loopGuard{bound: deadline}, true
			}
		}
	}
	return loopGuard{}, false
}

// incrementOf recognises a counter increment: a Pass whose Parameters are
// exactly {"K.$": "States.MathAdd(<P>.K, n)"} with n > 0 and ResultPath P,
// and no InputPath or OutputPath. It returns the counter path P.K.
func incrementOf(s State) (string, bool) {
	p, ok := s.(*Pass)
	if !ok || p.Parameters == nil || len(p.Parameters.Members) != 1 || p.InputPath.IsSet() || p.OutputPath.IsSet() || p.ResultPath.Expr() == "" {
		return "", false
	}
	m := p.Parameters.Members[0]
	counter := childPath(p.ResultPath.Expr(), m.Key)
	call, ok := m.Value.(*Intrinsic)
	if !ok || call.Fn != FnMathAdd || len(call.Args) != 2 || call.Args[0] != Ref(counter) {
		return "", false
	}
	step, ok := call.Args[1].(Num)
	return counter, ok && step > 0
}

// mayOverwrite reports whether s can change or drop the value at path,
// judging only from its fields: an OutputPath other than "$", a result
// written over or around path (an absent ResultPath writes "$"), or a
// pass-through Pass whose InputPath narrows what it passes on.
func mayOverwrite(s State, path string) bool {
	var output, result Path
	var produces bool
	switch s := s.(type) {
	case *Task:
		output, result, produces = s.OutputPath, s.ResultPath, true
	case *Parallel:
		output, result, produces = s.OutputPath, s.ResultPath, true
	case *Map:
		output, result, produces = s.OutputPath, s.ResultPath, true
	case *Pass:
		output, result = s.OutputPath, s.ResultPath
		produces = s.Result != nil || s.Parameters != nil || s.InputPath.effective() != "$" || result.IsSet()
	case *Choice:
		output = s.OutputPath
	case *Wait:
		output = s.OutputPath
	}
	if output.effective() != "$" {
		return true
	}
	return produces && !result.IsNull() && overlaps(result.effective(), path)
}

// loop checks one strongly connected component of a scope: each guard
// must really bound the cycles through it, and no cycle may avoid all
// guards.
func (c *checker) loop(sc scope, g graph, loop []int) {
	in := make([]bool, len(g.states))
	for _, i := range loop {
		in[i] = true
	}
	inLoop := func(name string) bool {
		j, ok := g.index[name]
		return ok && in[j]
	}
	unguarded := slices.Clone(in)
	for _, i := range loop {
		gd, ok := guardOf(g.states[i].State, inLoop)
		if !ok {
			continue
		}
		if why := guardProblem(g, loop, i, gd); why != "" {
			c.add(sc.stateAt(g.states[i].Name), "%s", why)
			continue
		}
		unguarded[i] = false
	}
	for _, cycle := range g.loops(unguarded) {
		names := make([]string, len(cycle))
		for k, i := range cycle {
			names[k] = g.states[i].Name
		}
		c.add(sc.stateAt(names[0]), "loop through %s has no attempt-counter or deadline guard (build polling loops with PollLoop)",
			strings.Join(names, ", "))
	}
}

// guardProblem says why the guard at state gi does not bound its loop, or
// returns "".
func guardProblem(g graph, loop []int, gi int, gd loopGuard) string {
	withoutIncrements := make([]bool, len(g.states))
	for _, i := range loop {
		counter, isIncrement := incrementOf(g.states[i].State)
		if gd.counter && isIncrement && counter == gd.bound {
			continue
		}
		withoutIncrements[i] = true
		if gd.bound != "" && mayOverwrite(g.states[i].State, gd.bound) {
			return fmt.Sprintf("guard on %s: state %q in the loop may overwrite it", gd.bound, g.states[i].Name)
		}
	}
	if !gd.counter {
		return ""
	}
	for _, cycle := range g.loops(withoutIncrements) {
		if slices.Contains(cycle, gi) {
			return fmt.Sprintf("guard on %s: a loop through this state never increments it with %s", gd.bound, FnMathAdd)
		}
	}
	return ""
}
