package workflows

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/internal/parallel"
)

// The inventory lists every call every machine can make, with the role it
// runs as and the values its parameters can hold. IAM is derived from it:
// each role gets exactly the actions called under it, on exactly the
// resources those parameters name.
//
// The values are found by following static strings from the orchestrators
// (where the spec put them) through every child call into the library: a
// child's input field holds the union of what its callers pass. A value
// computed at run time from a static template (States.Format) is kept as a
// pattern with "*" for the run-time parts; anything else is Unknown.

// Values is what a JSON string in a workflow may hold at run time.
type Values struct {
	Static  []string // possible values; "*" stands for a run-time part
	Unknown bool     // computed at run time, no pattern known
}

func (v Values) union(o Values) Values {
	out := Values{Static: slices.Clone(v.Static), Unknown: v.Unknown || o.Unknown}
	for _, s := range o.Static {
		if !slices.Contains(out.Static, s) {
			out.Static = append(out.Static, s)
		}
	}
	slices.Sort(out.Static)
	return out
}

func (v Values) equal(o Values) bool {
	return v.Unknown == o.Unknown && slices.Equal(v.Static, o.Static)
}

// Call is one Task of one machine, as IAM sees it.
type Call struct {
	Machine     *Machine
	State       string // where the Task is, e.g. States.Copy.Branches[0].States.AppShare
	Integration asl.Integration
	// Role holds the role ARNs the call assumes (Credentials); empty when
	// the call runs as the machine's own role.
	Role Values
	// Params maps each string leaf of the Parameters (dotted, "[]" for
	// list elements: "Input.ClusterId", "SecurityGroupIds[]") to its values.
	Params map[string]Values
}

// Assumed reports whether the call runs under an assumed role.
func (c Call) Assumed() bool { return len(c.Role.Static) > 0 || c.Role.Unknown }

// bindings maps an input path ("Account.RoleArn", "Snapshots[].SnapshotId")
// to the values it may hold.
type bindings map[string]Values

func (b bindings) add(path string, v Values) bool {
	old, ok := b[path]
	if ok && (old.Unknown || !v.Unknown) && !slices.ContainsFunc(v.Static, func(s string) bool { return !slices.Contains(old.Static, s) }) {
		return false // nothing new: the union would be old
	}
	b[path] = old.union(v)
	return true
}

// Inventory returns every call of every machine a refresh of the spec can
// run: its orchestrators and the library workflows they start, directly or
// through other workflows. A library workflow no refresh uses is left out:
// its roles get nothing for it, so that the spec alone decides what the
// roles may do.
//
// Each refresh is followed on its own, so that the values of one refresh
// never meet those of another: a library workflow both refreshes use makes
// one call per refresh, each with that refresh's account and resources,
// never staging's role on dev's key.
func Inventory(machines []Machine) []Call {
	lib := library{byARN: map[string]*Machine{}, order: map[*Machine]int{}}
	for i := range machines {
		lib.byARN[machines[i].ARN] = &machines[i]
		lib.order[&machines[i]] = i
	}
	var roots []*Machine
	for i := range machines {
		if machines[i].Workflow.Group == GroupOrchestrator {
			roots = append(roots, &machines[i])
		}
	}
	// The refreshes are followed apart (lib is only read), over the CPUs,
	// and their calls joined in the orchestrators' order.
	perRoot := make([][]Call, len(roots))
	parallel.ForEach(len(roots), func(i int) { perRoot[i] = lib.callsFrom(roots[i]) })
	return slices.Concat(perRoot...)
}

// library indexes the machines of a spec.
type library struct {
	byARN map[string]*Machine
	order map[*Machine]int // a machine's place in the generated list
}

// callsFrom returns the calls of one orchestrator and of every workflow it
// starts, with the values that refresh gives them.
func (lib library) callsFrom(root *Machine) []Call {
	inv := &inventory{library: lib, inputs: map[*Machine]bindings{root: {}}, reached: map[*Machine]bool{root: true},
		dirty: map[*Machine]bool{root: true}}
	// Input bindings only grow: this ends. A walk of a machine depends on
	// its input bindings alone, so only a machine whose bindings grew (or
	// that was just reached) is walked again; every order of the walks
	// ends at the same bindings.
	for len(inv.dirty) > 0 {
		for _, m := range inv.reachedList() {
			if inv.dirty[m] {
				delete(inv.dirty, m)
				inv.machine(m, false)
			}
		}
	}
	for _, m := range inv.reachedList() {
		inv.machine(m, true)
	}
	return inv.calls
}

