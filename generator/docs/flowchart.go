package docs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
)

// flowchart draws the top level of a state machine in Mermaid, read from
// its definition rather than from what the generator meant to build, so
// the README shows the machine that is deployed:
//
//   - a node per state, in the order a run meets them: the success path
//     first, then each error path from where it starts;
//   - a Task names the state machine it starts (or the service call it
//     makes), a Parallel is a box with one node per branch listing the
//     state machines the branch starts, in order; a Map lists those of its
//     iteration;
//   - Pass states only reshape data, so arrows go through them;
//   - solid arrows are transitions, dotted ones error paths. When most
//     steps catch their errors into one state (the orchestrator's
//     CleanUpAfterFailure), a single "a step fails" node stands for all of
//     those catches, which would otherwise cross the whole chart.
type flowchart struct {
	m *asl.Machine
	// child names a child state machine by its ARN; "" falls back to the
	// name in the ARN.
	child func(arn string) string
	// branchTitle names a Parallel branch from the common prefix of its
	// state names (App for AppSnapshot, AppShare, ...).
	branchTitle func(prefix string) string

	states map[string]asl.State
	ids    *mermaidIDs
	order  []string
}

// arrow is one arrow of the chart, to a state or to one of the
// pseudo-nodes below (which a state may share a name with).
type arrow struct {
	to, label string
	dotted    bool
	pseudo    bool
}

// Pseudo-nodes: where the run starts, ends without a Succeed or Fail
// state, or fails without a Catch, and the stand-in for shared catches.
const (
	nodeStart   = "start"
	nodeEnd     = "finish"
	nodeCrash   = "crash"
	nodeOnError = "onerror"
)

// drawFlowchart returns the Mermaid source of m's flowchart.
func drawFlowchart(m *asl.Machine, child func(string) string, branchTitle func(string) string) string {
	f := &flowchart{m: m, child: child, branchTitle: branchTitle, states: map[string]asl.State{}, ids: newMermaidIDs("s_")}
	for _, n := range m.States {
		if _, dup := f.states[n.Name]; !dup {
			f.states[n.Name] = n.State
		}
	}
	f.walk()
	return f.render()
}

// resolve skips Pass states that only lead on: the arrow goes to the
// first state that does something. The bound stops a cycle of Pass
// states, which asl.Check refuses anyway.
func (f *flowchart) resolve(name string) string {
	for range len(f.m.States) {
		p, ok := f.states[name].(*asl.Pass)
		if !ok || p.End || p.Next == "" {
			return name
		}
		name = p.Next
	}
	return name
}

// next lists the transitions of a state that are not errors.
func (f *flowchart) next(name string) []arrow {
	var out []arrow
	switch s := f.states[name].(type) {
	case *asl.Choice:
		for _, r := range s.Choices {
			out = append(out, arrow{to: f.resolve(r.Next), label: conditionText(r.Condition)})
		}
		if s.Default != "" {
			out = append(out, arrow{to: f.resolve(s.Default), label: "otherwise"})
		}
	case *asl.Succeed, *asl.Fail, nil:
	default:
		next, end := asl.Transition(s)
		if end {
			out = append(out, arrow{to: nodeEnd, pseudo: true})
		} else if next != "" {
			out = append(out, arrow{to: f.resolve(next)})
		}
	}
	return out
}

// catches lists the error paths of a state that lead somewhere else than
// its own Next (a catch that only carries on is no separate path), and
// whether the state can fail at all without one.
func (f *flowchart) catches(name string) (out []arrow, uncaught bool) {
	catch, ok := asl.Catchers(f.states[name])
	if !ok {
		return nil, false
	}
	normal := f.next(name)
	for _, c := range catch {
		to := f.resolve(c.Next)
		if slices.ContainsFunc(normal, func(a arrow) bool { return !a.pseudo && a.to == to }) ||
			slices.ContainsFunc(out, func(a arrow) bool { return a.to == to }) {
			continue
		}
		out = append(out, arrow{to: to, label: errorsText(c.ErrorEquals), dotted: true})
	}
	return out, !catchesAll(catch)
}

// catchesAll reports whether some catcher takes every error.
func catchesAll(catch []asl.Catcher) bool {
	return slices.ContainsFunc(catch, func(c asl.Catcher) bool { return slices.Contains(c.ErrorEquals, asl.ErrAll) })
}

// walk orders the states: depth first along the transitions from StartAt
// (the success path, Choice rules in order), then from each error path's
// target, in the order their states were met.
func (f *flowchart) walk() {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		if seen[name] || f.states[name] == nil {
			return
		}
		seen[name] = true
		f.order = append(f.order, name)
		for _, a := range f.next(name) {
			if !a.pseudo {
				visit(a.to)
			}
		}
	}
	visit(f.resolve(f.m.StartAt))
	for i := 0; i < len(f.order); i++ {
		errs, _ := f.catches(f.order[i])
		for _, a := range errs {
			visit(a.to)
		}
	}
}

