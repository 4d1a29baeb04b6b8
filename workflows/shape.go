// Package workflows is refreshgen's library of Step Functions state machines
// and the orchestrator of each refresh, written as Go over the typed ASL
// model in package asl.
//
// Every workflow declares a typed input contract and output contract. A
// parent builds a child's input from the child's contract, and a data-flow
// check walks every machine at generation time: a required field a parent
// omits, or a JSONPath (in Parameters, Credentials, Choice rules,
// ItemSelector, ...) that cannot resolve against the shape of the state's
// input, fails generation instead of failing a refresh at 3 a.m.
package workflows

import (
	"fmt"
	"slices"
	"strings"
)

// Kind is the JSON type of a Shape.
type Kind int

// The kinds of shapes.
const (
	Any    Kind = iota // unknown: an AWS response, or opaque data
	Object             // fields by name
	Array              // elements of one shape
	Tuple              // the output of a Parallel: one shape per branch
	String
	Number
	Bool
	Null
)

var kindNames = map[Kind]string{Any: "any", Object: "object", Array: "array", Tuple: "tuple",
	String: "string", Number: "number", Bool: "boolean", Null: "null"}

func (k Kind) String() string { return kindNames[k] }

// Shape describes JSON data: a contract's fields, or what the data-flow
// check knows about a state's input at some point of a machine.
type Shape struct {
	Kind   Kind
	Fields []Field  // Object, in declaration order
	Elem   *Shape   // Array
	Items  []*Shape // Tuple
	Doc    string
}

// Field is one member of an Object shape. An Optional field may be absent:
// reading it needs an IsPresent guard first.
type Field struct {
	Name     string
	Shape    *Shape
	Optional bool
}

// Shape constructors, for contracts.

// Obj is an object with the given fields.
func Obj(fields ...Field) *Shape { return &Shape{Kind: Object, Fields: fields} }

// Req is a required field.
func Req(name string, s *Shape) Field { return Field{Name: name, Shape: s} }

// Opt is an optional field.
func Opt(name string, s *Shape) Field { return Field{Name: name, Shape: s, Optional: true} }

// Str is a string; doc says what it holds.
func Str(doc string) *Shape { return &Shape{Kind: String, Doc: doc} }

// Num is a number.
func Num(doc string) *Shape { return &Shape{Kind: Number, Doc: doc} }

// Boolean is a boolean.
func Boolean(doc string) *Shape { return &Shape{Kind: Bool, Doc: doc} }

// List is an array of elem.
func List(elem *Shape) *Shape { return &Shape{Kind: Array, Elem: elem} }

// Opaque is data whose shape is not checked (a service response).
func Opaque(doc string) *Shape { return &Shape{Kind: Any, Doc: doc} }

// field returns the named field of an object shape.
func (s *Shape) field(name string) (Field, bool) {
	if s == nil || s.Kind != Object {
		return Field{}, false
	}
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// names lists an object's field names, for messages.
func (s *Shape) names() string {
	var out []string
	for _, f := range s.Fields {
		out = append(out, f.Name)
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// with returns a copy of an object shape with field f set (added or
// replaced); any other shape becomes an object holding only f.
func (s *Shape) with(f Field) *Shape {
	out := &Shape{Kind: Object}
	if s != nil && s.Kind == Object {
		out.Fields = slices.Clone(s.Fields)
	}
	for i, old := range out.Fields {
		if old.Name == f.Name {
			out.Fields[i] = f
			return out
		}
	}
	out.Fields = append(out.Fields, f)
	return out
}

// equal reports whether two shapes are the same.
func (s *Shape) equal(o *Shape) bool {
	if s == nil || o == nil {
		return s == o
	}
	if s.Kind != o.Kind || len(s.Fields) != len(o.Fields) || len(s.Items) != len(o.Items) || !s.Elem.equal(o.Elem) {
		return false
	}
	for _, f := range s.Fields {
		g, ok := o.field(f.Name)
		if !ok || g.Optional != f.Optional || !f.Shape.equal(g.Shape) {
			return false
		}
	}
	for i := range s.Items {
		if !s.Items[i].equal(o.Items[i]) {
			return false
		}
	}
	return true
}

// meet is what is known for sure when data of shape a or of shape b may
// arrive: a field present on one side only becomes optional.
func meet(a, b *Shape) *Shape {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.Kind != b.Kind:
		return &Shape{Kind: Any}
	case a.Kind == Any:
		return a
	}
	switch a.Kind {
	case Object:
		out := &Shape{Kind: Object}
		for _, f := range a.Fields {
			g, ok := b.field(f.Name)
			if !ok {
				out.Fields = append(out.Fields, Field{Name: f.Name, Shape: f.Shape, Optional: true})
				continue
			}
			out.Fields = append(out.Fields, Field{Name: f.Name, Shape: meet(f.Shape, g.Shape), Optional: f.Optional || g.Optional})
		}
		for _, g := range b.Fields {
			if _, ok := a.field(g.Name); !ok {
				out.Fields = append(out.Fields, Field{Name: g.Name, Shape: g.Shape, Optional: true})
			}
		}
		return out
	case Array:
		return List(meet(a.Elem, b.Elem))
	case Tuple:
		if len(a.Items) != len(b.Items) {
			return &Shape{Kind: Array, Elem: &Shape{Kind: Any}}
		}
		out := &Shape{Kind: Tuple}
		for i := range a.Items {
			out.Items = append(out.Items, meet(a.Items[i], b.Items[i]))
		}
		return out
	}
	return a
}

// conform reports how a value of shape got fails to satisfy contract want:
// missing required fields, fields the contract does not have, wrong kinds.
func conform(got, want *Shape, at string) []string {
	if want.Kind == Any || got.Kind == Any {
		return nil
	}
	if got.Kind != want.Kind && !(got.Kind == Tuple && want.Kind == Array) {
		return []string{fmt.Sprintf("%s is %s, but the contract wants %s", orRoot(at), got.Kind, want.Kind)}
	}
	var problems []string
	switch want.Kind {
	case Object:
		for _, wf := range want.Fields {
			gf, ok := got.field(wf.Name)
			switch {
			case !ok && !wf.Optional:
				problems = append(problems, fmt.Sprintf("%s is required but missing", join(at, wf.Name)))
			case ok && gf.Optional && !wf.Optional:
				problems = append(problems, fmt.Sprintf("%s is required but may be absent", join(at, wf.Name)))
			case ok:
				problems = append(problems, conform(gf.Shape, wf.Shape, join(at, wf.Name))...)
			}
		}
		for _, gf := range got.Fields {
			if _, ok := want.field(gf.Name); !ok && gf.Name != startedByKey {
				problems = append(problems, fmt.Sprintf("%s is not in the contract (it has: %s)", join(at, gf.Name), want.names()))
			}
		}
	case Array:
		elem := got.Elem
		if got.Kind == Tuple {
			for i, it := range got.Items {
				problems = append(problems, conform(it, want.Elem, fmt.Sprintf("%s[%d]", orRoot(at), i))...)
			}
			return problems
		}
		problems = append(problems, conform(elem, want.Elem, orRoot(at)+"[]")...)
	}
	return problems
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

func orRoot(at string) string {
	if at == "" {
		return "the input"
	}
	return at
}
