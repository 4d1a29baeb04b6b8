// Package fault gives the Lambda helpers' errors stable names. The Lambda runtime reports a
// name as the errorType of a failed invocation, and Step Functions matches it in Retry and
// Catch (ErrorEquals), so the names are part of each helper's contract.
package fault

import (
	"errors"
	"fmt"
)

// The names a helper may fail with.
const (
	// InvalidEvent: the event is malformed or a field is missing or wrong. Do not retry.
	InvalidEvent = "InvalidEvent"
	// InvalidScript: a SQL script cannot be split, is empty or cannot run in the chosen mode.
	InvalidScript = "InvalidScript"
	// ScriptUnavailable: a script could not be read from S3.
	ScriptUnavailable = "ScriptUnavailable"
	// SecretUnavailable: the database secret could not be read or has no username and password.
	SecretUnavailable = "SecretUnavailable"
	// ConnectionFailed: the database could not be reached, refused TLS or refused the login.
	ConnectionFailed = "ConnectionFailed"
	// StatementFailed: the database rejected a statement.
	StatementFailed = "StatementFailed"
	// StatementTimeout: a statement ran longer than the statement timeout.
	StatementTimeout = "StatementTimeout"
	// MountUnavailable: the file system is not mounted where the helper expects it.
	MountUnavailable = "MountUnavailable"
	// UnsafePath: a path on the file system is a symbolic link or of the wrong kind.
	UnsafePath = "UnsafePath"
	// RestoreFolderNotFound: no usable AWS Backup restore folder exists.
	RestoreFolderNotFound = "RestoreFolderNotFound"
	// AmbiguousRestoreFolder: two restore folders carry the same newest time.
	AmbiguousRestoreFolder = "AmbiguousRestoreFolder"
	// ParameterWriteFailed: the SSM parameter could not be written.
	ParameterWriteFailed = "ParameterWriteFailed"
	// Internal names any error that carries no name of its own.
	Internal = "InternalError"
)

// Error is an error with a stable name.
type Error struct {
	Name string
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Wrap names err; a nil err stays nil.
func Wrap(name string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Name: name, Err: err}
}

// Errorf formats an error and names it.
func Errorf(name, format string, args ...any) error {
	return &Error{Name: name, Err: fmt.Errorf(format, args...)}
}

// Name returns the name of the outermost named error in err's chain, or Internal.
func Name(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Name
	}
	return Internal
}
