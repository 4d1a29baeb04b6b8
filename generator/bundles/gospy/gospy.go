// Package gospy is a test helper: it puts first on PATH a go command that
// records each run and hands it to the real one, so that a test can count
// builds, or prove that no go command ran at all.
package gospy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// spyMain logs its arguments, one run a line, then runs the real go.
const spyMain = `package main

import (
	"os"
	"os/exec"
	"strings"
)

// Set with -ldflags -X.
var realGo, logFile string

func main() {
	f, err := os.OpenFile(logFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		os.Exit(125)
	}
	f.WriteString(strings.Join(os.Args[1:], " ") + "\n")
	f.Close()
	cmd := exec.Command(realGo, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		os.Exit(exit.ExitCode())
	}
	if err != nil {
		os.Exit(126)
	}
}
`

// Install builds the spy with the real go command and puts it first on
// PATH until the test ends (t.Setenv: not in parallel tests). The spy is
// a Go binary built by the real toolchain, so it reports the same Go
// version. runs returns the argument lists of the runs so far.
func Install(t testing.TB) (runs func() []string) {
	t.Helper()
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"main.go": spyMain, "go.mod": "module gospy\n\ngo 1.21\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	logFile := filepath.Join(dir, "runs.log")
	bin := filepath.Join(dir, "bin")
	exe := "go"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	cmd := exec.Command(realGo, "build", "-o", filepath.Join(bin, exe),
		"-ldflags", fmt.Sprintf("-X 'main.realGo=%s' -X 'main.logFile=%s'", realGo, logFile), ".")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the go spy: %v\n%s", err, out)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return func() []string {
		data, err := os.ReadFile(logFile)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
}
