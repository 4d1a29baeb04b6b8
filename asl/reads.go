package asl

import "strings"

// Source is the document a JSONPath is evaluated against.
type Source int

const (
	// Input is the state's effective input (after InputPath): Parameters,
	// Credentials, ItemsPath, ItemSelector, Choice variables, *Path fields.
	Input Source = iota
	// RawInput is the state's input before InputPath (InputPath itself).
	RawInput
	// Result is the raw result of a Task, Parallel or Map (ResultSelector).
	Result
	// Output is the state's output after ResultPath (OutputPath).
	Output
	// Context is the context object: every path starting with "$$".
	Context

	noRead Source = -1
)

// Read is one JSONPath a state reads.
type Read struct {
	// Field is where the path is written, with JSON keys as in the file,
	// e.g. "Parameters.DbClusterIdentifier.$" or "Choices[0].Variable".
	Field string
	// Path is the JSONPath, e.g. "$.Cluster.Id" or "$$.Execution.Name".
	Path string
	// Source is the document Path is evaluated against.
	Source Source
	// Optional is true for an IsPresent test, which never fails on a
	// missing path; every other read fails the execution with
	// States.Runtime when the path does not resolve.
	Optional bool
}

// Reads lists every JSONPath s reads, in field order, without descending
// into Parallel branches or Map processors (their states have inputs of
// their own; visit them with Machine.Walk).
func Reads(s State) []Read {
	return recordReads(s, "")
}

func newRead(at, path string, src Source) Read {
	if strings.HasPrefix(path, "$$") {
		src = Context
	}
	return Read{Field: at, Path: path, Source: src}
}

// valueReads lists the Refs inside a payload value or expression.
func valueReads(v any, at string, src Source) []Read {
	var out []Read
	walkRefs(v, at, func(at string, r Ref) {
		out = append(out, newRead(at, string(r), src))
	})
	return out
}
