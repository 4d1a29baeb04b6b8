package sim

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/refreshgen/refreshgen/asl"
)

// A state's data flows through InputPath -> Parameters -> (the task) ->
// ResultSelector -> ResultPath -> OutputPath. This file holds those steps;
// the states call them in that order.

// env is what paths, templates and intrinsics are evaluated against: the
// state's data ("$") and the context object ("$$").
type env struct {
	input   any
	context any
	rng     *rand.Rand
}

// with returns e reading doc as "$".
func (e env) with(doc any) env {
	e.input = doc
	return e
}

// lookup evaluates a path; found is false when a definite path names a
// node that does not exist.
func (e env) lookup(text string) (v any, p *jsonPath, found bool, err error) {
	p, perr := parsePath(text)
	if perr != nil {
		return nil, nil, false, runtimeError("%v", perr)
	}
	v, found = p.eval(e.doc(p))
	return v, p, found, nil
}

func (e env) doc(p *jsonPath) any {
	if p.context {
		return e.context
	}
	return e.input
}

// resolve evaluates the path of the template member field ("Name.$").
func (e env) resolve(text, field string) (any, error) {
	v, p, found, err := e.lookup(text)
	if err != nil || found {
		return v, err
	}
	return nil, runtimeError("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'",
		text, field, jsonText(e.doc(p)))
}

// selectPath evaluates a path field such as InputPath or ItemsPath;
// reference fields accept definite paths only.
func (e env) selectPath(text string, reference bool) (any, error) {
	v, p, found, err := e.lookup(text)
	switch {
	case err != nil:
		return nil, err
	case reference && !p.definite():
		return nil, runtimeError("'%s' is not a reference path: it can select more than one node", text)
	case !found:
		return nil, runtimeError("Invalid path '%s' : No results for path: %s", text, p.normalized())
	}
	return v, nil
}

// filterPath applies InputPath or OutputPath: absent keeps the whole
// document, null gives an empty object.
func (e env) filterPath(p asl.Path) (any, error) {
	switch {
	case p.IsNull():
		return map[string]any{}, nil
	case !p.IsSet() || p.Expr() == "$":
		return e.input, nil
	}
	return e.selectPath(p.Expr(), false)
}

// template builds a payload from Parameters, ResultSelector or
// ItemSelector; a nil template passes the data on unchanged.
func (e env) template(t *asl.Object) (any, error) {
	if t == nil {
		return e.input, nil
	}
	return e.value(t, "")
}

// value evaluates a template value; field is the key of the member that
// holds it, as written in the definition.
func (e env) value(v asl.Value, field string) (any, error) {
	switch v := v.(type) {
	case asl.Str:
		return string(v), nil
	case asl.Num:
		return json.Number(strconv.FormatFloat(float64(v), 'f', -1, 64)), nil
	case asl.Bool:
		return bool(v), nil
	case asl.Ref:
		return e.resolve(string(v), field)
	case *asl.Intrinsic:
		return e.call(v, field)
	case asl.Array:
		out := make([]any, len(v))
		for i, elem := range v {
			x, err := e.value(elem, field)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case *asl.Object:
		out := make(map[string]any, len(v.Members))
		for _, m := range v.Members {
			key := m.Key
			if _, dynamic := m.Value.(asl.Expr); dynamic {
				key += ".$"
			}
			x, err := e.value(m.Value, key)
			if err != nil {
				return nil, err
			}
			out[m.Key] = x
		}
		return out, nil
	}
	return nil, nil // asl.Null
}

// putResult applies ResultPath to the state's raw input: null keeps the
// input, "$" (the default) replaces it, a deeper path merges the result
// into a copy of it, creating missing objects on the way.
func putResult(raw any, rp asl.Path, result any) (any, error) {
	switch {
	case rp.IsNull():
		return raw, nil
	case !rp.IsSet() || rp.Expr() == "$":
		return result, nil
	}
	p, err := parsePath(rp.Expr())
	if err != nil || p.context || !p.definite() {
		return nil, runtimeError("ResultPath '%s' is not a reference path into the state input", rp.Expr())
	}
	out, ok := setAt(raw, p.steps, result)
	if !ok {
		return nil, fail(asl.ErrResultPathMatchFailure, "Unable to apply ResultPath '%s' to input '%s'", rp.Expr(), jsonText(raw))
	}
	return out, nil
}

// setAt returns a copy of node with v placed at the definite steps; only
// the objects and arrays along the way are copied.
func setAt(node any, steps []step, v any) (any, bool) {
	if len(steps) == 0 {
		return v, true
	}
	switch sel := steps[0].sel.(type) {
	case names:
		if node == nil {
			node = map[string]any{}
		}
		o, ok := node.(map[string]any)
		if !ok {
			return nil, false
		}
		child, ok := setAt(o[sel[0]], steps[1:], v)
		if !ok {
			return nil, false
		}
		out := maps.Clone(o)
		out[sel[0]] = child
		return out, true
	case indexes:
		a, ok := node.([]any)
		i := sel[0]
		if i < 0 {
			i += len(a)
		}
		if !ok || i < 0 || i >= len(a) {
			return nil, false
		}
		child, ok := setAt(a[i], steps[1:], v)
		if !ok {
			return nil, false
		}
		out := slices.Clone(a)
		out[i] = child
		return out, true
	}
	return nil, false
}
