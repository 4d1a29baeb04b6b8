package docs

import (
	"strconv"
	"strings"
)

// mermaidIDs hands out Mermaid node ids. Names come from the spec and the
// state machines, which may hold any character, so each id keeps only
// letters, digits and underscores, behind a prefix: no id is then a
// Mermaid keyword (end, subgraph) or starts with the o or x that would
// turn an arrow into a circle or cross edge. Two names that sanitize alike
// get numbered ids, in the order they were asked for, so the output stays
// deterministic.
type mermaidIDs struct {
	prefix string
	byName map[string]string
	taken  map[string]bool
}

func newMermaidIDs(prefix string) *mermaidIDs {
	return &mermaidIDs{prefix: prefix, byName: map[string]string{}, taken: map[string]bool{}}
}

// id returns the id of name, the same one every time.
func (m *mermaidIDs) id(name string) string {
	if id, ok := m.byName[name]; ok {
		return id
	}
	var b strings.Builder
	b.WriteString(m.prefix)
	for _, r := range name {
		if r < 128 && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	for n := 2; m.taken[id]; n++ {
		id = b.String() + "_" + strconv.Itoa(n)
	}
	m.byName[name], m.taken[id] = id, true
	return id
}

// mermaidText escapes text for a quoted Mermaid label: a quote would end
// the label, angle brackets would open HTML and # starts an entity, so all
// four are written as Mermaid entities.
func mermaidText(s string) string {
	return mermaidEscaper.Replace(s)
}

var mermaidEscaper = strings.NewReplacer("#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ", "\r", " ")

// mermaidLines is a quoted label of several lines, each escaped.
func mermaidLines(lines ...string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = mermaidText(l)
	}
	return `"` + strings.Join(out, "<br/>") + `"`
}
