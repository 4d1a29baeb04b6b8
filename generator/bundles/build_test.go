package bundles_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/bundles"
)

func TestFindToolchainWithoutGo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := bundles.FindToolchain()
	var noGo *bundles.NoGoError
	if !errors.As(err, &noGo) {
		t.Fatalf("error %v, want a NoGoError", err)
	}
}

// A version manager's go is often a shell script: FindToolchain then asks
// it, and must get the version of the go it runs.
func TestFindToolchainAsksAShim(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("shell shims are a Unix thing")
	}
	real, err := bundles.FindToolchain()
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	shim := "#!/bin/sh\nexec '" + real.Path + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	got, err := bundles.FindToolchain()
	if err != nil {
		t.Fatal(err)
	}
	if want := (bundles.Toolchain{Path: filepath.Join(dir, "go"), Version: real.Version}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestBuildReportsTheGoCommandsOutput(t *testing.T) {
	tc, err := bundles.FindToolchain()
	if err != nil {
		t.Skip(err)
	}
	_, err = bundles.Build(refreshgen.Sources, tc, generator.LambdaBundle{Helper: "no-such-helper", Arch: "arm64"})
	var build *bundles.BuildError
	if !errors.As(err, &build) || !strings.Contains(build.Output, "no-such-helper") {
		t.Fatalf("error %v, want a BuildError with the go command's output", err)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Errorf("error %v does not wrap the go command's exit", err)
	}
}
