package sim

import (
	"fmt"

	"github.com/refreshgen/refreshgen/asl"
)

// Failure is a Step Functions error: its name (States.Timeout,
// Rds.DbClusterNotFoundException, ...) and a human-readable cause. Task
// executors return one to fail a task; the simulator raises the States.*
// ones itself.
type Failure struct {
	Name  string
	Cause string
}

func (f *Failure) Error() string {
	if f.Cause == "" {
		return f.Name
	}
	return f.Name + ": " + f.Cause
}

// output is the error output a Catch passes on: {"Error": ..., "Cause": ...}.
func (f *Failure) output() map[string]any {
	out := map[string]any{"Error": f.Name}
	if f.Cause != "" {
		out["Cause"] = f.Cause
	}
	return out
}

func fail(name, format string, args ...any) *Failure {
	return &Failure{Name: name, Cause: fmt.Sprintf(format, args...)}
}

// runtimeError is States.Runtime: an error in the data or the definition
// that no Retry or Catch can handle.
func runtimeError(format string, args ...any) *Failure {
	return fail(asl.ErrRuntime, format, args...)
}

// terminal reports whether an error can only be caught by naming it (or,
// for States.Runtime, not at all): the AWS docs say States.ALL "can't
// catch States.DataLimitExceeded terminal error or Runtime error types".
func terminal(name string) bool {
	return name == asl.ErrRuntime || name == asl.ErrDataLimitExceeded
}

// matches reports whether a Retry or Catch ErrorEquals entry covers f.
// States.TaskFailed "matches any known error name except for
// States.Timeout", and neither wildcard matches the terminal errors.
func matches(pattern string, f *Failure) bool {
	switch pattern {
	case asl.ErrAll:
		return !terminal(f.Name)
	case asl.ErrTaskFailed:
		return !terminal(f.Name) && f.Name != asl.ErrTimeout
	}
	return pattern == f.Name && f.Name != asl.ErrRuntime
}

// matchesAny reports whether any of patterns covers f.
func matchesAny(patterns []string, f *Failure) bool {
	for _, p := range patterns {
		if matches(p, f) {
			return true
		}
	}
	return false
}

// timedOut unwinds every state of an execution whose TimeoutSeconds has
// passed: no Retry or Catch sees it.
type timedOut struct{}

func (timedOut) Error() string { return "the execution timed out" }
