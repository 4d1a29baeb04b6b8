package asl

import (
	"fmt"
	"slices"
)

// transitioner is a state that ends with Next or End.
type transitioner interface {
	transition() (next string, end bool)
}

func (t *Task) transition() (string, bool)     { return t.Next, t.End }
func (p *Pass) transition() (string, bool)     { return p.Next, p.End }
func (w *Wait) transition() (string, bool)     { return w.Next, w.End }
func (p *Parallel) transition() (string, bool) { return p.Next, p.End }
func (m *Map) transition() (string, bool)      { return m.Next, m.End }

// handler is a state that can Retry and Catch.
type handler interface{ handlers() ([]Retrier, []Catcher) }

func (t *Task) handlers() ([]Retrier, []Catcher)     { return t.Retry, t.Catch }
func (p *Parallel) handlers() ([]Retrier, []Catcher) { return p.Retry, p.Catch }
func (m *Map) handlers() ([]Retrier, []Catcher)      { return m.Retry, m.Catch }

// Transition is the Next and End of a state that has them (all but
// Choice, Succeed and Fail).
func Transition(s State) (next string, end bool) {
	if t, ok := s.(transitioner); ok {
		return t.transition()
	}
	return "", false
}

// Catchers is the Catch of a state that can have one (Task, Parallel,
// Map); ok is false for the others.
func Catchers(s State) (catch []Catcher, ok bool) {
	if h, ok := s.(handler); ok {
		_, catch := h.handlers()
		return catch, true
	}
	return nil, false
}

// Successors lists the states s can go to, catchers included, in field
// order.
func Successors(s State) []string {
	var out []string
	for _, e := range edges(s) {
		out = append(out, e.target)
	}
	return out
}

// isTerminal reports whether s can end its scope.
func isTerminal(s State) bool {
	switch s := s.(type) {
	case *Succeed, *Fail:
		return true
	case transitioner:
		_, end := s.transition()
		return end
	}
	return false
}

// edge is one transition: the field holding it and its target.
type edge struct {
	field  string // "Next", "Default", "Choices[1].Next", "Catch[0].Next"
	target string
}

// edges lists the transitions of s in field order; empty targets are left
// out (Check reports them where they are required).
func edges(s State) []edge {
	var out []edge
	add := func(field, target string) {
		if target != "" {
			out = append(out, edge{field: field, target: target})
		}
	}
	if c, ok := s.(*Choice); ok {
		for i, r := range c.Choices {
			add(fmt.Sprintf("Choices[%d].Next", i), r.Next)
		}
		add("Default", c.Default)
	}
	if t, ok := s.(transitioner); ok {
		next, _ := t.transition()
		add("Next", next)
	}
	if h, ok := s.(handler); ok {
		_, catch := h.handlers()
		for i, c := range catch {
			add(fmt.Sprintf("Catch[%d].Next", i), c.Next)
		}
	}
	return out
}

// graph is the transition graph of one scope. Nodes are the states in
// declaration order (the first of duplicate names), so every walk over it
// is deterministic.
type graph struct {
	states States
	index  map[string]int
	succ   [][]int
}

func newGraph(states States) graph {
	g := graph{states: states, index: map[string]int{}, succ: make([][]int, len(states))}
	for i, n := range states {
		if _, dup := g.index[n.Name]; !dup {
			g.index[n.Name] = i
		}
	}
	for i, n := range states {
		for _, e := range edges(n.State) {
			if j, ok := g.index[e.target]; ok && !slices.Contains(g.succ[i], j) {
				g.succ[i] = append(g.succ[i], j)
			}
		}
	}
	return g
}

// reachable marks the states reachable from start.
func (g graph) reachable(start int) []bool {
	seen := make([]bool, len(g.states))
	stack := []int{start}
	seen[start] = true
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, j := range g.succ[i] {
			if !seen[j] {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	return seen
}

// loops returns the strongly connected components of the subgraph of the
// nodes in keep that contain a cycle, each sorted, in order of their
// first node (Tarjan's algorithm).
func (g graph) loops(keep []bool) [][]int {
	t := tarjan{g: g, keep: keep, index: make([]int, len(g.states)), low: make([]int, len(g.states)), on: make([]bool, len(g.states))}
	for i := range g.states {
		if keep[i] && t.index[i] == 0 {
			t.visit(i)
		}
	}
	slices.SortFunc(t.out, func(a, b []int) int { return a[0] - b[0] })
	return t.out
}

type tarjan struct {
	g          graph
	keep       []bool
	index, low []int // index 0: not visited yet
	on         []bool
	stack      []int
	next       int
	out        [][]int
}

func (t *tarjan) visit(i int) {
	t.next++
	t.index[i], t.low[i] = t.next, t.next
	t.stack = append(t.stack, i)
	t.on[i] = true
	for _, j := range t.g.succ[i] {
		switch {
		case !t.keep[j]:
		case t.index[j] == 0:
			t.visit(j)
			t.low[i] = min(t.low[i], t.low[j])
		case t.on[j]:
			t.low[i] = min(t.low[i], t.index[j])
		}
	}
	if t.low[i] != t.index[i] {
		return
	}
	var comp []int
	for {
		j := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[j] = false
		comp = append(comp, j)
		if j == i {
			break
		}
	}
	if len(comp) > 1 || slices.Contains(t.g.succ[i], i) {
		slices.Sort(comp)
		t.out = append(t.out, comp)
	}
}