// sharedCatch is the state most steps catch their errors into, if at
// least two do (ties go to the one met first).
func (f *flowchart) sharedCatch() string {
	count := map[string]int{}
	best := ""
	for _, name := range f.order {
		errs, _ := f.catches(name)
		for _, a := range errs {
			count[a.to]++
			if count[a.to] > count[best] || count[a.to] == count[best] && f.before(a.to, best) {
				best = a.to
			}
		}
	}
	if count[best] < 2 {
		return ""
	}
	return best
}

// before reports whether state a comes before state b in the chart.
func (f *flowchart) before(a, b string) bool {
	return slices.Index(f.order, a) < slices.Index(f.order, b)
}

func (f *flowchart) render() string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	shared := f.sharedCatch()
	var edges []string
	var ok, failed []string
	declared := map[string]bool{}
	edge := func(from string, a arrow) {
		to := a.to
		if !a.pseudo {
			to = f.ids.id(a.to)
		}
		arrowText := " --> "
		switch {
		case a.dotted && a.label != "":
			arrowText = ` -. "` + mermaidText(a.label) + `" .-> `
		case a.dotted:
			arrowText = " -.-> "
		case a.label != "":
			arrowText = ` -- "` + mermaidText(a.label) + `" --> `
		}
		edges = append(edges, "  "+from+arrowText+to)
	}
	pseudoNode := func(name, shape string) {
		if !declared[name] {
			declared[name] = true
			fmt.Fprintf(&b, "  %s%s\n", name, shape)
		}
	}
	pseudoNode(nodeStart, `(["start"])`)
	if len(f.order) > 0 {
		edge(nodeStart, arrow{to: f.order[0]})
	}
	for _, name := range f.order {
		id := f.ids.id(name)
		if name == shared {
			pseudoNode(nodeOnError, `{{"a step fails"}}`)
			edge(nodeOnError, arrow{to: name, dotted: true})
		}
		b.WriteString(f.node(id, name))
		switch f.states[name].(type) {
		case *asl.Succeed:
			ok = append(ok, id)
		case *asl.Fail:
			failed = append(failed, id)
		}
		for _, a := range f.next(name) {
			if a.pseudo {
				pseudoNode(nodeEnd, `(["end"])`)
			}
			edge(id, a)
		}
		errs, uncaught := f.catches(name)
		for _, a := range errs {
			if a.to != shared {
				edge(id, a)
			}
		}
		if uncaught {
			pseudoNode(nodeCrash, `(["execution fails"])`)
			edge(id, arrow{to: nodeCrash, label: "error", dotted: true, pseudo: true})
		}
	}
	for _, e := range edges {
		b.WriteString(e + "\n")
	}
	// Light fills with dark text, readable in light and dark themes alike.
	if len(ok) > 0 {
		b.WriteString("  classDef ok fill:#e6f4ea,stroke:#34a853,color:#000\n")
		b.WriteString("  class " + strings.Join(ok, ",") + " ok\n")
	}
	if declared[nodeCrash] {
		failed = append(failed, nodeCrash)
	}
	if len(failed) > 0 {
		b.WriteString("  classDef failed fill:#fce8e6,stroke:#ea4335,color:#000\n")
		b.WriteString("  class " + strings.Join(failed, ",") + " failed\n")
	}
	return b.String()
}

// node is the Mermaid declaration of one state.
func (f *flowchart) node(id, name string) string {
	switch s := f.states[name].(type) {
	case *asl.Task:
		return "  " + id + "[" + mermaidLines(nonEmpty(name, f.taskWhat(s))...) + "]\n"
	case *asl.Map:
		lines := []string{name}
		if s.ItemProcessor != nil {
			lines = append(lines, "for each item:")
			lines = append(lines, f.tasksOf(s.ItemProcessor.StartAt, s.ItemProcessor.States)...)
		}
		return "  " + id + "[[" + mermaidLines(lines...) + "]]\n"
	case *asl.Parallel:
		var b strings.Builder
		fmt.Fprintf(&b, "  subgraph %s[%s]\n", id, mermaidLines(name+": in parallel"))
		branchIDs := newMermaidIDs(id + "_")
		for i, br := range s.Branches {
			title := f.branchTitle(camelPrefix(br.States))
			if title == "" {
				title = fmt.Sprintf("branch %d", i+1)
			}
			fmt.Fprintf(&b, "    %s[%s]\n", branchIDs.id(fmt.Sprint(i+1)), mermaidLines(append([]string{title}, f.tasksOf(br.StartAt, br.States)...)...))
		}
		b.WriteString("  end\n")
		return b.String()
	case *asl.Choice:
		return "  " + id + "{" + mermaidLines(name) + "}\n"
	case *asl.Succeed, *asl.Fail:
		return "  " + id + "([" + mermaidLines(name) + "])\n"
	case *asl.Wait:
		return "  " + id + "[" + mermaidLines(name, "wait") + "]\n"
	}
	return "  " + id + "[" + mermaidLines(name) + "]\n"
}

