package asl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Marshal returns the canonical JSON of m: keys in the documented order,
// states in declaration order, 2-space indent, no HTML escaping, LF line
// ends and exactly one trailing newline. The same model gives the same
// bytes everywhere because nothing is ordered by a Go map.
func Marshal(m *Machine) ([]byte, error) {
	return marshalTree(encodeRecord(m))
}

func marshalTree(tree object) ([]byte, error) {
	if buf, ok := appendIndented(make([]byte, 0, 64<<10), tree, 0); ok {
		return append(buf, '\n'), nil
	}
	return encodeJSON(tree)
}

// Unmarshal reads an ASL definition. The document must pass the embedded
// JSON Schema, and every key must be one the model knows, so that
// Marshal(Unmarshal(x)) gives back x for every definition Marshal writes.
func Unmarshal(data []byte) (*Machine, error) {
	tree, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	if ps := treeProblems(tree, data); len(ps) > 0 {
		return nil, ps
	}
	m := &Machine{}
	if err := decodeRecord(tree, m, ""); err != nil {
		return nil, err
	}
	return m, nil
}

// object is a JSON object in document order. It keeps duplicate keys so
// that decoding can refuse them instead of silently keeping the last one.
type object []member

type member struct {
	key   string
	value any // object, []any, string, json.Number, bool or nil
}

// MarshalJSON writes the members in order. Keys and scalars go through an
// encoder with HTML escaping off: the outer encoder copies this output as
// is, so escaping here would leak "\u003c" into the file.
func (o object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		if err := enc.Encode(m.key); err != nil {
			return nil, err
		}
		buf.WriteByte(':')
		if err := enc.Encode(m.value); err != nil {
			return nil, err
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// encodeJSON writes v in the canonical layout. Encoder.Encode ends the
// document with exactly one "\n".
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parseJSON reads one JSON document into object / []any / scalars, keeping
// member order; numbers stay json.Number so no precision is lost.
func parseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := parseValue(dec)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF // the document stopped short
	}
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("json: data after the document at offset %d", dec.InputOffset())
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := object{}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := parseValue(dec)
			if err != nil {
				return nil, err
			}
			o = append(o, member{key: key.(string), value: v})
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		a := []any{}
		for dec.More() {
			v, err := parseValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return tok, nil
}

// encodeValue turns a payload value into the JSON tree.
func encodeValue(v Value) any {
	switch v := v.(type) {
	case Str:
		return string(v)
	case Num:
		return json.Number(formatNumber(float64(v)))
	case Bool:
		return bool(v)
	case Expr:
		return v.expr()
	case Array:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = encodeValue(e)
		}
		return a
	case *Object:
		o := object{}
		for _, m := range v.Members {
			o = append(o, member{key: jsonKey(m), value: encodeValue(m.Value)})
		}
		return o
	}
	return nil // Null, and nil which Check reports
}

// decodeValue turns JSON into a payload value; members whose key ends in
// ".$" become a Ref or an *Intrinsic.
func decodeValue(v any, at string) (Value, error) {
	switch v := v.(type) {
	case string:
		return Str(v), nil
	case json.Number:
		f, err := v.Float64()
		return Num(f), err
	case bool:
		return Bool(v), nil
	case nil:
		return Null{}, nil
	case []any:
		a := Array{}
		for i, e := range v {
			d, err := decodeValue(e, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return nil, err
			}
			a = append(a, d)
		}
		return a, nil
	}
	return decodeObject(v, at)
}

func decodeObject(v any, at string) (*Object, error) {
	o, ok := v.(object)
	if !ok {
		return nil, typeError(at, "an object")
	}
	out := &Object{Members: []Member{}}
	for _, m := range o {
		key, dynamic := cutDollar(m.key)
		var val Value
		var err error
		if dynamic {
			val, err = decodeExpr(m.value, at+"."+m.key)
		} else {
			val, err = decodeValue(m.value, at+"."+m.key)
		}
		if err != nil {
			return nil, err
		}
		out.Members = append(out.Members, Member{Key: key, Value: val})
	}
	return out, nil
}

func decodeExpr(v any, at string) (Expr, error) {
	s, ok := v.(string)
	if !ok {
		return nil, typeError(at, "a JSONPath or intrinsic string")
	}
	e, err := parseExpr(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", at, err)
	}
	return e, nil
}

func cutDollar(key string) (string, bool) {
	if len(key) > 2 && key[len(key)-2:] == ".$" {
		return key[:len(key)-2], true
	}
	return key, false
}

func typeError(at, want string) error {
	return fmt.Errorf("%s: want %s", at, want)
}
