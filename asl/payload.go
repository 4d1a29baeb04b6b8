package asl

import (
	"strconv"
	"strings"
)

// Value is one value in a payload template (Parameters, ResultSelector,
// ItemSelector, Credentials) or a Pass state's Result.
//
// Static values are Str, Num, Bool, Null, *Object and Array. Values computed
// at run time are Ref (a JSONPath) and *Intrinsic (a States.* call); a member
// holding one is written with the ".$" key suffix, so callers never write
// that suffix themselves.
type Value interface{ isValue() }

// Expr is a value computed at run time: a Ref or an *Intrinsic.
type Expr interface {
	Value
	Arg
	expr() string
}

// Arg is an intrinsic-function argument: a literal (Str, Num, Bool, Null),
// a Ref or a nested *Intrinsic. Objects and arrays cannot be written inline.
type Arg interface{ argText() string }

// Str is a static JSON string.
type Str string

// Num is a static JSON number.
type Num float64

// Bool is a static JSON boolean.
type Bool bool

// Null is the static JSON null.
type Null struct{}

// Ref is a JSONPath read at run time: "$.Cluster.Id" reads the state input,
// "$$.Execution.Name" or "$$.Map.Item.Value" the context object.
type Ref string

// Array is a static JSON array; its elements may themselves be templates.
type Array []Value

// Object is a JSON object whose members keep their insertion order.
type Object struct {
	Members []Member
}

// StaticString is the static string member key of a template: "", false
// when o is nil or has no such member.
func (o *Object) StaticString(key string) (string, bool) {
	if o == nil {
		return "", false
	}
	for _, m := range o.Members {
		if s, ok := m.Value.(Str); ok && m.Key == key {
			return string(s), true
		}
	}
	return "", false
}

// Member is one key of an Object. Key never carries the ".$" suffix: it is
// derived from the kind of Value.
type Member struct {
	Key   string
	Value Value
}

// Obj returns an object with the members in the given order.
func Obj(members ...Member) *Object { return &Object{Members: members} }

// Field returns a member for Obj.
func Field(key string, v Value) Member { return Member{Key: key, Value: v} }

func (Str) isValue()          {}
func (Num) isValue()          {}
func (Bool) isValue()         {}
func (Null) isValue()         {}
func (Ref) isValue()          {}
func (Array) isValue()        {}
func (*Object) isValue()      {}
func (*Intrinsic) isValue()   {}
func (r Ref) expr() string    { return string(r) }
func (r Ref) argText() string { return string(r) }

// argText quotes s for an intrinsic call; the four characters the intrinsic
// grammar reserves are escaped with a backslash.
func (s Str) argText() string {
	return "'" + escapeArg(string(s), `'{}\`) + "'"
}

func (n Num) argText() string  { return formatNumber(float64(n)) }
func (b Bool) argText() string { return strconv.FormatBool(bool(b)) }
func (Null) argText() string   { return "null" }

func escapeArg(s, reserved string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(reserved, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatNumber writes integers without a fraction and other numbers in the
// shortest form that reads back to the same float64.
func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// walkRefs calls fn for every Ref in v, with the JSON location of the member
// holding it (at is the location of v itself).
func walkRefs(v any, at string, fn func(at string, r Ref)) {
	switch v := v.(type) {
	case Ref:
		fn(at, v)
	case *Intrinsic:
		for _, a := range v.Args {
			walkRefs(a, at, fn)
		}
	case *Object:
		for _, m := range v.Members {
			walkRefs(m.Value, memberAt(at, m), fn)
		}
	case Array:
		for i, e := range v {
			walkRefs(e, at+"["+strconv.Itoa(i)+"]", fn)
		}
	}
}

// memberAt is the location of member m of the object at at, using the key
// as written in JSON so that it matches Step Functions' error messages.
func memberAt(at string, m Member) string {
	return at + "." + jsonKey(m)
}

// jsonKey is the key a member is written with.
func jsonKey(m Member) string {
	if _, dynamic := m.Value.(Expr); dynamic {
		return m.Key + ".$"
	}
	return m.Key
}
