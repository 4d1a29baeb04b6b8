package workflows

import (
	"fmt"

	"github.com/refreshgen/refreshgen/asl"
)

// checkGuards proves that every destructive call of a machine sits behind
// the managed-tag guard on every path: walking from StartAt without going
// through a guard must never reach one. A Map or Parallel reached only
// through a guard covers the calls inside it; one reached without a guard
// must guard its calls itself.
func checkGuards(m *asl.Machine) []string {
	return unguarded("States", m.States, m.StartAt)
}

func unguarded(at string, states asl.States, start string) []string {
	var problems []string
	seen := map[string]bool{}
	for work := []string{start}; len(work) > 0; {
		name := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[name] {
			continue
		}
		seen[name] = true
		st, ok := states.Get(name)
		if !ok {
			continue
		}
		if c, ok := st.(*asl.Choice); ok && c.Comment == guardComment {
			continue // past here the resource is known to be refreshgen's
		}
		where := at + "." + name
		switch s := st.(type) {
		case *asl.Task:
			if in, _, err := asl.ParseIntegration(s.Resource); err == nil && destructive[in.Service+":"+in.Action] {
				problems = append(problems, fmt.Sprintf("%s: %s:%s can be reached without the managed-tag guard", where, in.Service, in.Action))
			}
		case *asl.Map:
			if p := s.ItemProcessor; p != nil {
				problems = append(problems, unguarded(where+".ItemProcessor.States", p.States, p.StartAt)...)
			}
		case *asl.Parallel:
			for i, b := range s.Branches {
				problems = append(problems, unguarded(fmt.Sprintf("%s.Branches[%d].States", where, i), b.States, b.StartAt)...)
			}
		}
		work = append(work, asl.Successors(st)...)
	}
	return problems
}
