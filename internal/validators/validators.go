// Package validators finds the external validators of ../shared/tools
// (asl-check, iam-check) for the tests that run them.
package validators

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ErrNotSetUp means the validators' cache is not ready (run
// ../shared/tools/setup validators).
var ErrNotSetUp = errors.New("validators not set up")

// ToolsDir is ../shared/tools next to the module root at or above dir.
func ToolsDir(dir string) (string, error) {
	root, err := moduleRoot(dir)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "..", "shared", "tools"), nil
}

// Locate returns the path of tool in ToolsDir(dir), after checking that
// the validators are set up.
func Locate(dir, tool string) (string, error) {
	tools, err := ToolsDir(dir)
	if err != nil {
		return "", err
	}
	setup := filepath.Join(tools, "setup")
	if out, err := exec.Command(setup, "--check", "validators").CombinedOutput(); err != nil {
		return "", fmt.Errorf("%w; run %s validators\n%s", ErrNotSetUp, setup, out)
	}
	return filepath.Join(tools, tool), nil
}

// Require returns the path of tool for a test run from inside the module.
// When the validators are not set up it skips the test, or fails it when
// the environment variable CI is set, so that CI never passes without
// them.
func Require(t testing.TB, tool string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	path, err := Locate(dir, tool)
	switch {
	case errors.Is(err, ErrNotSetUp):
		SkipOrFail(t, err.Error())
	case err != nil:
		t.Fatal(err)
	}
	return path
}

// SkipOrFail skips a test that cannot run here, or fails it when the
// environment variable CI is set: CI never passes by skipping.
func SkipOrFail(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// moduleRoot returns the first folder at or above dir holding a go.mod.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if d == filepath.Dir(d) {
			return "", fmt.Errorf("no go.mod at or above %s", dir)
		}
	}
}
