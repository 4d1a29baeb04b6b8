package sim

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"maps"
	"math"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/refreshgen/refreshgen/asl"
)

// The intrinsic functions, as the AWS developer guide describes them
// ("Intrinsic functions for JSONPath states"). Bad arguments raise the
// catchable States.IntrinsicFailure; an argument path that does not
// resolve raises States.Runtime, like any other path in a template.

// Limits the developer guide states for the intrinsics.
const (
	maxRangeItems  = 1000  // States.ArrayRange
	maxStringChars = 10000 // States.Base64Encode, Base64Decode and Hash
)

// intrinsicFunc computes a function from its evaluated arguments; an error
// it returns becomes States.IntrinsicFailure.
type intrinsicFunc func(e env, args []any) (any, error)

// signature is the implementation of an intrinsic function; asl.Fn says
// how many arguments it takes.
type signature struct{ fn intrinsicFunc }

// call evaluates an intrinsic call; field names the template member for
// error messages.
func (e env) call(c *asl.Intrinsic, field string) (any, error) {
	sig, ok := intrinsic(c.Fn)
	if !ok {
		return nil, runtimeError("unknown intrinsic function %s in the field '%s'", c.Fn, field)
	}
	args := make([]any, len(c.Args))
	for i, a := range c.Args {
		v, err := e.arg(a, field)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	if !c.Fn.Takes(len(args)) {
		return nil, fail(asl.ErrIntrinsicFailure, "%s: takes %s arguments, got %d", c.Fn, c.Fn.ArityText(), len(args))
	}
	v, err := sig.fn(e, args)
	if err != nil {
		return nil, fail(asl.ErrIntrinsicFailure, "%s: %v", c.Fn, err)
	}
	return v, nil
}

// arg evaluates one argument: a literal, a path or a nested call.
func (e env) arg(a asl.Arg, field string) (any, error) {
	switch a := a.(type) {
	case asl.Template:
		return string(a), nil
	case asl.Value:
		return e.value(a, field)
	}
	return nil, nil // a nil Arg is written as null
}

func intrinsic(fn asl.Fn) (signature, bool) {
	one := func(f func(any) (any, error)) intrinsicFunc {
		return func(_ env, args []any) (any, error) { return f(args[0]) }
	}
	switch fn {
	case asl.FnFormat:
		return signature{format}, true
	case asl.FnStringToJson:
		return signature{one(stringToJSON)}, true
	case asl.FnJsonToString:
		return signature{one(func(v any) (any, error) { return jsonText(v), nil })}, true
	case asl.FnArray:
		return signature{func(_ env, args []any) (any, error) { return args, nil }}, true
	case asl.FnArrayPartition:
		return signature{partition}, true
	case asl.FnArrayContains:
		return signature{contains}, true
	case asl.FnArrayRange:
		return signature{arrayRange}, true
	case asl.FnArrayGetItem:
		return signature{getItem}, true
	case asl.FnArrayLength:
		return signature{arrayLength}, true
	case asl.FnArrayUnique:
		return signature{unique}, true
	case asl.FnBase64Encode:
		return signature{one(base64Encode)}, true
	case asl.FnBase64Decode:
		return signature{one(base64Decode)}, true
	case asl.FnHash:
		return signature{hashOf}, true
	case asl.FnJsonMerge:
		return signature{jsonMerge}, true
	case asl.FnMathRandom:
		return signature{mathRandom}, true
	case asl.FnMathAdd:
		return signature{mathAdd}, true
	case asl.FnStringSplit:
		return signature{stringSplit}, true
	case asl.FnUUID:
		return signature{func(e env, _ []any) (any, error) { return newUUID(e.rng), nil }}, true
	}
	return signature{}, false
}

// format replaces each "{}" of the first argument with the next argument's
// natural string form; arrays and objects cannot be formatted.
func format(_ env, args []any) (any, error) {
	template, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("the template is a %s, not a string", typeName(args[0]))
	}
	parts := strings.Split(template, "{}")
	if len(parts)-1 != len(args)-1 {
		return nil, fmt.Errorf("%d placeholders for %d arguments", len(parts)-1, len(args)-1)
	}
	var b strings.Builder
	b.WriteString(parts[0])
	for i, v := range args[1:] {
		s, err := naturalString(v)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %v", i+2, err)
		}
		b.WriteString(s)
		b.WriteString(parts[i+1])
	}
	return b.String(), nil
}

