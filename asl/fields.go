package asl

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// A field binds one JSON key of an ASL object to a Go field. Each type
// lists its fields once, in key order; that list drives Marshal, Unmarshal
// (which refuses any other key) and Reads, so the three cannot drift.
type field struct {
	key    string
	encode func() (any, bool) // the JSON value, and whether the key is written
	decode func(v any, at string) error
	reads  func(at string) []Read      // the JSONPaths the field reads; nil if none
	check  func(c *checker, at string) // checks the value on its own; nil if nothing to check
}

// record is a type whose JSON form is an object of fields.
type record interface{ fields() []field }

func encodeRecord(r record) object {
	o := object{}
	for _, f := range r.fields() {
		if v, ok := f.encode(); ok {
			o = append(o, member{key: f.key, value: v})
		}
	}
	return o
}

func decodeRecord(v any, r record, at string) error {
	o, ok := v.(object)
	if !ok {
		return typeError(orRoot(at), "an object")
	}
	if d, ok := r.(interface{ setDefaults() }); ok {
		d.setDefaults()
	}
	byKey := map[string]field{}
	for _, f := range r.fields() {
		byKey[f.key] = f
	}
	seen := map[string]bool{}
	for _, m := range o {
		f, ok := byKey[m.key]
		if !ok {
			return fmt.Errorf("%s: unknown field %q", orRoot(at), m.key)
		}
		if seen[m.key] {
			return fmt.Errorf("%s: duplicate field %q", orRoot(at), m.key)
		}
		seen[m.key] = true
		if err := f.decode(m.value, join(at, m.key)); err != nil {
			return err
		}
	}
	return nil
}

// recordReads collects the reads of every field of r.
func recordReads(r record, at string) []Read {
	var out []Read
	for _, f := range r.fields() {
		if f.reads != nil {
			out = append(out, f.reads(join(at, f.key))...)
		}
	}
	return out
}

func stringField(key string, p *string) field {
	return field{
		key:    key,
		encode: func() (any, bool) { return *p, *p != "" },
		decode: func(v any, at string) error { return decodeString(v, at, p) },
	}
}

func decodeString(v any, at string, p *string) error {
	s, ok := v.(string)
	if !ok {
		return typeError(at, "a string")
	}
	*p = s
	return nil
}

// refField is a reference path read from the state's input, such as
// ItemsPath or TimeoutSecondsPath.
func refField(key string, p *string) field {
	f := stringField(key, p)
	f.reads = func(at string) []Read {
		if *p == "" {
			return nil
		}
		return []Read{newRead(at, *p, Input)}
	}
	f.check = func(c *checker, at string) {
		if *p != "" {
			c.path(at, *p, true, true)
		}
	}
	return f
}

// intField writes a non-zero integer; zero means absent.
func intField(key string, p *int) field {
	return field{
		key:    key,
		encode: func() (any, bool) { return intJSON(*p), *p != 0 },
		decode: func(v any, at string) error { return decodeInt(v, at, p) },
	}
}

// requiredInt always writes the integer, for fields whose zero matters.
func requiredInt(key string, p *int) field {
	f := intField(key, p)
	f.encode = func() (any, bool) { return intJSON(*p), true }
	return f
}

func intJSON(i int) any { return json.Number(strconv.Itoa(i)) }

func decodeInt(v any, at string, p *int) error {
	n, ok := v.(json.Number)
	if !ok {
		return typeError(at, "an integer")
	}
	f, err := n.Float64() // JSON Schema counts 1.0 as an integer too
	if err != nil || f != math.Trunc(f) {
		return typeError(at, "an integer")
	}
	*p = int(f)
	return nil
}

// floatField always writes the number.
func floatField(key string, p *float64) field {
	return field{
		key:    key,
		encode: func() (any, bool) { return json.Number(formatNumber(*p)), true },
		decode: func(v any, at string) error {
			n, ok := v.(json.Number)
			if !ok {
				return typeError(at, "a number")
			}
			f, err := n.Float64()
			*p = f
			return err
		},
	}
}

// endField writes "End": true; false is the same as absent.
func endField(p *bool) field {
	return field{
		key:    "End",
		encode: func() (any, bool) { return true, *p },
		decode: func(v any, at string) error {
			b, ok := v.(bool)
			if !ok {
				return typeError(at, "a boolean")
			}
			*p = b
			return nil
		},
	}
}

