package bundles

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/spec"
)

// Toolchain is the go command that builds the bundles.
type Toolchain struct {
	Path    string // absolute path of the go command
	Version string // its exact version, e.g. go1.26.8
}

// NoGoError is no go command that runs on PATH.
type NoGoError struct{ Err error }

func (e *NoGoError) Error() string {
	return "refreshgen builds the Lambda helpers with the go command: " + e.Err.Error()
}

func (e *NoGoError) Unwrap() error { return e.Err }

// BuildError is a go command that failed to build a helper: a download
// that failed, a toolchain too old for go.mod.
type BuildError struct {
	Bundle generator.LambdaBundle
	Output string // what the go command printed
	Err    error
}

func (e *BuildError) Error() string {
	msg := fmt.Sprintf("building %s for %s: %v", e.Bundle.Helper, e.Bundle.Arch, e.Err)
	if e.Output != "" {
		msg += ":\n" + strings.TrimRight(e.Output, "\n")
	}
	return msg
}

func (e *BuildError) Unwrap() error { return e.Err }

// FindToolchain finds the go command on PATH and its version without
// running it: a check whose bundles are all on disk runs no process.
// `go env GOVERSION` prints the go command's runtime.Version(), which is
// what the binary records as the Go version that built it. A go command
// that is not a Go binary (a version manager's shell shim) is asked, from
// the temporary folder builds run in: shims choose a version by folder.
func FindToolchain() (Toolchain, error) {
	p, err := exec.LookPath("go")
	if err != nil {
		return Toolchain{}, &NoGoError{Err: err}
	}
	if p, err = filepath.Abs(p); err != nil {
		return Toolchain{}, err
	}
	if info, err := buildinfo.ReadFile(p); err == nil {
		return Toolchain{Path: p, Version: info.GoVersion}, nil
	}
	cmd := exec.Command(p, "env", "GOVERSION")
	cmd.Dir, cmd.Env = os.TempDir(), append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		return Toolchain{}, &NoGoError{Err: fmt.Errorf("%s env GOVERSION: %w", p, err)}
	}
	return Toolchain{Path: p, Version: strings.TrimSpace(string(out))}, nil
}

// buildArgs are the go command's arguments before the output and the
// package: no paths, VCS stamps, symbols or build IDs in the binary, and
// the aws-lambda-go runtime without the legacy RPC mode provided.al2023
// never uses.
var buildArgs = []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-tags=lambda.norpc"}

// goArch is GOARCH and its default microarchitecture level by Lambda
// architecture, pinned so that a user's GOAMD64=v3 changes nothing.
var goArch = map[spec.Architecture][]string{
	spec.ArchARM64: {"GOARCH=arm64", "GOARM64=v8.0"},
	spec.ArchX8664: {"GOARCH=amd64", "GOAMD64=v1"},
}

// buildSettings are the environment variables of a build that decide its
// output. The build drops every other GO* and CGO_* variable and the go
// env file (GOENV=off), where GOFLAGS or GOEXPERIMENT would hide; the
// values are not empty, so they also win over $GOROOT/go.env. GOTOOLCHAIN
// =local builds with the go command whose version the digest records,
// never one it would download.
func buildSettings(arch spec.Architecture) ([]string, error) {
	target, ok := goArch[arch]
	if !ok {
		return nil, fmt.Errorf("no GOARCH for Lambda architecture %q", arch)
	}
	return slices.Concat([]string{"CGO_ENABLED=0", "GOOS=linux", "GOENV=off", "GOFLAGS=-mod=readonly",
		"GOTOOLCHAIN=local", "GOWORK=off", "GOFIPS140=off"}, target), nil
}

// moduleSettings are the user's go settings a build keeps: where modules
// come from and where the caches are. They change how fast a build is,
// never what it outputs.
var moduleSettings = []string{"GOPROXY", "GOSUMDB", "GONOPROXY", "GONOSUMDB", "GOPRIVATE", "GOINSECURE",
	"GOAUTH", "GOPATH", "GOMODCACHE", "GOCACHE", "GOTMPDIR"}

// Build builds one helper from sources with the toolchain, in a temporary
// module, and zips it. It always builds; Builder decides when to.
func Build(sources fs.FS, tc Toolchain, b generator.LambdaBundle) ([]byte, error) {
	dir, err := os.MkdirTemp("", "refreshgen-bundle-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := writeModule(sources, dir); err != nil {
		return nil, err
	}
	env, err := buildEnv(tc, b.Arch)
	if err != nil {
		return nil, &BuildError{Bundle: b, Err: err}
	}
	bootstrap := filepath.Join(dir, "bootstrap")
	cmd := exec.Command(tc.Path, slices.Concat(buildArgs, []string{"-o", bootstrap, "./lambdas/" + b.Helper})...)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, &BuildError{Bundle: b, Output: string(out), Err: err}
	}
	binary, err := os.ReadFile(bootstrap)
	if err != nil {
		return nil, err
	}
	return zipEntries(bundleEntries(binary, b.CABundle))
}

// caBundleName is the file run-sql reads beside bootstrap when no CA
// bundle is configured (runsql.CABundlePath, which this package may not
// import).
const caBundleName = "rds-global-bundle.pem"

// bundleEntries are the files of a bundle: the provided.al2023 runtime
// runs bootstrap; run-sql reads the CA bundle beside it.
func bundleEntries(binary []byte, caBundle string) []entry {
	entries := []entry{{name: "bootstrap", mode: 0o755, data: binary}}
	if caBundle != "" {
		entries = append(entries, entry{name: caBundleName, mode: 0o644, data: []byte(caBundle)})
	}
	return entries
}

// buildEnv is the user's environment without the variables that change a
// build's output, plus the user's module settings and the build settings.
func buildEnv(tc Toolchain, arch spec.Architecture) ([]string, error) {
	settings, err := buildSettings(arch)
	if err != nil {
		return nil, err
	}
	modules, err := userModuleSettings(tc)
	if err != nil {
		return nil, err
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		name = strings.ToUpper(name) // Windows names ignore case
		if !strings.HasPrefix(name, "GO") && !strings.HasPrefix(name, "CGO_") {
			env = append(env, kv)
		}
	}
	return append(append(env, modules...), settings...), nil
}

// userModuleSettings asks the go command for the user's module settings,
// from the environment or the go env file the build then ignores.
func userModuleSettings(tc Toolchain) ([]string, error) {
	cmd := exec.Command(tc.Path, append([]string{"env", "-json"}, moduleSettings...)...)
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %w\n%s", err, stderr.String())
	}
	var values map[string]string
	if err := json.Unmarshal(out, &values); err != nil {
		return nil, errors.New("go env -json printed no JSON object")
	}
	var env []string
	for _, name := range moduleSettings {
		if v := values[name]; v != "" {
			env = append(env, name+"="+v)
		}
	}
	return env, nil
}
