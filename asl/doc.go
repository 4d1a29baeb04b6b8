// Package asl is a typed model of the Amazon States Language (JSONPath query
// language) used by AWS Step Functions.
//
// Workflows are built as Go values (Machine, Task, Choice, ...), never as
// hand-written JSON, so that:
//
//   - Marshal produces the same bytes for the same model on every machine:
//     ordered structs, one fixed key order per object, 2-space indent, no
//     HTML escaping, one trailing newline;
//   - Unmarshal reads a definition back into the model (round trip), for the
//     simulator and for tests;
//   - Machine.Check finds, at generation time, the defects the seed
//     workflows shipped with: dangling transitions, unreachable states,
//     misplaced States.ALL, unbounded polling loops, malformed paths and
//     intrinsic calls, and anything the embedded JSON Schema rejects;
//   - Reads lists every JSONPath a state reads, for the input-contract checker;
//   - Integration and SDKError name service calls and the errors they raise
//     exactly as Step Functions does.
//
// Key order of every object Marshal writes: "Type" and "Comment" first, then
// the fields saying what the state does, then the data flow in the order it
// applies (InputPath, Parameters, ResultSelector, ResultPath, OutputPath),
// then error handling (Retry, Catch), then the transition (Next, End,
// Default). The fields method of each type is the single source of that order.
package asl