// pathField binds InputPath, OutputPath or ResultPath, keeping JSON null
// apart from absent. src says what the path reads; ResultPath, which
// writes, passes noRead.
func pathField(key string, p *Path, src Source) field {
	f := field{
		key: key,
		encode: func() (any, bool) {
			if p.null {
				return nil, true
			}
			return p.expr, p.expr != ""
		},
		decode: func(v any, at string) error {
			if v == nil {
				*p = Discard()
				return nil
			}
			s, ok := v.(string)
			if !ok {
				return typeError(at, "a JSONPath or null")
			}
			*p = At(s)
			return nil
		},
		check: func(c *checker, at string) {
			if p.expr != "" {
				c.path(at, p.expr, src == noRead, false)
			}
		},
	}
	if src != noRead {
		f.reads = func(at string) []Read {
			if p.expr == "" {
				return nil
			}
			return []Read{newRead(at, p.expr, src)}
		}
	}
	return f
}

// exprField binds a field holding a JSONPath or an intrinsic call without
// the ".$" convention (Fail ErrorPath and CausePath).
func exprField(key string, p *Expr) field {
	return field{
		key: key,
		encode: func() (any, bool) {
			if *p == nil {
				return nil, false
			}
			return (*p).expr(), true
		},
		decode: func(v any, at string) (err error) {
			*p, err = decodeExpr(v, at)
			return err
		},
		reads: func(at string) []Read { return valueReads(*p, at, Input) },
		check: func(c *checker, at string) {
			if *p != nil {
				c.expr(at, *p, true)
			}
		},
	}
}

// templateField binds a payload template read against src.
func templateField(key string, p **Object, src Source) field {
	return field{
		key: key,
		encode: func() (any, bool) {
			if *p == nil {
				return nil, false
			}
			return encodeValue(*p), true
		},
		decode: func(v any, at string) (err error) {
			*p, err = decodeObject(v, at)
			return err
		},
		reads: func(at string) []Read {
			if *p == nil {
				return nil
			}
			return valueReads(*p, at, src)
		},
		check: func(c *checker, at string) {
			if *p != nil {
				c.payload(at, *p, false)
			}
		},
	}
}

// staticField binds a Pass state's Result: any JSON, never evaluated.
func staticField(key string, p *Value) field {
	return field{
		key:    key,
		encode: func() (any, bool) { return encodeValue(*p), *p != nil },
		decode: func(v any, at string) (err error) {
			*p, err = decodeValue(v, at)
			return err
		},
		check: func(c *checker, at string) {
			if *p != nil {
				c.payload(at, *p, true)
			}
		},
	}
}

// listField binds a JSON array of T; an empty list is not written.
func listField[T any](key string, p *[]T, enc func(T) any, dec func(v any, at string) (T, error)) field {
	return field{
		key: key,
		encode: func() (any, bool) {
			a := make([]any, len(*p))
			for i, e := range *p {
				a[i] = enc(e)
			}
			return a, len(*p) > 0
		},
		decode: func(v any, at string) error {
			a, ok := v.([]any)
			if !ok {
				return typeError(at, "an array")
			}
			*p = make([]T, len(a))
			for i, e := range a {
				d, err := dec(e, fmt.Sprintf("%s[%d]", at, i))
				if err != nil {
					return err
				}
				(*p)[i] = d
			}
			return nil
		},
	}
}

func stringsField(key string, p *[]string) field {
	return listField(key, p,
		func(s string) any { return s },
		func(v any, at string) (s string, err error) { return s, decodeString(v, at, &s) })
}

// recordListField binds an array of records such as Retry or Branches.
func recordListField[T any, PT interface {
	*T
	record
}](key string, p *[]T) field {
	f := listField(key, p,
		func(e T) any { return encodeRecord(PT(&e)) },
		func(v any, at string) (e T, err error) { return e, decodeRecord(v, PT(&e), at) })
	f.check = func(c *checker, at string) {
		for i := range *p {
			c.record(fmt.Sprintf("%s[%d]", at, i), PT(&(*p)[i]))
		}
	}
	return f
}

// recordField binds an optional nested record such as ItemProcessor.
func recordField[T any, PT interface {
	*T
	record
}](key string, p **T) field {
	return field{
		key: key,
		encode: func() (any, bool) {
			if *p == nil {
				return nil, false
			}
			return encodeRecord(PT(*p)), true
		},
		decode: func(v any, at string) error {
			*p = new(T)
			return decodeRecord(v, PT(*p), at)
		},
		reads: func(at string) []Read {
			if *p == nil {
				return nil
			}
			return recordReads(PT(*p), at)
		},
		check: func(c *checker, at string) {
			if *p != nil {
				c.record(at, PT(*p))
			}
		},
	}
}

// join appends a key to a location.
func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

func orRoot(at string) string {
	if at == "" {
		return "(machine)"
	}
	return at
}
