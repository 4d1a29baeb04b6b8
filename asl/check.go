package asl

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// CheckOptions tunes Machine.Check.
type CheckOptions struct {
	// RequireTimeout demands a top-level TimeoutSeconds. Set it for
	// orchestrators and any machine started by people or schedules, so
	// that no execution can hang for the one-year service maximum.
	RequireTimeout bool
}

// Problem is one defect found by Check, located by its path in the
// definition, e.g. `States.Phase1.Branches[0].States.Restore`.
type Problem struct {
	At  string
	Msg string
}

func (p Problem) Error() string { return orRoot(p.At) + ": " + p.Msg }

// Problems is every defect Check found, in definition order; it is the
// error Check and Unmarshal return.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Limits from the Step Functions quotas and the ASL specification.
const (
	maxNameLen      = 80
	maxSeconds      = 99999999
	maxDelaySeconds = 31622400
)

// Check reports every defect of m that can be found before deployment,
// as Problems (nil if none). The model checks run first; when they find
// nothing, the embedded JSON Schema gets a second opinion on Marshal's
// output. It runs only then so that one defect is not reported twice, in
// two vocabularies.
func (m *Machine) Check(opts CheckOptions) error {
	return m.CheckEncoded(opts, Encoding{})
}

// Encoding is a machine's JSON as Marshal writes it (Data, or the error
// Err), with what the schema check needs of it. Encode makes one.
type Encoding struct {
	Data []byte
	Err  error
	tree object
}

// Encode encodes m as Marshal does.
func Encode(m *Machine) Encoding {
	tree := encodeRecord(m)
	data, err := marshalTree(tree)
	return Encoding{Data: data, Err: err, tree: tree}
}

// CheckEncoded is Check for a machine that Encode encoded into enc (and
// that did not change since): the schema is applied to enc rather than
// to a new encoding. With a zero Encoding it is Check.
func (m *Machine) CheckEncoded(opts CheckOptions, enc Encoding) error {
	c := &checker{names: map[string]string{}}
	c.machine(m, opts)
	if len(c.problems) == 0 {
		if enc.tree == nil {
			enc = Encode(m)
		}
		if enc.Err != nil {
			c.add("", "cannot marshal: %v", enc.Err)
		} else {
			c.problems = treeProblems(enc.tree, enc.Data)
		}
	}
	if len(c.problems) == 0 {
		return nil
	}
	return c.problems
}

type checker struct {
	problems Problems
	names    map[string]string // state name -> location of its first use
}

