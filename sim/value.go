package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/refreshgen/refreshgen/asl"
)

// Payloads are plain JSON trees: map[string]any, []any, string,
// json.Number, bool and nil. Numbers stay json.Number so that integers of
// any size survive unchanged, as they do in Step Functions.
//
// A value is never modified once built: every state that changes a
// payload (ResultPath, templates, intrinsics) builds new maps and slices
// along the path it changes, so states can share what they did not change.

// MaxPayloadBytes is the Step Functions quota for a state's input or
// output, a task's parameters or result, and an execution's input: 256 KiB
// of UTF-8 JSON. Going over it raises States.DataLimitExceeded.
const MaxPayloadBytes = 262144

// normalize turns any value that encodes to JSON into a payload tree. It
// copies, so neither the caller nor the simulation can change the other's
// data. Raw JSON ([]byte, json.RawMessage) is parsed as is.
func normalize(v any) (any, error) {
	var data []byte
	switch v := v.(type) {
	case json.RawMessage:
		data = v
	case []byte:
		data = v
	default:
		var err error
		if data, err = json.Marshal(v); err != nil {
			return nil, err
		}
	}
	return parseJSON(data)
}

// parseJSON reads one JSON document into a payload tree.
func parseJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}

// jsonText is the compact JSON of v, as Step Functions prints payloads:
// no spaces and no HTML escaping. Object keys come out sorted.
func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%v", v) // payload trees always encode
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// checkSize fails with States.DataLimitExceeded when v is larger than the
// payload quota; what names the payload in the cause.
func checkSize(v any, what string) error {
	if n := len(jsonText(v)); n > MaxPayloadBytes {
		return fail(asl.ErrDataLimitExceeded, "%s is %d bytes, more than the %d-byte quota", what, n, MaxPayloadBytes)
	}
	return nil
}

// float returns the value of a JSON number.
func float(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// integer returns the value of a JSON number that is a whole number.
func integer(v any) (int64, bool) {
	f, ok := float(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// number is the JSON number i.
func number(i int64) json.Number { return json.Number(strconv.FormatInt(i, 10)) }

// equalJSON compares two payloads; numbers compare by value, so 1 equals
// 1.0.
func equalJSON(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		x, ok1 := float(a)
		y, ok2 := float(b)
		return ok1 && ok2 && x == y
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !equalJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		return ok && slices.EqualFunc(a, b, equalJSON)
	}
	return a == b
}

// typeName names the JSON type of v for error messages.
func typeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// sortedKeys returns the keys of an object in a fixed order, so that
// wildcards and deep scans visit members deterministically.
func sortedKeys(o map[string]any) []string {
	keys := make([]string, 0, len(o))
	for k := range o {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
