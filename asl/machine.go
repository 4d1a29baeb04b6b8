package asl

import (
	"fmt"
	"iter"
)

// Machine is a state machine definition.
type Machine struct {
	Comment string
	StartAt string
	States  States
	// TimeoutSeconds bounds the whole execution; CheckOptions.RequireTimeout
	// makes it mandatory for top-level machines.
	TimeoutSeconds int
	Version        string // "1.0" or empty
	QueryLanguage  string // "JSONPath" or empty: JSONata is not modelled
}

func (m *Machine) fields() []field {
	return []field{
		stringField("Comment", &m.Comment),
		stringField("StartAt", &m.StartAt),
		statesField(&m.States),
		intField("TimeoutSeconds", &m.TimeoutSeconds),
		stringField("Version", &m.Version),
		stringField("QueryLanguage", &m.QueryLanguage),
	}
}

// States is the ordered "States" object: Marshal writes the states in
// this order, which is the order they were added in.
type States []NamedState

// NamedState is one member of States.
type NamedState struct {
	Name  string
	State State
}

// Add appends a state.
func (s *States) Add(name string, st State) {
	*s = append(*s, NamedState{Name: name, State: st})
}

// Get returns the first state called name.
func (s States) Get(name string) (State, bool) {
	for _, n := range s {
		if n.Name == name {
			return n.State, true
		}
	}
	return nil, false
}

func statesField(p *States) field {
	return field{
		key: "States",
		encode: func() (any, bool) {
			o := object{}
			for _, n := range *p {
				o = append(o, member{key: n.Name, value: encodeState(n.State)})
			}
			return o, true
		},
		decode: func(v any, at string) error {
			o, ok := v.(object)
			if !ok {
				return typeError(at, "an object")
			}
			*p = States{}
			for _, m := range o {
				st, err := decodeState(m.value, join(at, m.key))
				if err != nil {
					return err
				}
				p.Add(m.key, st)
			}
			return nil
		},
	}
}

func encodeState(s State) any {
	if s == nil {
		return nil // Check reports it
	}
	return append(object{{key: "Type", value: s.Type()}}, encodeRecord(s)...)
}

// decodeState reads "Type" first, whatever its position, then the other
// keys into a state of that type.
func decodeState(v any, at string) (State, error) {
	o, ok := v.(object)
	if !ok {
		return nil, typeError(at, "a state object")
	}
	rest := object{}
	var st State
	for _, m := range o {
		if m.key != "Type" {
			rest = append(rest, m)
			continue
		}
		typ, _ := m.value.(string)
		if st, ok = newState(typ); !ok {
			return nil, fmt.Errorf("%s.Type: unknown state type %q", at, typ)
		}
	}
	if st == nil {
		return nil, fmt.Errorf("%s: missing Type", at)
	}
	return st, decodeRecord(rest, st, at)
}

// Branch is one branch of a Parallel state: a machine of its own whose
// transitions cannot leave it.
type Branch struct {
	StartAt string
	States  States
}

func (b *Branch) fields() []field {
	return []field{stringField("StartAt", &b.StartAt), statesField(&b.States)}
}

// Processor is the machine a Map state runs for each item.
type Processor struct {
	Config  *ProcessorConfig // nil: INLINE
	StartAt string
	States  States
}

func (p *Processor) fields() []field {
	return []field{
		recordField("ProcessorConfig", &p.Config),
		stringField("StartAt", &p.StartAt),
		statesField(&p.States),
	}
}

// Processor modes.
const (
	Inline      = "INLINE"
	Distributed = "DISTRIBUTED"
)

// ProcessorConfig selects the Map mode.
type ProcessorConfig struct {
	Mode          string // Inline or Distributed
	ExecutionType string // "STANDARD" or "EXPRESS"; DISTRIBUTED only
}

func (c *ProcessorConfig) fields() []field {
	return []field{stringField("Mode", &c.Mode), stringField("ExecutionType", &c.ExecutionType)}
}

// scope is one state namespace for transitions: the machine, a Parallel
// branch or a Map processor. Names must be unique across all scopes, but
// Next, Default and Catch targets must lie in the same scope.
type scope struct {
	at      string // location of the scope, "" for the machine
	startAt string
	states  States
}

// stateAt is the location of state name in the scope.
func (sc scope) stateAt(name string) string {
	return join(sc.at, "States."+name)
}

// children lists the scopes nested directly in s.
func children(at string, s State) []scope {
	switch s := s.(type) {
	case *Parallel:
		var out []scope
		for i, b := range s.Branches {
			out = append(out, scope{at: fmt.Sprintf("%s.Branches[%d]", at, i), startAt: b.StartAt, states: b.States})
		}
		return out
	case *Map:
		if s.ItemProcessor != nil {
			return []scope{{at: at + ".ItemProcessor", startAt: s.ItemProcessor.StartAt, states: s.ItemProcessor.States}}
		}
	}
	return nil
}

// Located is a state with its place in the machine.
type Located struct {
	At    string // e.g. "States.Phase1.Branches[0].States.Restore"
	Name  string
	State State
}

// Walk visits every state, nested ones included, depth first in
// declaration order: what the IAM deriver needs to see every Task.
func (m *Machine) Walk() iter.Seq[Located] {
	return func(yield func(Located) bool) {
		walkScope(scope{startAt: m.StartAt, states: m.States}, yield)
	}
}

func walkScope(sc scope, yield func(Located) bool) bool {
	for _, n := range sc.states {
		at := sc.stateAt(n.Name)
		if !yield(Located{At: at, Name: n.Name, State: n.State}) {
			return false
		}
		for _, child := range children(at, n.State) {
			if !walkScope(child, yield) {
				return false
			}
		}
	}
	return true
}