func nonEmpty(lines ...string) []string {
	return slices.DeleteFunc(lines, func(s string) bool { return s == "" })
}

// tasksOf lists what the Tasks of a nested scope do, nested scopes
// included, in declaration order (the order the orchestrator's branches
// run them in).
func (f *flowchart) tasksOf(startAt string, states asl.States) []string {
	var out []string
	for l := range (&asl.Machine{StartAt: startAt, States: states}).Walk() {
		if t, ok := l.State.(*asl.Task); ok {
			if what := f.taskWhat(t); what != "" {
				out = append(out, what)
			}
		}
	}
	return out
}

// taskWhat says what a Task does: the state machine it starts, or the
// service call it makes.
func (f *flowchart) taskWhat(t *asl.Task) string {
	in, _, err := asl.ParseIntegration(t.Resource)
	if err != nil {
		return ""
	}
	if in.Service == "states" && in.Action == "startExecution" {
		arn, _ := t.Parameters.StaticString("StateMachineArn")
		if name := f.child(arn); name != "" {
			return name
		}
		return arn[strings.LastIndex(arn, ":")+1:]
	}
	return in.Service + ":" + in.Action
}

// camelPrefix is the longest prefix of every state name that ends where a
// new word starts in each of them (App for AppSnapshot and AppShare, not
// AppS): the orchestrator names a branch's states after what it copies.
func camelPrefix(states asl.States) string {
	if len(states) == 0 {
		return ""
	}
	prefix := states[0].Name
	for _, n := range states[1:] {
		i := 0
		for i < len(prefix) && i < len(n.Name) && prefix[i] == n.Name[i] {
			i++
		}
		prefix = prefix[:i]
	}
	for ; prefix != ""; prefix = prefix[:len(prefix)-1] {
		if !slices.ContainsFunc(states, func(n asl.NamedState) bool {
			return len(n.Name) > len(prefix) && !isUpper(n.Name[len(prefix)])
		}) {
			break
		}
	}
	return prefix
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// errorsText labels an error path with the errors it catches.
func errorsText(errs []string) string {
	if slices.Contains(errs, asl.ErrAll) {
		return "error"
	}
	return strings.Join(errs, ", ")
}

// conditionText writes a Choice rule's condition for a label.
func conditionText(c asl.Condition) string {
	switch c.Operator {
	case asl.OpAnd, asl.OpOr:
		parts := make([]string, len(c.Operands))
		for i, o := range c.Operands {
			parts[i] = conditionText(o)
		}
		return strings.Join(parts, map[asl.Operator]string{asl.OpAnd: " and ", asl.OpOr: " or "}[c.Operator])
	case asl.OpNot:
		if len(c.Operands) == 1 {
			return "not (" + conditionText(c.Operands[0]) + ")"
		}
	case asl.IsNull, asl.IsPresent, asl.IsNumeric, asl.IsString, asl.IsBoolean, asl.IsTimestamp:
		test := strings.ToLower(strings.TrimPrefix(string(c.Operator), "Is"))
		if want, ok := c.Value.(bool); ok && !want {
			return c.Variable + " is not " + test
		}
		return c.Variable + " is " + test
	}
	op := string(c.Operator)
	for _, s := range []struct{ suffix, text string }{
		{"GreaterThanEquals", ">="}, {"LessThanEquals", "<="}, {"GreaterThan", ">"}, {"LessThan", "<"},
		{"Equals", "="}, {"Matches", "matches"},
	} {
		if base, path := strings.CutSuffix(op, "Path"); strings.HasSuffix(base, s.suffix) {
			if path {
				return fmt.Sprintf("%s %s %v", c.Variable, s.text, c.Value)
			}
			if v, ok := c.Value.(string); ok {
				return fmt.Sprintf("%s %s '%s'", c.Variable, s.text, v)
			}
			return fmt.Sprintf("%s %s %v", c.Variable, s.text, c.Value)
		}
	}
	return fmt.Sprintf("%s %s %v", c.Variable, op, c.Value)
}
