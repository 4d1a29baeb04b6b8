package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// Step Functions evaluates JSONPath with the Jayway library, whose syntax
// this file follows: dot and bracket members ($.a, $['a'], $['a','b']),
// indexes ($.a[0], $.a[-1], $.a[0,2]), slices ($.a[1:3], $.a[::2]),
// wildcards ($.a[*], $.a.*), deep scans ($..a) and filters
// ($.a[?(@.x == 'y' && @.n > 1)]).
//
// A path made of single member names and indexes only is definite: it
// names one node, and evaluating it fails when the node is missing. Any
// other path is indefinite: it yields the array of the nodes it matches,
// possibly empty, and never fails (Jayway's rule).

// jsonPath is a parsed path. Context paths ("$$...") read the context
// object instead of the state's data.
type jsonPath struct {
	context bool
	steps   []step
}

// step selects nodes below each current node; a deep step applies its
// selector to the node and to all of its descendants.
type step struct {
	deep bool
	sel  selector
}

type selector interface {
	// pick appends the nodes it selects in node; root is the document,
	// which filter expressions may read with "$".
	pick(node, root any, out []any) []any
	// single reports whether the selector picks at most one node.
	single() bool
	// String renders the selector in Jayway's normalized bracket form.
	String() string
}

// definite reports whether p names exactly one node.
func (p *jsonPath) definite() bool {
	for _, s := range p.steps {
		if s.deep || !s.sel.single() {
			return false
		}
	}
	return true
}

// normalized renders p as Jayway does in its error messages: $['a'][0].
func (p *jsonPath) normalized() string {
	var b strings.Builder
	b.WriteString("$")
	for _, s := range p.steps {
		if s.deep {
			b.WriteString("..")
		}
		b.WriteString(s.sel.String())
	}
	return b.String()
}

// eval applies p to doc. A definite path returns its node, or ok false
// when it is missing; an indefinite one returns the array of matches.
func (p *jsonPath) eval(doc any) (v any, ok bool) {
	nodes := []any{doc}
	for _, s := range p.steps {
		var next []any
		for _, n := range nodes {
			if s.deep {
				next = pickDeep(s.sel, n, doc, next)
			} else {
				next = s.sel.pick(n, doc, next)
			}
		}
		nodes = next
	}
	if !p.definite() {
		if nodes == nil {
			nodes = []any{}
		}
		return nodes, true
	}
	if len(nodes) == 0 {
		return nil, false
	}
	return nodes[0], true
}

// pickDeep applies sel to node and every descendant, parents first.
func pickDeep(sel selector, node, root any, out []any) []any {
	out = sel.pick(node, root, out)
	switch n := node.(type) {
	case map[string]any:
		for _, k := range sortedKeys(n) {
			out = pickDeep(sel, n[k], root, out)
		}
	case []any:
		for _, e := range n {
			out = pickDeep(sel, e, root, out)
		}
	}
	return out
}

// names selects object members; one name is definite.
type names []string

func (s names) single() bool { return len(s) == 1 }

