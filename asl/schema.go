package asl

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/refreshgen/refreshgen/internal/jsonpointer"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaJSON is the JSON Schema of the definitions this package writes and
// reads, written from the ASL specification. Check and Unmarshal apply it.
//
//go:embed asl.schema.json
var schemaJSON []byte

// schemaURL is the schema's $id: an absolute URL, so that the compiler does
// not resolve it against the working directory and problem texts do not
// depend on where the program runs.
const schemaURL = "https://refreshgen.dev/schemas/asl.schema.json"

// compiledSchema compiles schemaJSON once; it is read-only afterwards.
var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, bytes.NewReader(schemaJSON)); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

// CompileSchema compiles the schema definitions are checked against, as
// their first check otherwise does. A command that is about to render
// calls it in the background while it reads the spec: the compilation
// takes about as long as the reading.
func CompileSchema() {
	_, _ = fastSchema()
}

// schemaProblems validates a JSON document against schemaJSON. The
// validator's error tree is flattened to its leaves and sorted, because
// the order it builds them in follows Go map iteration.
func schemaProblems(data []byte) Problems {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		if _, err := compiledSchema(); err != nil {
			return Problems{{Msg: "embedded schema: " + err.Error()}}
		}
		return Problems{{Msg: "json: " + err.Error()}}
	}
	return docProblems(doc)
}

// treeProblems is schemaProblems for a tree encodeRecord built and data,
// the JSON Marshal wrote from it: the document is taken from the tree
// rather than parsed back, when the tree holds exactly what parsing would
// give (see jsonDoc).
func treeProblems(tree any, data []byte) Problems {
	if doc, ok := jsonDoc(tree); ok {
		return docProblems(doc)
	}
	return schemaProblems(data)
}

// jsonDoc turns a tree of object, []any, string, json.Number, bool and
// nil into what decoding its JSON with UseNumber gives: maps (the last of
// duplicate keys wins), slices and the same scalars. It reports false for
// anything whose JSON would not decode back to itself, such as a string
// that is not valid UTF-8.
func jsonDoc(v any) (any, bool) {
	switch v := v.(type) {
	case nil, bool:
		return v, true
	case string:
		return v, utf8.ValidString(v)
	case json.Number:
		return v, validNumber(string(v))
	case object:
		m := make(map[string]any, len(v))
		for _, member := range v {
			e, ok := jsonDoc(member.value)
			if !ok || !utf8.ValidString(member.key) {
				return nil, false
			}
			m[member.key] = e
		}
		return m, true
	case []any:
		if v == nil {
			return nil, true
		}
		a := make([]any, len(v))
		for i, e := range v {
			var ok bool
			if a[i], ok = jsonDoc(e); !ok {
				return nil, false
			}
		}
		return a, true
	}
	return nil, false
}

// docProblems validates a decoded JSON document against schemaJSON.
func docProblems(doc any) Problems {
	if fast, err := fastSchema(); err == nil && fast.Validate(doc) == nil {
		return nil // valid; see fastSchema
	}
	s, err := compiledSchema()
	if err != nil {
		return Problems{{Msg: "embedded schema: " + err.Error()}}
	}
	var ve *jsonschema.ValidationError
	if err := s.Validate(doc); !errors.As(err, &ve) {
		return nil
	}
	var out Problems
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		for _, cause := range e.Causes {
			leaves(cause)
		}
		if len(e.Causes) > 0 {
			return // "allOf failed" and the like: the causes say what is wrong
		}
		_, rule, _ := strings.Cut(e.AbsoluteKeywordLocation, "#")
		p := Problem{At: pointerToPath(e.InstanceLocation), Msg: fmt.Sprintf("schema: %s (%s)", e.Message, rule)}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	leaves(ve)
	slices.SortFunc(out, func(a, b Problem) int {
		return strings.Compare(a.At+"\x00"+a.Msg, b.At+"\x00"+b.Msg)
	})
	return out
}

// pointerToPath turns a JSON pointer into the dotted notation of the
// other problems: "/States/P/Branches/0" -> "States.P.Branches[0]". A
// numeric token is an index unless it names a state.
func pointerToPath(ptr string) string {
	var b strings.Builder
	tokens := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, tok := range tokens {
		if ptr == "" {
			break
		}
		tok = jsonpointer.Unescape(tok)
		_, err := strconv.Atoi(tok)
		switch {
		case err == nil && (i == 0 || tokens[i-1] != "States"):
			b.WriteString("[" + tok + "]")
		case b.Len() > 0:
			b.WriteString("." + tok)
		default:
			b.WriteString(tok)
		}
	}
	return b.String()
}
