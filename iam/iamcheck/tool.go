// Package iamcheck runs iam-check, the external IAM policy validator and
// access simulator of ../shared/tools (the cloud-copilot packages), on
// documents of package iam, and reads its report back into Go values.
//
// It is for tests: Require finds the tool or skips the test, and Run
// writes policies and scenarios to a folder and runs the tool on them. The
// tool is run as a separate program and never linked in (it is AGPL).
package iamcheck

import (
	"testing"

	"github.com/refreshgen/refreshgen/internal/validators"
)

// Tool is the iam-check command.
type Tool struct {
	path string
}

// Require returns the tool for a test run from inside the module: see
// validators.Require.
func Require(t testing.TB) Tool {
	t.Helper()
	return Tool{path: validators.Require(t, "iam-check")}
}