func (s names) pick(node, _ any, out []any) []any {
	o, ok := node.(map[string]any)
	if !ok {
		return out
	}
	for _, k := range s {
		if v, ok := o[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

func (s names) String() string {
	quoted := make([]string, len(s))
	for i, k := range s {
		quoted[i] = "'" + k + "'"
	}
	return "[" + strings.Join(quoted, ",") + "]"
}

// indexes selects array elements; negative indexes count from the end.
type indexes []int

func (s indexes) single() bool { return len(s) == 1 }

func (s indexes) pick(node, _ any, out []any) []any {
	a, ok := node.([]any)
	if !ok {
		return out
	}
	for _, i := range s {
		if i < 0 {
			i += len(a)
		}
		if i >= 0 && i < len(a) {
			out = append(out, a[i])
		}
	}
	return out
}

func (s indexes) String() string {
	parts := make([]string, len(s))
	for i, n := range s {
		parts[i] = strconv.Itoa(n)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// wildcard selects every member or element.
type wildcard struct{}

func (wildcard) single() bool   { return false }
func (wildcard) String() string { return "[*]" }

func (wildcard) pick(node, _ any, out []any) []any {
	switch n := node.(type) {
	case map[string]any:
		for _, k := range sortedKeys(n) {
			out = append(out, n[k])
		}
	case []any:
		out = append(out, n...)
	}
	return out
}

// slice selects a[start:end:step] with Python's rules for negative and
// missing bounds; step must be positive.
type slice struct {
	start, end *int
	step       int
}

func (slice) single() bool { return false }

func (s slice) String() string {
	bound := func(p *int) string {
		if p == nil {
			return ""
		}
		return strconv.Itoa(*p)
	}
	return fmt.Sprintf("[%s:%s:%d]", bound(s.start), bound(s.end), s.step)
}

func (s slice) pick(node, _ any, out []any) []any {
	a, ok := node.([]any)
	if !ok {
		return out
	}
	clamp := func(p *int, def int) int {
		if p == nil {
			return def
		}
		i := *p
		if i < 0 {
			i += len(a)
		}
		return min(max(i, 0), len(a))
	}
	for i := clamp(s.start, 0); i < clamp(s.end, len(a)); i += s.step {
		out = append(out, a[i])
	}
	return out
}

// parsePath parses a JSONPath or returns why it is malformed.
func parsePath(text string) (*jsonPath, error) {
	p := &jsonPath{}
	rest, ok := strings.CutPrefix(text, "$")
	if !ok {
		return nil, fmt.Errorf("JSONPath %q does not start with '$'", text)
	}
	if r, ok := strings.CutPrefix(rest, "$"); ok {
		p.context, rest = true, r
	}
	for rest != "" {
		s, r, err := parseStep(rest)
		if err != nil {
			return nil, fmt.Errorf("JSONPath %q: %w", text, err)
		}
		p.steps, rest = append(p.steps, s), r
	}
	return p, nil
}

// parseStep reads one step from the front of s.
func parseStep(s string) (step, string, error) {
	var st step
	switch {
	case strings.HasPrefix(s, ".."):
		st.deep, s = true, s[2:]
		if strings.HasPrefix(s, "[") {
			sel, rest, err := parseBracket(s)
			st.sel = sel
			return st, rest, err
		}
	case strings.HasPrefix(s, "."):
		s = s[1:]
	case strings.HasPrefix(s, "["):
		sel, rest, err := parseBracket(s)
		st.sel = sel
		return st, rest, err
	default:
		return st, "", fmt.Errorf("unexpected %q", s)
	}
	end := strings.IndexAny(s, ".[")
	if end < 0 {
		end = len(s)
	}
	switch name := s[:end]; name {
	case "":
		return st, "", fmt.Errorf("empty member name")
	case "*":
		st.sel = wildcard{}
	default:
		st.sel = names{name}
	}
	return st, s[end:], nil
}

// parseBracket reads a bracket selector: ['a'], ['a','b'], [0], [0,1],
// [1:2], [*] or [?(...)].
func parseBracket(s string) (selector, string, error) {
	end := closingBracket(s)
	if end < 0 {
		return nil, "", fmt.Errorf("unclosed '[' in %q", s)
	}
	inner, rest := strings.TrimSpace(s[1:end]), s[end+1:]
	switch {
	case inner == "*":
		return wildcard{}, rest, nil
	case strings.HasPrefix(inner, "?"):
		f, err := parseFilter(inner)
		return f, rest, err
	case strings.HasPrefix(inner, "'") || strings.HasPrefix(inner, `"`):
		ns, err := parseNames(inner)
		return ns, rest, err
	case strings.Contains(inner, ":"):
		sl, err := parseSlice(inner)
		return sl, rest, err
	}
	var ix indexes
	for _, part := range strings.Split(inner, ",") {
		i, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return nil, "", fmt.Errorf("bad index %q", part)
		}
		ix = append(ix, i)
	}
	return ix, rest, nil
}

// closingBracket returns the index of the ']' closing the '[' at s[0],
// skipping quoted strings and nested brackets, or -1.
func closingBracket(s string) int {
	depth, quote := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

func parseNames(inner string) (names, error) {
	var ns names
	for inner != "" {
		lit, rest, err := quotedString(inner)
		if err != nil {
			return nil, err
		}
		ns = append(ns, lit)
		rest = strings.TrimSpace(rest)
		if rest == "" {
			break
		}
		r, ok := strings.CutPrefix(rest, ",")
		if !ok {
			return nil, fmt.Errorf("want ',' between names, got %q", rest)
		}
		inner = strings.TrimSpace(r)
	}
	return ns, nil
}

// quotedString reads a '...' or "..." literal with backslash escapes from
// the front of s.
func quotedString(s string) (string, string, error) {
	quote := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == quote:
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("unterminated string %q", s)
}

func parseSlice(inner string) (slice, error) {
	parts := strings.Split(inner, ":")
	if len(parts) > 3 {
		return slice{}, fmt.Errorf("bad slice %q", inner)
	}
	sl := slice{step: 1}
	bounds := []**int{&sl.start, &sl.end}
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		n, err := strconv.Atoi(part)
		if err != nil {
			return slice{}, fmt.Errorf("bad slice bound %q", part)
		}
		if i == 2 {
			sl.step = n
			continue
		}
		*bounds[i] = &n
	}
	if sl.step <= 0 {
		return slice{}, fmt.Errorf("slice step must be positive in %q", inner)
	}
	return sl, nil
}