// reachedList is the machines reached so far, in the order they were
// generated (so that the calls come out in a stable order).
func (inv *inventory) reachedList() []*Machine {
	out := make([]*Machine, 0, len(inv.reached))
	for m := range inv.reached {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *Machine) int { return inv.order[a] - inv.order[b] })
	return out
}

type inventory struct {
	library
	inputs  map[*Machine]bindings
	reached map[*Machine]bool // started by an orchestrator, at any depth
	dirty   map[*Machine]bool // reached machines whose bindings grew since their last walk
	record  bool
	calls   []Call
}

// scope is what the states of one scope can see: the machine's input
// bindings, or those an ItemSelector built for a Map iteration.
type scope struct {
	m     *Machine
	input bindings
	// shape is the contract of the scope's input, when it has one (the
	// machine's input, the items of an input list).
	shape *Shape
	// isInput reports whether a top-level field is input (its values come
	// from callers, possibly not all known yet) rather than run-time data.
	isInput func(field string) bool
}

// contractFields says a field is input when the contract has it.
func contractFields(s *Shape) func(string) bool {
	return func(field string) bool { _, ok := s.field(field); return ok }
}

// machine walks one reached machine, propagating bindings into its
// children and marking dirty those whose bindings grew. With record set it
// also records the calls.
func (inv *inventory) machine(m *Machine, record bool) {
	inv.record = record
	sc := scope{m: m, input: inv.inputs[m], shape: m.Workflow.Input, isInput: contractFields(m.Workflow.Input)}
	inv.states(sc, "States", m.Definition.States)
}

func (inv *inventory) states(sc scope, at string, states asl.States) {
	for _, ns := range states {
		where := "" // where a call is, for the calls recorded: not built before
		if inv.record {
			where = at + "." + ns.Name
		}
		switch s := ns.State.(type) {
		case *asl.Task:
			inv.task(sc, where, s)
		case *asl.Parallel:
			for i, b := range s.Branches {
				branch := ""
				if inv.record {
					branch = fmt.Sprintf("%s.Branches[%d].States", where, i)
				}
				inv.states(sc, branch, b.States)
			}
		case *asl.Map:
			if s.ItemProcessor == nil {
				continue
			}
			items := strings.TrimPrefix(strings.TrimPrefix(s.ItemsPath, "$"), ".") + "[]"
			inner := scope{m: sc.m, input: bindings{}}
			if s.ItemSelector != nil {
				evalValue(sc, items, s.ItemSelector, "", inner.input)
				inner.isInput = selected(s.ItemSelector)
			} else {
				inner.shape = itemShape(sc.shape, items)
				inner.isInput = contractFields(inner.shape)
				for k, v := range sc.input {
					if rest, ok := strings.CutPrefix(k, items+"."); ok {
						inner.input[rest] = v
					}
				}
			}
			processor := ""
			if inv.record {
				processor = where + ".ItemProcessor.States"
			}
			inv.states(inner, processor, s.ItemProcessor.States)
		}
	}
}

// selected says the fields an ItemSelector builds are a Map iteration's
// input; what the iteration's states add to it is run-time data.
func selected(selector *asl.Object) func(string) bool {
	return func(field string) bool {
		return slices.ContainsFunc(selector.Members, func(m asl.Member) bool { return m.Key == field })
	}
}

// itemShape is the contract of the items of the list at path ("Databases[]")
// of an input shaped s; nil when the list is not input.
func itemShape(s *Shape, path string) *Shape {
	for _, name := range strings.Split(strings.TrimSuffix(path, "[]"), ".") {
		f, ok := s.field(name)
		if !ok {
			return nil
		}
		s = f.Shape
	}
	if s == nil || s.Kind != Array {
		return nil
	}
	return s.Elem
}

// task records a call and passes the values of a child call's input on to
// the child.
func (inv *inventory) task(sc scope, at string, t *asl.Task) {
	in, _, err := asl.ParseIntegration(t.Resource)
	if err != nil {
		return
	}
	starts := in.Service == "states" && in.Action == "startExecution"
	if !inv.record && !starts {
		return // until the bindings are final, only what children get matters
	}
	params := bindings{}
	if t.Parameters != nil {
		evalValue(sc, "", t.Parameters, "", params)
	}
	role := bindings{}
	if t.Credentials != nil {
		evalValue(sc, "", t.Credentials.RoleArn, "", role)
	}
	// A role path no value reaches is a call this refresh never makes (it
	// is in a Map over a list the refresh leaves empty).
	never := t.Credentials != nil && len(role[""].Static) == 0 && !role[""].Unknown
	if inv.record && !never {
		inv.calls = append(inv.calls, Call{Machine: sc.m, State: at, Integration: in, Role: role[""], Params: params})
	}
	if !starts {
		return
	}
	arn, _ := t.Parameters.StaticString("StateMachineArn")
	child := inv.byARN[arn]
	if child == nil {
		return
	}
	changed := !inv.reached[child]
	if changed {
		inv.reached[child], inv.inputs[child] = true, bindings{}
	}
	for k, v := range params {
		if rest, ok := strings.CutPrefix(k, "Input."); ok {
			changed = inv.inputs[child].add(rest, v) || changed
		}
	}
	if changed {
		inv.dirty[child] = true
	}
}

