package sim

import (
	"errors"
	"maps"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// visit is one entry into a state.
type visit struct {
	*thread
	name    string
	input   any // the raw state input, before InputPath
	entered time.Time
	// retries is $$.State.RetryCount.
	retries int
	// caught is set when a Catch handled the state's error: the state
	// then leaves without a StateExited event.
	caught bool
}

// env evaluates against doc with the state's context object.
func (v *visit) env(doc any) env {
	context := map[string]any{
		"Execution":    v.run.execContext,
		"StateMachine": v.run.machineContext,
		"State": map[string]any{
			"EnteredTime": ISOTime(v.entered),
			"Name":        v.name,
			"RetryCount":  number(int64(v.retries)),
		},
	}
	return env{input: doc, context: context, rng: v.run.rng}
}

// withContext returns e with one more node in its context object, such
// as "Map" in an ItemSelector or "Task" in a callback task.
func (e env) withContext(key string, value any) env {
	context := maps.Clone(e.context.(map[string]any))
	context[key] = value
	e.context = context
	return e
}

// runState runs one state and returns the state to go to next ("" when
// the scope ends) and the state's output.
func (t *thread) runState(name string, st asl.State, input any) (next string, out any, err error) {
	v := &visit{thread: t, name: name, input: input, entered: t.now}
	if err := t.record(Event{Type: entered(st.Type()), State: name, Data: input}); err != nil {
		return "", nil, err
	}
	if err := checkSize(input, "the input of state "+name); err != nil {
		return "", nil, err
	}
	switch s := st.(type) {
	case *asl.Pass:
		next = s.Next
		out, err = v.pass(s)
	case *asl.Wait:
		next = s.Next
		out, err = v.wait(s)
	case *asl.Choice:
		next, out, err = v.choice(s)
	case *asl.Succeed:
		out, err = v.succeed(s)
	case *asl.Fail:
		return "", nil, v.fail(s)
	case *asl.Task:
		next, out, err = v.handle(s.Retry, s.Catch, s.Next, func() (any, error) { return v.task(s) })
	case *asl.Parallel:
		next, out, err = v.handle(s.Retry, s.Catch, s.Next, func() (any, error) { return v.parallel(s) })
	case *asl.Map:
		next, out, err = v.handle(s.Retry, s.Catch, s.Next, func() (any, error) { return v.mapState(s) })
	default:
		return "", nil, runtimeError("state %q has unknown type %T", name, st)
	}
	if err == nil {
		err = checkSize(out, "the output of state "+name)
	}
	if err == nil && !v.caught {
		err = t.record(Event{Type: exited(st.Type()), State: name, Data: out})
	}
	return next, out, err
}

// handle runs attempt under the state's Retry and Catch. A retrier's
// MaxAttempts counts across all errors it matches during this visit; an
// error goes to the first retrier that matches it, and only when that one
// is spent (or none matches) to the first matching catcher.
func (v *visit) handle(retriers []asl.Retrier, catchers []asl.Catcher, next string, attempt func() (any, error)) (string, any, error) {
	used := make([]int, len(retriers))
	for {
		out, err := attempt()
		var f *Failure
		if err == nil || !errors.As(err, &f) {
			return next, out, err
		}
		if delay, ok := v.retryDelay(retriers, used, f); ok {
			if err := v.advance(delay); err != nil {
				return "", nil, err
			}
			v.retries++
			continue
		}
		for _, c := range catchers {
			if matchesAny(c.ErrorEquals, f) {
				v.caught = true
				out, err := putResult(v.input, c.ResultPath, f.output())
				return c.Next, out, err
			}
		}
		return "", nil, err
	}
}

// output turns a state's result into its output: ResultSelector (nil
// for none) reshapes it, ResultPath places it into the raw input, and
// OutputPath filters that.
func (v *visit) output(e env, result any, selector *asl.Object, resultPath, outputPath asl.Path) (any, error) {
	selected, err := e.with(result).template(selector)
	if err != nil {
		return nil, err
	}
	out, err := putResult(v.input, resultPath, selected)
	if err != nil {
		return nil, err
	}
	return v.env(out).filterPath(outputPath)
}

// effective applies InputPath to the raw input.
func (v *visit) effective(inputPath asl.Path) (env, error) {
	e := v.env(v.input)
	in, err := e.filterPath(inputPath)
	return e.with(in), err
}

// pass: the result is Result if set, else the effective input after
// Parameters.
func (v *visit) pass(s *asl.Pass) (any, error) {
	e, err := v.effective(s.InputPath)
	if err != nil {
		return nil, err
	}
	result, err := e.template(s.Parameters)
	if err == nil && s.Result != nil {
		result, err = e.value(s.Result, "Result")
	}
	if err != nil {
		return nil, err
	}
	return v.output(e, result, nil, s.ResultPath, s.OutputPath)
}

func (v *visit) wait(s *asl.Wait) (any, error) {
	e, err := v.effective(s.InputPath)
	if err != nil {
		return nil, err
	}
	until, err := waitUntil(s, e, v.now)
	if err != nil {
		return nil, err
	}
	if until.After(v.now) {
		if err := v.advance(until.Sub(v.now)); err != nil {
			return nil, err
		}
	}
	return e.filterPath(s.OutputPath)
}

// waitUntil is when a Wait ends; a timestamp in the past ends it at once.
func waitUntil(s *asl.Wait, e env, now time.Time) (time.Time, error) {
	switch {
	case s.SecondsPath != "":
		v, err := e.selectPath(s.SecondsPath, true)
		if err != nil {
			return now, err
		}
		n, ok := integer(v)
		if !ok || n < 0 {
			return now, runtimeError("The SecondsPath '%s' does not resolve to a non-negative integer: %s", s.SecondsPath, jsonText(v))
		}
		return now.Add(time.Duration(n) * time.Second), nil
	case s.Timestamp != "":
		t, ok := timestamp(s.Timestamp)
		if !ok {
			return now, runtimeError("The Timestamp %q is not an RFC 3339 timestamp", s.Timestamp)
		}
		return t, nil
	case s.TimestampPath != "":
		v, err := e.selectPath(s.TimestampPath, true)
		if err != nil {
			return now, err
		}
		t, ok := timestamp(v)
		if !ok {
			return now, runtimeError("The TimestampPath '%s' does not resolve to an RFC 3339 timestamp: %s", s.TimestampPath, jsonText(v))
		}
		return t, nil
	}
	return now.Add(seconds(s.Seconds)), nil
}

func (v *visit) choice(s *asl.Choice) (string, any, error) {
	e, err := v.effective(s.InputPath)
	if err != nil {
		return "", nil, err
	}
	next, err := e.choose(s)
	if err != nil {
		return "", nil, err
	}
	out, err := e.filterPath(s.OutputPath)
	return next, out, err
}

func (v *visit) succeed(s *asl.Succeed) (any, error) {
	e, err := v.effective(s.InputPath)
	if err != nil {
		return nil, err
	}
	return e.filterPath(s.OutputPath)
}

// fail returns the Fail state's error; ErrorPath and CausePath read the
// raw input and must give strings.
func (v *visit) fail(s *asl.Fail) error {
	f := &Failure{Name: s.Error, Cause: s.Cause}
	fields := []struct {
		expr  asl.Expr
		field string
		dst   *string
	}{{s.ErrorPath, "ErrorPath", &f.Name}, {s.CausePath, "CausePath", &f.Cause}}
	for _, x := range fields {
		if x.expr == nil {
			continue
		}
		val, err := v.env(v.input).value(x.expr, x.field)
		if err != nil {
			return err
		}
		str, ok := val.(string)
		if !ok {
			return runtimeError("The %s does not resolve to a string: %s", x.field, jsonText(val))
		}
		*x.dst = str
	}
	return f
}