// naturalString is how States.Format writes a value: strings without
// quotes, numbers, booleans and null as in JSON.
func naturalString(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case map[string]any, []any:
		return "", fmt.Errorf("cannot format a %s", typeName(v))
	}
	return jsonText(v), nil
}

func stringToJSON(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("the argument is a %s, not a string", typeName(v))
	}
	out, err := parseJSON([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("%q is not JSON: %v", s, err)
	}
	return out, nil
}

// arrayArg returns args[i] as an array.
func arrayArg(args []any, i int) ([]any, error) {
	a, ok := args[i].([]any)
	if !ok {
		return nil, fmt.Errorf("argument %d is a %s, not an array", i+1, typeName(args[i]))
	}
	return a, nil
}

// intArg returns args[i] as a whole number.
func intArg(args []any, i int) (int64, error) {
	n, ok := integer(args[i])
	if !ok {
		return 0, fmt.Errorf("argument %d is %s, not an integer", i+1, jsonText(args[i]))
	}
	return n, nil
}

// roundedArg returns args[i] rounded to the nearest integer, halves up as
// Java's Math.round does: the developer guide says MathAdd and MathRandom
// round non-integer arguments.
func roundedArg(args []any, i int) (int64, error) {
	f, ok := float(args[i])
	if !ok {
		return 0, fmt.Errorf("argument %d is a %s, not a number", i+1, typeName(args[i]))
	}
	return int64(math.Floor(f + 0.5)), nil
}