// evalValue adds to out the values of v, placed at path prefix at. item is
// the input path of a Map's items, for $$.Map.Item.Value.
func evalValue(sc scope, item string, v asl.Value, at string, out bindings) {
	switch v := v.(type) {
	case asl.Str:
		out.add(at, Values{Static: []string{string(v)}})
	case asl.Bool: // a switch such as ManageMasterUserPassword: its presence adds needs
		out.add(at, Values{Static: []string{strconv.FormatBool(bool(v))}})
	case asl.Num:
		out.add(at, Values{Static: []string{strconv.FormatFloat(float64(v), 'f', -1, 64)}})
	case asl.Ref:
		copyRef(sc, item, string(v), at, out)
	case *asl.Intrinsic:
		if v.Fn == asl.FnArray { // States.Array(a, b): a list of those values
			for _, arg := range v.Args {
				arrayItem(sc, item, arg, at+"[]", out)
			}
			return
		}
		out.add(at, intrinsicValues(v))
	case *asl.Object:
		for _, m := range v.Members {
			evalValue(sc, item, m.Value, join(at, m.Key), out)
		}
	case asl.Array:
		for _, e := range v {
			evalValue(sc, item, e, at+"[]", out)
		}
	}
}

// arrayItem adds the values of one argument of States.Array.
func arrayItem(sc scope, item string, arg asl.Arg, at string, out bindings) {
	switch arg := arg.(type) {
	case asl.Template: // a string literal
		out.add(at, Values{Static: []string{string(arg)}})
	case asl.Value:
		evalValue(sc, item, arg, at, out)
	default:
		out.add(at, Values{Unknown: true})
	}
}

// copyRef copies the bindings under the input path a Ref reads to at. A Ref
// into run-time data (a task's result, the context) is Unknown; a Ref into
// input with no binding yet adds nothing, so that a value not known during
// the iteration does not stick as Unknown.
func copyRef(sc scope, item, ref, at string, out bindings) {
	src, ok := inputPath(ref, item)
	if ok && src == "" { // "$": the whole input
		for k, v := range sc.input {
			out.add(join(at, k), v)
		}
		return
	}
	root, _, _ := strings.Cut(src, ".")
	if !ok || (item == "" || !strings.HasPrefix(src, item)) && !sc.isInput(strings.TrimSuffix(root, "[]")) {
		out.add(at, Values{Unknown: true})
		return
	}
	for k, v := range sc.input {
		switch {
		case k == src:
			out.add(at, v)
		case strings.HasPrefix(k, src+".") || strings.HasPrefix(k, src+"[]"):
			out.add(at+strings.TrimPrefix(k, src), v)
		}
	}
}

// inputPath turns a Ref into the input path it reads ($.Account.RoleArn ->
// Account.RoleArn; $$.Map.Item.Value.Source -> <items>.Source); false for
// what is not input (the context object, array indexes).
func inputPath(ref, item string) (string, bool) {
	if rest, ok := strings.CutPrefix(ref, "$$.Map.Item.Value"); ok && item != "" {
		return item + rest, !strings.ContainsAny(rest, "[*?")
	}
	if strings.HasPrefix(ref, "$$") || strings.ContainsAny(ref, "[*?") {
		return "", false
	}
	return strings.TrimPrefix(strings.TrimPrefix(ref, "$"), "."), true
}

var placeholder = regexp.MustCompile(`\{\}`)

// intrinsicValues keeps States.Format with a static template as a pattern,
// each {} becoming "*".
func intrinsicValues(call *asl.Intrinsic) Values {
	if call.Fn != asl.FnFormat || len(call.Args) == 0 {
		return Values{Unknown: true}
	}
	tmpl, ok := call.Args[0].(asl.Template)
	if !ok {
		return Values{Unknown: true}
	}
	return Values{Static: []string{placeholder.ReplaceAllString(string(tmpl), "*")}}
}
