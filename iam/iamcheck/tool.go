// Package iamcheck runs iam-check, the external IAM policy validator and
// access simulator of ../shared/tools (the cloud-copilot packages), on
// documents of package iam, and reads its report back into Go values.
//
// It is for tests: Require finds the tool or skips the test, and Run
// writes policies and scenarios to a folder and runs the tool on them. The
// tool is run as a separate program and never linked in (it is AGPL).
package iamcheck

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Tool is the iam-check command.
type Tool struct {
	path string
}

// ErrNotSetUp is returned by Locate when the validators are not installed
// (run ../shared/tools/setup validators).
var ErrNotSetUp = errors.New("iamcheck: validators not set up")

// Locate finds iam-check in ../shared/tools next to the module root at or
// above dir, and checks that the validators are set up.
func Locate(dir string) (Tool, error) {
	root, err := moduleRoot(dir)
	if err != nil {
		return Tool{}, err
	}
	tools := filepath.Join(root, "..", "shared", "tools")
	setup := filepath.Join(tools, "setup")
	if out, err := exec.Command(setup, "--check", "validators").CombinedOutput(); err != nil {
		return Tool{}, fmt.Errorf("%w; run %s validators\n%s", ErrNotSetUp, setup, out)
	}
	return Tool{path: filepath.Join(tools, "iam-check")}, nil
}

// Require returns the tool for a test run from inside the module. When the
// validators are not set up it skips the test, or fails it when the
// environment variable CI is set, so that CI never passes without them.
func Require(t testing.TB) Tool {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tool, err := Locate(dir)
	switch {
	case errors.Is(err, ErrNotSetUp) && os.Getenv("CI") == "":
		t.Skip(err)
	case err != nil:
		t.Fatal(err)
	}
	return tool
}

// moduleRoot returns the first folder at or above dir holding a go.mod.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if d == filepath.Dir(d) {
			return "", fmt.Errorf("iamcheck: no go.mod at or above %s", dir)
		}
	}
}
