package workflows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
)

// startedByKey links a child execution to its parent in the console; Step
// Functions accepts it in any execution input, so contracts need not list it.
const startedByKey = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"

// flow is the generation-time data-flow check. It propagates the shape of
// the data through every state of a machine, from the input contract, to a
// fixed point (a state reached from several places gets what all of them
// agree on: a field one path lacks becomes optional), then checks every
// JSONPath each state reads against the shape of its input:
//
//   - a path must resolve, or the execution would fail with the uncatchable
//     States.Runtime (seed-workflows §0.4.2);
//   - an optional field may only be read where a Choice has tested it with
//     IsPresent (§0.4.3);
//   - a call to a child workflow must satisfy the child's input contract,
//     and reads of the child's result are checked against its output
//     contract;
//   - every way to succeed must produce the workflow's output contract.
type flow struct {
	children map[string]*Workflow // child workflows by state machine ARN
	report   bool                 // false while iterating to the fixed point
	problems []string
}

// meetAll meets the shapes of every edge into a state, in a fixed order so
// that field order does not depend on map iteration.
func meetAll(edges map[string]*Shape) *Shape {
	keys := make([]string, 0, len(edges))
	for k := range edges {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out *Shape
	for _, k := range keys {
		out = meet(out, edges[k])
	}
	return out
}

type edge struct {
	to    string
	shape *Shape
}

// at is the location at+suffix..., for problems. It is built only when
// problems are reported: a scope iterates to its fixed point with
// reporting off, and only then walks its states once more with it on.
func (f *flow) at(at string, suffix ...string) string {
	if !f.report {
		return ""
	}
	switch len(suffix) {
	case 1:
		return at + suffix[0]
	case 2:
		return at + suffix[0] + suffix[1]
	case 3:
		return at + suffix[0] + suffix[1] + suffix[2]
	}
	return at + strings.Join(suffix, "")
}

// atf is at for a location that needs formatting.
func (f *flow) atf(format string, args ...any) string {
	if !f.report {
		return ""
	}
	return fmt.Sprintf(format, args...)
}

func (f *flow) problem(at, format string, args ...any) {
	if f.report {
		msg := at + ": " + fmt.Sprintf(format, args...)
		if !slices.Contains(f.problems, msg) {
			f.problems = append(f.problems, msg)
		}
	}
}

// checkFlow checks machine m of a workflow with the given contracts.
func checkFlow(m *asl.Machine, input, output *Shape, children map[string]*Workflow) []string {
	f := &flow{children: children, report: true}
	out := f.scope("States", m.States, m.StartAt, input)
	if out == nil {
		f.problem("States", "no way to succeed")
	} else if output != nil {
		for _, p := range conform(out, output, "") {
			f.problem("output", "%s", p)
		}
	}
	return f.problems
}

// scope analyses one list of states (a machine, a branch or a processor)
// entered with input and returns what its successful ends produce.
//
// A state's input is the meet of what every edge into it currently brings;
// an edge's contribution is replaced, not accumulated, when its source is
// analysed again, so a shape seen before the fixed point was reached does
// not linger.
func (f *flow) scope(at string, states asl.States, start string, input *Shape) *Shape {
	contrib := map[string]map[string]*Shape{start: {"": input}} // target -> edge -> shape
	in := map[string]*Shape{start: input}
	report := f.report
	f.report = false
	for work := []string{start}; len(work) > 0; {
		name := work[len(work)-1]
		work = work[:len(work)-1]
		st, ok := states.Get(name)
		if !ok {
			continue // asl.Check reports dangling transitions
		}
		edges, _ := f.transfer(f.at(at, ".", name), st, in[name])
		for i, e := range edges {
			if contrib[e.to] == nil {
				contrib[e.to] = map[string]*Shape{}
			}
			contrib[e.to][fmt.Sprintf("%s#%d", name, i)] = e.shape
			merged := meetAll(contrib[e.to])
			if in[e.to] == nil || !merged.equal(in[e.to]) {
				in[e.to] = merged
				work = append(work, e.to)
			}
		}
	}
	f.report = report
	var out *Shape
	for _, ns := range states {
		if in[ns.Name] == nil {
			continue
		}
		if _, done := f.transfer(f.at(at, ".", ns.Name), ns.State, in[ns.Name]); done != nil {
			out = meet(out, done)
		}
	}
	return out
}

// transfer computes the shapes a state passes to its successors and, when
// it ends the scope successfully, its output.
func (f *flow) transfer(at string, st asl.State, in *Shape) (edges []edge, done *Shape) {
	switch s := st.(type) {
	case *asl.Task:
		eff := f.path(f.at(at, ".InputPath"), in, s.InputPath)
		params := eff
		if s.Parameters != nil {
			params = f.template(f.at(at, ".Parameters"), s.Parameters, eff, nil)
		}
		if s.Credentials != nil {
			f.value(f.at(at, ".Credentials.RoleArn"), s.Credentials.RoleArn, eff, nil)
		}
		result := f.taskResult(at, s, params)
		return f.finish(at, in, result, s.ResultSelector, s.ResultPath, s.OutputPath, s.Catch, s.Next, s.End)
	case *asl.Pass:
		eff := f.path(f.at(at, ".InputPath"), in, s.InputPath)
		result := eff
		switch {
		case s.Result != nil:
			result = f.value(f.at(at, ".Result"), s.Result, eff, nil)
		case s.Parameters != nil:
			result = f.template(f.at(at, ".Parameters"), s.Parameters, eff, nil)
		}
		return f.finish(at, in, result, nil, s.ResultPath, s.OutputPath, nil, s.Next, s.End)
	case *asl.Choice:
		eff := f.path(f.at(at, ".InputPath"), in, s.InputPath)
		for i, r := range s.Choices {
			f.condition(f.atf("%s.Choices[%d]", at, i), r.Condition, eff)
			edges = append(edges, edge{r.Next, f.path(f.at(at, ".OutputPath"), present(eff, r.Condition), s.OutputPath)})
		}
		if s.Default != "" {
			edges = append(edges, edge{s.Default, f.path(f.at(at, ".OutputPath"), eff, s.OutputPath)})
		}
		return edges, nil
	case *asl.Wait:
		eff := f.path(f.at(at, ".InputPath"), in, s.InputPath)
		f.readPath(f.at(at, ".SecondsPath"), s.SecondsPath, eff, Number)
		f.readPath(f.at(at, ".TimestampPath"), s.TimestampPath, eff, String)
		out := f.path(f.at(at, ".OutputPath"), eff, s.OutputPath)
		return nextEdge(s.Next, s.End, out)
	case *asl.Succeed:
		eff := f.path(f.at(at, ".InputPath"), in, s.InputPath)
		return nil, f.path(f.at(at, ".OutputPath"), eff, s.OutputPath)
	case *asl.Fail:
		if s.ErrorPath != nil {
			f.value(f.at(at, ".ErrorPath"), s.ErrorPath, in, nil)
		}
		if s.CausePath != nil {
			f.value(f.at(at, ".CausePath"), s.CausePath, in, nil)
		}
		return nil, nil
	case *asl.Parallel:
		eff := f.path(f.at(at, ".InputPath"), in, s.InputPath)
		if s.Parameters != nil {
			eff = f.template(f.at(at, ".Parameters"), s.Parameters, eff, nil)
		}
		result := &Shape{Kind: Tuple}
		for i, b := range s.Branches {
			out := f.scope(f.atf("%s.Branches[%d].States", at, i), b.States, b.StartAt, eff)
			result.Items = append(result.Items, orAny(out))
		}
		return f.finish(at, in, result, s.ResultSelector, s.ResultPath, s.OutputPath, s.Catch, s.Next, s.End)
	case *asl.Map:
		return f.mapState(at, s, in)
	}
	return nil, nil
}

func (f *flow) mapState(at string, s *asl.Map, in *Shape) ([]edge, *Shape) {
	eff := f.path(f.at(at, ".InputPath"), in, s.InputPath)
	itemsPath := s.ItemsPath
	if itemsPath == "" {
		itemsPath = "$"
	}
	items := f.resolve(f.at(at, ".ItemsPath"), itemsPath, eff, nil)
	elem := &Shape{Kind: Any}
	switch items.Kind {
	case Array:
		elem = items.Elem
	case Tuple:
		for _, it := range items.Items {
			elem = meet(elem, it)
		}
	case Any:
	default:
		f.problem(f.at(at, ".ItemsPath"), "%s is %s, not an array", itemsPath, items.Kind)
	}
	iteration := elem
	if s.ItemSelector != nil {
		iteration = f.template(f.at(at, ".ItemSelector"), s.ItemSelector, eff, elem)
	}
	var result *Shape = List(&Shape{Kind: Any})
	if p := s.ItemProcessor; p != nil {
		result = List(orAny(f.scope(f.at(at, ".ItemProcessor.States"), p.States, p.StartAt, iteration)))
	}
	return f.finish(at, in, result, s.ResultSelector, s.ResultPath, s.OutputPath, s.Catch, s.Next, s.End)
}

// finish applies ResultSelector, ResultPath and OutputPath to a result and
// returns the edges to Next and to every catcher.
func (f *flow) finish(at string, in, result *Shape, selector *asl.Object, resultPath, outputPath asl.Path,
	catch []asl.Catcher, next string, end bool) ([]edge, *Shape) {
	if selector != nil {
		result = f.template(f.at(at, ".ResultSelector"), selector, result, nil)
	}
	out := f.path(f.at(at, ".OutputPath"), f.place(f.at(at, ".ResultPath"), in, resultPath, result), outputPath)
	edges, done := nextEdge(next, end, out)
	errShape := errorInfo()
	for i, c := range catch {
		edges = append(edges, edge{c.Next, f.place(f.atf("%s.Catch[%d].ResultPath", at, i), in, c.ResultPath, errShape)})
	}
	return edges, done
}

func nextEdge(next string, end bool, out *Shape) ([]edge, *Shape) {
	if end {
		return nil, out
	}
	return []edge{{next, out}}, nil
}

func orAny(s *Shape) *Shape {
	if s == nil {
		return &Shape{Kind: Any}
	}
	return s
}

// taskResult is the raw result of a Task: the child's result shape for a
// call to a library workflow (after checking the input against its
// contract), an opaque AWS response otherwise.
func (f *flow) taskResult(at string, s *asl.Task, params *Shape) *Shape {
	in, _, err := asl.ParseIntegration(s.Resource)
	if err != nil || in.Service != "states" || in.Action != "startExecution" {
		return &Shape{Kind: Any}
	}
	arn, _ := s.Parameters.StaticString("StateMachineArn")
	child := f.children[arn]
	if child == nil {
		f.problem(f.at(at, ".Parameters.StateMachineArn"), "starts %q, which is not a workflow of the library (give a static ARN)", arn)
		return &Shape{Kind: Any}
	}
	if in.Pattern != asl.Sync2 {
		f.problem(f.at(at, ".Resource"), "starts %s without .sync:2: the result would not carry the child's output", child.Key)
	}
	input, _ := params.field("Input")
	for _, p := range conform(orAny(input.Shape), child.Input, "") {
		f.problem(f.at(at, ".Parameters.Input"), "call to %s: %s", child.Key, p)
	}
	return Obj(Req("Output", child.Output), Req("ExecutionArn", Str("")), Req("Status", Str("")),
		Req("StartDate", Opaque("")), Req("StopDate", Opaque("")), Req("Input", Opaque("")))
}

// template computes the shape a payload template builds, checking every
// path it reads against src (and $$.Map.Item.Value against item).
func (f *flow) template(at string, o *asl.Object, src, item *Shape) *Shape {
	out := &Shape{Kind: Object, Fields: make([]Field, 0, len(o.Members))}
	for _, m := range o.Members {
		dollar := ""
		if _, dynamic := m.Value.(asl.Expr); dynamic {
			dollar = ".$"
		}
		out.Fields = append(out.Fields, Req(m.Key, f.value(f.at(at, ".", m.Key, dollar), m.Value, src, item)))
	}
	return out
}

func (f *flow) value(at string, v asl.Value, src, item *Shape) *Shape {
	switch v := v.(type) {
	case asl.Str:
		return &Shape{Kind: String}
	case asl.Num:
		return &Shape{Kind: Number}
	case asl.Bool:
		return &Shape{Kind: Bool}
	case asl.Null:
		return &Shape{Kind: Null}
	case asl.Ref:
		return f.resolve(at, string(v), src, item)
	case *asl.Intrinsic:
		return f.intrinsic(at, v, src, item)
	case *asl.Object:
		return f.template(at, v, src, item)
	case asl.Array:
		out := &Shape{Kind: Tuple}
		for i, e := range v {
			out.Items = append(out.Items, f.value(f.atf("%s[%d]", at, i), e, src, item))
		}
		return out
	}
	return &Shape{Kind: Any}
}

// intrinsic checks the paths an intrinsic call reads and returns the shape
// of its result, as far as it is known.
func (f *flow) intrinsic(at string, call *asl.Intrinsic, src, item *Shape) *Shape {
	var args []*Shape
	for _, a := range call.Args {
		switch a := a.(type) {
		case asl.Ref:
			args = append(args, f.resolve(at, string(a), src, item))
		case *asl.Intrinsic:
			args = append(args, f.intrinsic(at, a, src, item))
		default:
			args = append(args, &Shape{Kind: Any})
		}
	}
	switch call.Fn {
	case asl.FnFormat, asl.FnJsonToString, asl.FnBase64Encode, asl.FnBase64Decode, asl.FnHash, asl.FnUUID:
		return &Shape{Kind: String}
	case asl.FnMathAdd, asl.FnMathRandom, asl.FnArrayLength:
		return &Shape{Kind: Number}
	case asl.FnArrayContains:
		return &Shape{Kind: Bool}
	case asl.FnArray, asl.FnStringSplit, asl.FnArrayRange, asl.FnArrayPartition:
		return List(&Shape{Kind: Any})
	case asl.FnArrayUnique:
		return args[0]
	case asl.FnArrayGetItem:
		if args[0].Kind == Array {
			return args[0].Elem
		}
	}
	return &Shape{Kind: Any}
}

// readPath checks an optional *Path field of a state.
func (f *flow) readPath(at, path string, src *Shape, want Kind) {
	if path == "" {
		return
	}
	got := f.resolve(at, path, src, nil)
	if got.Kind != want && got.Kind != Any {
		f.problem(at, "%s is %s, not %s", path, got.Kind, want)
	}
}

// path applies InputPath or OutputPath p to data.
func (f *flow) path(at string, data *Shape, p asl.Path) *Shape {
	switch {
	case p.IsNull():
		return Obj()
	case !p.IsSet() || p.Expr() == "$":
		return data
	}
	return f.resolve(at, p.Expr(), data, nil)
}

// place applies a ResultPath: the result replaces the input ("$"), is
// discarded (null), or is set at a path inside the input.
func (f *flow) place(at string, in *Shape, p asl.Path, result *Shape) *Shape {
	switch {
	case p.IsNull():
		return in
	case !p.IsSet() || p.Expr() == "$":
		return result
	}
	keys, ok := dottedKeys(p.Expr())
	if !ok {
		f.problem(at, "%s: only $ or a dotted path such as $.Result.Value may receive a result", p.Expr())
		return &Shape{Kind: Any}
	}
	return setAt(in, keys, result)
}

func setAt(s *Shape, keys []string, v *Shape) *Shape {
	if len(keys) == 0 {
		return v
	}
	child, _ := s.field(keys[0])
	return s.with(Req(keys[0], setAt(child.Shape, keys[1:], v)))
}

// dottedKeys splits "$.a.b" into [a b].
func dottedKeys(p string) ([]string, bool) {
	if !strings.HasPrefix(p, "$.") {
		return nil, false
	}
	keys := strings.Split(p[2:], ".")
	for _, k := range keys {
		if k == "" || strings.ContainsAny(k, "[]*?@'\" ") {
			return nil, false
		}
	}
	return keys, true
}

// condition checks the paths a Choice rule reads: a comparison needs its
// variable present and of the compared kind; IsPresent may test an
// optional field, and only that makes it readable on the rule's branch.
func (f *flow) condition(at string, c asl.Condition, in *Shape) {
	for i, op := range c.Operands {
		f.condition(f.atf("%s.%s[%d]", at, c.Operator, i), op, in)
	}
	if c.Variable == "" {
		return
	}
	if c.Operator == asl.IsPresent {
		f.lookup(f.at(at, ".Variable"), c.Variable, in, nil, true)
		return
	}
	got := f.resolve(f.at(at, ".Variable"), c.Variable, in, nil)
	if want, ok := comparedKind(c.Operator); ok && got.Kind != Any && got.Kind != want {
		f.problem(f.at(at, ".Variable"), "%s compares %s as %s, but it is %s", c.Operator, c.Variable, want, got.Kind)
	}
	if other, ok := c.Value.(string); ok && strings.HasSuffix(string(c.Operator), "Path") {
		f.resolve(f.at(at, ".", string(c.Operator)), other, in, nil)
	}
}

func comparedKind(op asl.Operator) (Kind, bool) {
	name := string(op)
	switch {
	case strings.HasPrefix(name, "String"):
		return String, true
	case strings.HasPrefix(name, "Numeric"):
		return Number, true
	case strings.HasPrefix(name, "Boolean"):
		return Bool, true
	case strings.HasPrefix(name, "Timestamp"):
		return String, true
	}
	return 0, false
}

// present returns in with every field that the condition proves present
// (IsPresent true, alone or under And) marked as required.
func present(in *Shape, c asl.Condition) *Shape {
	switch {
	case c.Operator == asl.IsPresent && c.Value == true:
		if keys, ok := dottedKeys(c.Variable); ok {
			return markPresent(in, keys)
		}
	case c.Operator == asl.OpAnd:
		for _, op := range c.Operands {
			in = present(in, op)
		}
	}
	return in
}

func markPresent(s *Shape, keys []string) *Shape {
	if len(keys) == 0 || s == nil || s.Kind != Object {
		return s
	}
	f, ok := s.field(keys[0])
	if !ok {
		return s
	}
	return s.with(Req(keys[0], markPresent(f.Shape, keys[1:])))
}

// resolve returns the shape at a JSONPath read from src (or from the
// context object for "$$" paths), reporting a path that cannot resolve.
func (f *flow) resolve(at, path string, src, item *Shape) *Shape {
	return f.lookup(at, path, src, item, false)
}

// lookup walks a path through a shape. With mayBeAbsent (an IsPresent
// test) missing or optional fields are fine.
func (f *flow) lookup(at, path string, src, item *Shape, mayBeAbsent bool) *Shape {
	root := src
	rest := strings.TrimPrefix(path, "$")
	if strings.HasPrefix(path, "$$") {
		root, rest = contextShape(item), strings.TrimPrefix(path, "$$")
	}
	cur := orAny(root)
	for rest != "" {
		tok, tail, ok := nextToken(rest)
		if !ok {
			if cur.Kind != Any {
				f.problem(at, "%s: refreshgen's workflows read contract data with plain paths ($.a.b, $.a[0], $.a[*], $.a[?(...)])", path)
			}
			return &Shape{Kind: Any}
		}
		next, msg := step(cur, tok)
		if msg != "" {
			if !mayBeAbsent {
				f.problem(at, "%s does not resolve: %s", path, msg)
			}
			return &Shape{Kind: Any}
		}
		if next.optional && !mayBeAbsent {
			f.problem(at, "%s reads the optional field %q without an IsPresent guard (it would fail with States.Runtime when absent)", path, tok)
		}
		cur, rest = next.shape, tail
	}
	return cur
}

type stepResult struct {
	shape    *Shape
	optional bool
}

// step follows one path token: a field name, an index or "*".
func step(cur *Shape, tok string) (stepResult, string) {
	switch cur.Kind {
	case Any:
		return stepResult{shape: &Shape{Kind: Any}}, ""
	case Object:
		fld, ok := cur.field(tok)
		if !ok {
			return stepResult{}, fmt.Sprintf("there is no field %q here (fields: %s)", tok, cur.names())
		}
		return stepResult{shape: fld.Shape, optional: fld.Optional}, ""
	case Array:
		if tok == "*" || strings.HasPrefix(tok, "?(") { // all elements, or those a filter keeps
			return stepResult{shape: List(cur.Elem)}, ""
		}
		if _, err := strconv.Atoi(tok); err == nil {
			return stepResult{shape: cur.Elem}, ""
		}
	case Tuple:
		if n, err := strconv.Atoi(tok); err == nil && n >= 0 && n < len(cur.Items) {
			return stepResult{shape: cur.Items[n]}, ""
		}
		if tok == "*" || strings.HasPrefix(tok, "?(") {
			var elem *Shape
			for _, it := range cur.Items {
				elem = meet(elem, it)
			}
			return stepResult{shape: List(orAny(elem))}, ""
		}
	}
	return stepResult{}, fmt.Sprintf("%q cannot be taken from %s", tok, cur.Kind)
}

// nextToken splits the first step off a path: ".name", "['name']", "[n]",
// "[*]" or a filter "[?(...)]" (returned as "?(...)").
func nextToken(p string) (tok, rest string, ok bool) {
	switch {
	case strings.HasPrefix(p, ".") && !strings.HasPrefix(p, ".."):
		end := strings.IndexAny(p[1:], ".[")
		if end < 0 {
			return p[1:], "", p[1:] != ""
		}
		return p[1 : end+1], p[end+1:], end > 0
	case strings.HasPrefix(p, "['"):
		end := strings.Index(p, "']")
		if end < 0 {
			return "", "", false
		}
		return p[2:end], p[end+2:], true
	case strings.HasPrefix(p, "[?("):
		end := strings.Index(p, ")]")
		if end < 0 {
			return "", "", false
		}
		return p[1 : end+1], p[end+2:], true
	case strings.HasPrefix(p, "["):
		end := strings.IndexByte(p, ']')
		if end < 0 {
			return "", "", false
		}
		inner := p[1:end]
		if _, err := strconv.Atoi(inner); err != nil && inner != "*" {
			return "", "", false
		}
		return inner, p[end+1:], true
	}
	return "", "", false
}

// contextShape is the context object; $$.Map.Item is only there for an
// ItemSelector (item is the element shape).
func contextShape(item *Shape) *Shape {
	if item != nil {
		return contextObject.with(Req("Map", Obj(Req("Item", Obj(Req("Index", Num("")), Req("Value", item))))))
	}
	return contextObject
}

// contextObject is the context object without $$.Map, built once: shapes
// are never modified (with and meet build new ones).
var contextObject = Obj(
	Req("Execution", Obj(Req("Id", Str("")), Req("Name", Str("")), Req("StartTime", Str("")),
		Req("Input", Opaque("")), Req("RoleArn", Str("")), Req("RedriveCount", Num("")))),
	Req("State", Obj(Req("Name", Str("")), Req("EnteredTime", Str("")), Req("RetryCount", Num("")))),
	Req("StateMachine", Obj(Req("Id", Str("")), Req("Name", Str("")))),
	Opt("Task", Obj(Req("Token", Str("")))),
)