// numbers converts every argument with conv.
func numbers(args []any, conv func([]any, int) (int64, error)) ([]int64, error) {
	out := make([]int64, len(args))
	for i := range args {
		n, err := conv(args, i)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// arrayAndInt reads the (array, integer) arguments of ArrayPartition and
// ArrayGetItem.
func arrayAndInt(args []any) ([]any, int64, error) {
	a, err := arrayArg(args, 0)
	if err != nil {
		return nil, 0, err
	}
	n, err := intArg(args, 1)
	return a, n, err
}

func partition(_ env, args []any) (any, error) {
	a, size, err := arrayAndInt(args)
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, fmt.Errorf("the chunk size must be positive, not %d", size)
	}
	out := []any{}
	for start := 0; start < len(a); start += int(size) {
		end := min(start+int(size), len(a))
		out = append(out, a[start:end:end]) // capped: appending to a chunk must not reach the next
	}
	return out, nil
}

func contains(_ env, args []any) (any, error) {
	a, err := arrayArg(args, 0)
	return err == nil && containsJSON(a, args[1]), err
}

// arrayRange counts from the first to the last argument, both included,
// by a non-zero step; at most 1000 items.
func arrayRange(_ env, args []any) (any, error) {
	n, err := numbers(args, intArg)
	if err != nil {
		return nil, err
	}
	first, last, step := n[0], n[1], n[2]
	if step == 0 {
		return nil, fmt.Errorf("the step must not be zero")
	}
	if count := (last-first)/step + 1; count > maxRangeItems {
		return nil, fmt.Errorf("the range has %d items, more than %d", count, maxRangeItems)
	}
	out := []any{}
	for i := first; step > 0 && i <= last || step < 0 && i >= last; i += step {
		out = append(out, number(i))
	}
	return out, nil
}

func getItem(_ env, args []any) (any, error) {
	a, i, err := arrayAndInt(args)
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= int64(len(a)) {
		return nil, fmt.Errorf("index %d is outside the array of %d items", i, len(a))
	}
	return a[i], nil
}

func arrayLength(_ env, args []any) (any, error) {
	a, err := arrayArg(args, 0)
	return number(int64(len(a))), err
}

// unique keeps the first occurrence of each value.
func unique(_ env, args []any) (any, error) {
	a, err := arrayArg(args, 0)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for _, e := range a {
		if !containsJSON(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

func containsJSON(a []any, v any) bool {
	for _, e := range a {
		if equalJSON(e, v) {
			return true
		}
	}
	return false
}

// shortString returns v as a string of at most 10,000 characters.
func shortString(v any) (string, error) {
	s, ok := v.(string)
	switch {
	case !ok:
		return "", fmt.Errorf("the argument is a %s, not a string", typeName(v))
	case utf8.RuneCountInString(s) > maxStringChars:
		return "", fmt.Errorf("the string has %d characters, more than %d", utf8.RuneCountInString(s), maxStringChars)
	}
	return s, nil
}

func base64Encode(v any) (any, error) {
	s, err := shortString(v)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// base64Decode accepts padded and unpadded input.
func base64Decode(v any) (any, error) {
	s, err := shortString(v)
	if err != nil {
		return nil, err
	}
	data, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, fmt.Errorf("%q is not base64: %v", s, err)
	}
	return string(data), nil
}

// newHash returns the hash of a States.Hash algorithm name, nil for any
// other name.
func newHash(algorithm string) hash.Hash {
	switch algorithm {
	case "MD5":
		return md5.New()
	case "SHA-1":
		return sha1.New()
	case "SHA-256":
		return sha256.New()
	case "SHA-384":
		return sha512.New384()
	case "SHA-512":
		return sha512.New()
	}
	return nil
}

// hashOf returns the lower-case hex digest of the UTF-8 bytes of a string.
func hashOf(_ env, args []any) (any, error) {
	data, err := shortString(args[0])
	if err != nil {
		return nil, err
	}
	algorithm, _ := args[1].(string)
	h := newHash(algorithm)
	if h == nil {
		return nil, fmt.Errorf("algorithm %s is not MD5, SHA-1, SHA-256, SHA-384 or SHA-512", jsonText(args[1]))
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// jsonMerge is the shallow merge, the only mode AWS supports: the second
// object's members replace the first's.
func jsonMerge(_ env, args []any) (any, error) {
	if deep, ok := args[2].(bool); !ok || deep {
		return nil, fmt.Errorf("the third argument must be false (only shallow merging is supported), not %s", jsonText(args[2]))
	}
	out := map[string]any{}
	for i := range 2 {
		o, ok := args[i].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("argument %d is a %s, not an object", i+1, typeName(args[i]))
		}
		maps.Copy(out, o)
	}
	return out, nil
}

// mathRandom returns an integer between start and end, both included.
// With a seed the result depends on the seed alone ("If you use this
// function with the same seed value, it returns an identical number");
// without one it comes from the execution's seeded generator.
func mathRandom(e env, args []any) (any, error) {
	n, err := numbers(args, roundedArg)
	if err != nil {
		return nil, err
	}
	start, end := n[0], n[1]
	if start > end {
		return nil, fmt.Errorf("start %d is greater than end %d", start, end)
	}
	rng := e.rng
	if len(n) == 3 {
		rng = rand.New(rand.NewPCG(uint64(n[2]), 0))
	}
	return number(start + rng.Int64N(end-start+1)), nil
}

func mathAdd(_ env, args []any) (any, error) {
	n, err := numbers(args, roundedArg)
	if err != nil {
		return nil, err
	}
	return number(n[0] + n[1]), nil
}

// stringSplit splits at any of the delimiter characters and drops empty
// pieces, as Step Functions does.
func stringSplit(_ env, args []any) (any, error) {
	s, ok1 := args[0].(string)
	delimiters, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("takes two strings, not a %s and a %s", typeName(args[0]), typeName(args[1]))
	}
	out := []any{}
	for _, piece := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delimiters, r) }) {
		out = append(out, piece)
	}
	return out, nil
}

// newUUID returns a version 4 UUID drawn from the execution's generator,
// so that a run is reproducible from its seed.
func newUUID(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