func (c *checker) add(at, format string, args ...any) {
	c.problems = append(c.problems, Problem{At: at, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) machine(m *Machine, opts CheckOptions) {
	switch {
	case m.TimeoutSeconds == 0 && opts.RequireTimeout:
		c.add("TimeoutSeconds", "required for a top-level machine, so that an execution cannot run for a year")
	case m.TimeoutSeconds < 0 || m.TimeoutSeconds > maxSeconds:
		c.add("TimeoutSeconds", "%d is outside 1..%d", m.TimeoutSeconds, maxSeconds)
	}
	if m.Version != "" && m.Version != "1.0" {
		c.add("Version", "%q is not \"1.0\"", m.Version)
	}
	if m.QueryLanguage != "" && m.QueryLanguage != "JSONPath" {
		c.add("QueryLanguage", "%q: only JSONPath is modelled", m.QueryLanguage)
	}
	c.scope(scope{startAt: m.StartAt, states: m.States})
}

// scope checks one namespace of transitions and recurses into the
// branches and processors nested in it.
func (c *checker) scope(sc scope) {
	if len(sc.states) == 0 {
		c.add(sc.at, "States is empty")
		return
	}
	g := newGraph(sc.states)
	start, ok := g.index[sc.startAt]
	if !ok {
		c.add(join(sc.at, "StartAt"), "%q does not exist", sc.startAt)
	}
	var reached []bool
	if ok {
		reached = g.reachable(start)
	}
	terminal := false
	for i, n := range sc.states {
		at := sc.stateAt(n.Name)
		c.name(at, n.Name)
		if n.State == nil {
			c.add(at, "state is nil")
			continue
		}
		terminal = terminal || isTerminal(n.State)
		if reached != nil && !reached[i] {
			c.add(at, "not reachable from StartAt %q", sc.startAt)
		}
		for _, e := range edges(n.State) {
			if _, ok := g.index[e.target]; !ok {
				c.add(at, "%s %q does not exist", e.field, e.target)
			}
		}
		c.state(at, n.State)
		for _, child := range children(at, n.State) {
			c.scope(child)
		}
	}
	if !terminal {
		c.add(sc.at, "no terminal state (Succeed, Fail or End: true)")
	}
	all := slices.Repeat([]bool{true}, len(sc.states))
	for _, loop := range g.loops(all) {
		c.loop(sc, g, loop)
	}
}

// name checks a state name; Step Functions wants names unique across the
// whole machine, nested branches and processors included.
func (c *checker) name(at, name string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		c.add(at, "empty state name")
	case n > maxNameLen:
		c.add(at, "state name is %d characters long, more than %d", n, maxNameLen)
	}
	if first, dup := c.names[name]; dup {
		c.add(at, "state name %q is already used at %s", name, first)
		return
	}
	c.names[name] = at
}

// state checks the rules that involve several fields of a state; the
// fields check their own values through record.
func (c *checker) state(at string, s State) {
	c.record(at, s)
	if t, ok := s.(transitioner); ok {
		switch next, end := t.transition(); {
		case next != "" && end:
			c.add(at, "has both End and Next")
		case next == "" && !end:
			c.add(at, "needs Next or End")
		}
	}
	if h, ok := s.(handler); ok {
		retry, catch := h.handlers()
		for i, r := range retry {
			c.retrier(fmt.Sprintf("%s.Retry[%d]", at, i), r, i == len(retry)-1)
		}
		for i, k := range catch {
			c.catcher(fmt.Sprintf("%s.Catch[%d]", at, i), k, i == len(catch)-1)
		}
	}
	switch s := s.(type) {
	case *Task:
		c.task(at, s)
	case *Choice:
		c.choice(at, s)
	case *Wait:
		c.wait(at, s)
	case *Fail:
		c.exclusive(at, s.Error != "", "Error", s.ErrorPath != nil, "ErrorPath")
		c.exclusive(at, s.Cause != "", "Cause", s.CausePath != nil, "CausePath")
	case *Parallel:
		if len(s.Branches) == 0 {
			c.add(at, "Branches is empty")
		}
	case *Map:
		c.mapState(at, s)
	}
}

// record runs the value checks of every field of r.
func (c *checker) record(at string, r record) {
	for _, f := range r.fields() {
		if f.check != nil {
			f.check(c, join(at, f.key))
		}
	}
}

func (c *checker) task(at string, t *Task) {
	if t.Resource == "" {
		c.add(at, "Resource is empty")
	} else if !strings.HasPrefix(t.Resource, "arn:") {
		c.add(at+".Resource", "%q is not an ARN", t.Resource)
	} else if isIntegration(t.Resource) {
		if _, _, err := ParseIntegration(t.Resource); err != nil {
			c.add(at+".Resource", "%v", err)
		}
	}
	if t.Credentials != nil {
		switch v := t.Credentials.RoleArn.(type) {
		case Str:
			if !strings.HasPrefix(string(v), "arn:") {
				c.add(at+".Credentials.RoleArn", "%q is not a role ARN", v)
			}
		case Expr:
			c.expr(at+".Credentials.RoleArn.$", v, false)
		default:
			c.add(at+".Credentials", "RoleArn must be a Str, a Ref or an intrinsic call")
		}
	}
	c.seconds(at, "TimeoutSeconds", t.TimeoutSeconds, t.TimeoutSecondsPath)
	c.seconds(at, "HeartbeatSeconds", t.HeartbeatSeconds, t.HeartbeatSecondsPath)
	if t.HeartbeatSeconds > 0 && t.TimeoutSeconds > 0 && t.HeartbeatSeconds >= t.TimeoutSeconds {
		c.add(at, "HeartbeatSeconds %d must be less than TimeoutSeconds %d", t.HeartbeatSeconds, t.TimeoutSeconds)
	}
}

// isIntegration tells service-integration ARNs (no region or account)
// from Lambda function and activity ARNs.
func isIntegration(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[2] == "states" && parts[3] == "" && parts[4] == ""
}

func (c *checker) seconds(at, key string, n int, path string) {
	c.exclusive(at, n != 0, key, path != "", key+"Path")
	if n < 0 || n > maxSeconds {
		c.add(join(at, key), "%d is outside 1..%d", n, maxSeconds)
	}
}

func (c *checker) exclusive(at string, a bool, aName string, b bool, bName string) {
	if a && b {
		c.add(at, "%s and %s are exclusive", aName, bName)
	}
}

func (c *checker) choice(at string, s *Choice) {
	if len(s.Choices) == 0 {
		c.add(at, "Choices is empty")
	}
	for i, r := range s.Choices {
		if r.Next == "" {
			c.add(fmt.Sprintf("%s.Choices[%d]", at, i), "Next is empty")
		}
	}
}

func (c *checker) wait(at string, w *Wait) {
	set := 0
	for _, ok := range []bool{w.Seconds != 0, w.SecondsPath != "", w.Timestamp != "", w.TimestampPath != ""} {
		if ok {
			set++
		}
	}
	if set > 1 {
		c.add(at, "Seconds, SecondsPath, Timestamp and TimestampPath are exclusive")
	}
	if w.Seconds < 0 || w.Seconds > maxSeconds {
		c.add(at+".Seconds", "%d is outside 0..%d", w.Seconds, maxSeconds)
	}
	if w.Timestamp != "" {
		c.timestamp(at+".Timestamp", w.Timestamp)
	}
}

func (c *checker) timestamp(at, ts string) {
	if _, err := time.Parse(time.RFC3339, ts); err != nil {
		c.add(at, "%q is not an RFC 3339 timestamp", ts)
	}
}

func (c *checker) mapState(at string, m *Map) {
	if m.ItemProcessor == nil {
		c.add(at, "ItemProcessor is missing")
		return
	}
	mode, execution := Inline, ""
	if cfg := m.ItemProcessor.Config; cfg != nil {
		mode, execution = cfg.Mode, cfg.ExecutionType
	}
	cfgAt := at + ".ItemProcessor.ProcessorConfig"
	switch {
	case mode == Distributed && execution != "STANDARD" && execution != "EXPRESS":
		c.add(cfgAt, "DISTRIBUTED needs ExecutionType STANDARD or EXPRESS")
	case mode == Inline && execution != "":
		c.add(cfgAt, "ExecutionType applies to DISTRIBUTED only")
	case mode != Inline && mode != Distributed:
		c.add(cfgAt, "Mode %q is not INLINE or DISTRIBUTED", mode)
	}
	tolerates := m.ToleratedFailurePercentage != 0 || m.ToleratedFailurePercentagePath != "" || m.ToleratedFailureCount != 0 || m.ToleratedFailureCountPath != ""
	if tolerates && mode != Distributed {
		c.add(at, "ToleratedFailure* apply to DISTRIBUTED processors only; an INLINE Map fails on the first failed iteration")
	}
	c.exclusive(at, m.ToleratedFailurePercentage != 0, "ToleratedFailurePercentage", m.ToleratedFailurePercentagePath != "", "ToleratedFailurePercentagePath")
	c.exclusive(at, m.ToleratedFailureCount != 0, "ToleratedFailureCount", m.ToleratedFailureCountPath != "", "ToleratedFailureCountPath")
	if m.ToleratedFailurePercentage < 0 || m.ToleratedFailurePercentage > 100 {
		c.add(at+".ToleratedFailurePercentage", "%d is outside 0..100", m.ToleratedFailurePercentage)
	}
	if m.ToleratedFailureCount < 0 || m.MaxConcurrency < 0 {
		c.add(at, "ToleratedFailureCount and MaxConcurrency must not be negative")
	}
}

func (c *checker) retrier(at string, r Retrier, last bool) {
	c.errorNames(at, r.ErrorEquals, last, "retrier")
	if r.IntervalSeconds < 1 || r.IntervalSeconds > maxSeconds {
		c.add(at+".IntervalSeconds", "%d is outside 1..%d", r.IntervalSeconds, maxSeconds)
	}
	if r.MaxAttempts < 0 || r.MaxAttempts > maxSeconds {
		c.add(at+".MaxAttempts", "%d is outside 0..%d", r.MaxAttempts, maxSeconds)
	}
	if r.BackoffRate < 1 {
		c.add(at+".BackoffRate", "%v is less than 1.0", r.BackoffRate)
	}
	if r.MaxDelaySeconds < 0 || r.MaxDelaySeconds > maxDelaySeconds {
		c.add(at+".MaxDelaySeconds", "%d is outside 1..%d", r.MaxDelaySeconds, maxDelaySeconds)
	}
	if r.JitterStrategy != "" && r.JitterStrategy != JitterFull && r.JitterStrategy != JitterNone {
		c.add(at+".JitterStrategy", "%q is not FULL or NONE", r.JitterStrategy)
	}
}

func (c *checker) catcher(at string, k Catcher, last bool) {
	c.errorNames(at, k.ErrorEquals, last, "catcher")
	if k.Next == "" {
		c.add(at, "Next is empty")
	}
}

// errorNames enforces the ASL rule that States.ALL stands alone, in the
// last retrier or catcher: anything after it could never match.
func (c *checker) errorNames(at string, names []string, last bool, kind string) {
	if len(names) == 0 {
		c.add(at, "ErrorEquals is empty")
	}
	for _, n := range names {
		switch {
		case n == "":
			c.add(at+".ErrorEquals", "empty error name")
		case n != ErrAll:
		case len(names) > 1:
			c.add(at+".ErrorEquals", "%s must be alone in ErrorEquals", ErrAll)
		case !last:
			c.add(at+".ErrorEquals", "%s must be in the last %s", ErrAll, kind)
		}
	}
}

// path checks a JSONPath field value.
func (c *checker) path(at, p string, reference, context bool) {
	if why := pathProblem(p, reference, context); why != "" {
		c.add(at, "%s", why)
	}
}

// payload checks a template value. In a static value (a Pass Result)
// nothing is evaluated, so a Ref or intrinsic there is a mistake.
func (c *checker) payload(at string, v Value, static bool) {
	switch v := v.(type) {
	case nil:
		c.add(at, "value is nil")
	case Expr:
		if static {
			c.add(at, "Result is static JSON: %s would not be evaluated", v.expr())
			return
		}
		c.expr(at, v, false)
	case Array:
		for i, e := range v {
			c.payload(fmt.Sprintf("%s[%d]", at, i), e, static)
		}
	case *Object:
		seen := map[string]bool{}
		for _, m := range v.Members {
			switch {
			case strings.HasSuffix(m.Key, ".$"):
				c.add(at, "key %q ends in \".$\": use a Ref or intrinsic value instead", m.Key)
			case seen[m.Key]:
				c.add(at, "duplicate key %q", m.Key)
			}
			seen[m.Key] = true
			c.payload(memberAt(at, m), m.Value, static)
		}
	}
}

// expr checks a Ref or intrinsic call. A string field (Fail ErrorPath,
// CausePath) takes a reference path or an intrinsic returning a string.
func (c *checker) expr(at string, e Expr, stringField bool) {
	switch e := e.(type) {
	case Ref:
		c.path(at, string(e), stringField, true)
	case *Intrinsic:
		if stringField && !e.Fn.returnsString() {
			c.add(at, "%s does not return a string", e.Fn)
		}
		c.intrinsic(at, e)
	}
}

func (c *checker) intrinsic(at string, call *Intrinsic) {
	if _, _, ok := call.Fn.Arity(); !ok {
		c.add(at, "unknown intrinsic function %q", call.Fn)
	} else if !call.Fn.Takes(len(call.Args)) {
		c.add(at, "%s takes %s arguments, not %d", call.Fn, call.Fn.ArityText(), len(call.Args))
	}
	for i, a := range call.Args {
		template, isTemplate := a.(Template)
		switch {
		case isTemplate != (call.Fn == FnFormat && i == 0):
			c.add(at, "%s argument %d: a Template is the first argument of %s only", call.Fn, i+1, FnFormat)
		case isTemplate && strings.Count(string(template), "{}") != len(call.Args)-1:
			c.add(at, "%s: %d placeholders for %d arguments", FnFormat, strings.Count(string(template), "{}"), len(call.Args)-1)
		case isTemplate && strings.Count(string(template), "{")+strings.Count(string(template), "}") != 2*strings.Count(string(template), "{}"):
			c.add(at, "%s: literal braces in the template are not supported", FnFormat)
		case a == nil:
			c.add(at, "%s argument %d is nil", call.Fn, i+1)
		case isFraction(a):
			c.add(at, "%s argument %d: only integer literals are portable in intrinsic calls", call.Fn, i+1)
		}
		if e, ok := a.(Expr); ok {
			c.expr(at, e, false)
		}
	}
}

// isFraction reports a non-integer number literal: the intrinsic grammar
// of the public validators, and every numeric intrinsic, take integers.
func isFraction(a Arg) bool {
	n, ok := a.(Num)
	return ok && n != Num(math.Trunc(float64(n)))
}

// condition checks a Choice condition: exactly one operator, a value of
// the kind the operator compares, and a Variable only on comparisons.
func (c *checker) condition(at string, cond Condition) {
	kind := cond.Operator.operand()
	if kind == logicOperand {
		switch {
		case cond.Variable != "":
			c.add(at, "%s takes no Variable", cond.Operator)
		case cond.Operator == OpNot && len(cond.Operands) != 1:
			c.add(at, "Not takes exactly one condition")
		case len(cond.Operands) == 0:
			c.add(at, "%s needs at least one condition", cond.Operator)
		}
		for i, o := range cond.Operands {
			c.condition(operandAt(at, cond.Operator, i), o)
		}
		return
	}
	c.path(at+".Variable", cond.Variable, true, true)
	if len(cond.Operands) > 0 {
		c.add(at, "%s takes no operands", cond.Operator)
	}
	opAt := at + "." + string(cond.Operator)
	s, isString := cond.Value.(string)
	switch _, isNumber := cond.Value.(float64); kind {
	case badOperand:
		c.add(at, "unknown operator %q", cond.Operator)
	case pathOperand:
		c.path(opAt, s, true, true)
	case stringOperand, timestampOperand:
		if !isString {
			c.add(opAt, "want a string, not %T", cond.Value)
		} else if kind == timestampOperand {
			c.timestamp(opAt, s)
		}
	case numberOperand:
		if !isNumber {
			c.add(opAt, "want a number, not %T", cond.Value)
		}
	case boolOperand, testOperand:
		if _, ok := cond.Value.(bool); !ok {
			c.add(opAt, "want a boolean, not %T", cond.Value)
		}
	}
}

func quote(s string) string { return strconv.Quote(s) }
