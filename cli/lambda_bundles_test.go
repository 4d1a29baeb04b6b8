package cli

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/bundles"
	"github.com/refreshgen/refreshgen/generator/bundles/gospy"
	"github.com/refreshgen/refreshgen/spec"
)

// testBundles is shared by the tests that only need some bundles, so the
// package builds each one once.
var testBundles = bundles.NewBuilder(refreshgen.Sources)

// runBundled runs a command line in dir with the bundle builder b (nil: a
// new one, as the refreshgen command has).
func runBundled(t *testing.T, dir string, b BundleProvider, want int, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	env := &Env{Dir: dir, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }, Bundles: b}
	if code := env.Run(args); code != want {
		t.Fatalf("refreshgen %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out.String())
	}
	return out.String()
}

// exampleCopy copies examples/ (the spec, its CA bundle and its SQL) into
// a fresh folder and sets the spec's Lambda architecture.
func exampleCopy(t *testing.T, arch spec.Architecture) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, "../examples", dir, func(string) bool { return true })
	p := filepath.Join(dir, "refresh.hcl")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	anchor := "  naming = \"kebab\"\n"
	if !bytes.Contains(src, []byte(anchor)) {
		t.Fatalf("examples/refresh.hcl has no %q to set the architecture after", anchor)
	}
	src = bytes.Replace(src, []byte(anchor), []byte(anchor+"  lambda_architecture = \""+string(arch)+"\"\n"), 1)
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// elfMachines are the machines a bootstrap must be built for.
var elfMachines = map[spec.Architecture]elf.Machine{spec.ArchARM64: elf.EM_AARCH64, spec.ArchX8664: elf.EM_X86_64}

// The example needs run-sql (post_restore_sql) and get-efs-subpath (a
// backup-restore file system). Two renders, each with its own builder so
// that each runs its own go build, give the same bytes.
func TestExampleBundlesAreReproducible(t *testing.T) {
	pem, err := os.ReadFile("../examples/global-bundle.pem")
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range slices.Sorted(maps.Keys(elfMachines)) {
		machine := elfMachines[arch]
		t.Run(string(arch), func(t *testing.T) {
			dir := exampleCopy(t, arch)
			runBundled(t, dir, bundles.NewBuilder(refreshgen.Sources), ExitOK, "render", "-o", "a")
			runBundled(t, dir, bundles.NewBuilder(refreshgen.Sources), ExitOK, "render", "-o", "b")
			a, b := zipsIn(t, filepath.Join(dir, "a")), zipsIn(t, filepath.Join(dir, "b"))
			if names := slices.Sorted(maps.Keys(a)); !slices.Equal(names, []string{"get-efs-subpath.zip", "run-sql.zip"}) {
				t.Fatalf("bundles %v, want get-efs-subpath.zip and run-sql.zip", names)
			}
			for name, data := range a {
				if !bytes.Equal(data, b[name]) {
					t.Errorf("%s differs between two builds", name)
				}
			}
			wantBundle(t, a["run-sql.zip"], machine, pem)
			wantBundle(t, a["get-efs-subpath.zip"], machine, nil)
			wantInputsRecorded(t, filepath.Join(dir, "a"))
		})
	}
}

// zipsIn returns the bundles of a rendered tree by file name.
func zipsIn(t *testing.T, out string) map[string][]byte {
	t.Helper()
	zips := map[string][]byte{}
	entries, err := os.ReadDir(filepath.Join(out, "lambdas"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(out, "lambdas", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		zips[e.Name()] = data
	}
	return zips
}

// wantBundle requires exactly a bootstrap ELF for machine (mode 0755) and,
// when pem is not nil, rds-global-bundle.pem holding it (mode 0644).
func wantBundle(t *testing.T, data []byte, machine elf.Machine, pem []byte) {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]fs.FileMode{"bootstrap": 0o755}
	if pem != nil {
		want["rds-global-bundle.pem"] = 0o644
	}
	got := map[string]fs.FileMode{}
	for _, f := range r.File {
		got[f.Name] = f.Mode()
	}
	if !maps.Equal(got, want) {
		t.Fatalf("entries %v, want %v", got, want)
	}
	bootstrap, err := fs.ReadFile(r, "bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := elf.NewFile(bytes.NewReader(bootstrap))
	if err != nil {
		t.Fatalf("bootstrap is not an ELF binary: %v", err)
	}
	if bin.Machine != machine {
		t.Errorf("bootstrap is built for %v, want %v", bin.Machine, machine)
	}
	if pem == nil {
		return
	}
	if got, err := fs.ReadFile(r, "rds-global-bundle.pem"); err != nil || !bytes.Equal(got, pem) {
		t.Errorf("rds-global-bundle.pem is not the spec's rds_ca_bundle (%v)", err)
	}
}

// wantInputsRecorded requires the manifest to record the inputs of every
// bundle: what lets the next check trust it.
func wantInputsRecorded(t *testing.T, out string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, generator.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m generator.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	for _, e := range m.Files {
		if e.Kind == generator.KindLambdaZip && !strings.HasPrefix(e.Inputs, "v1:") {
			t.Errorf("the manifest records no inputs for %s", e.Path)
		}
	}
}

// Checking a tree whose bundles are current runs no go command at all: a
// spy go on PATH records every run, and a new builder remembers no build.
func TestCheckOfAnUnchangedTreeRunsNoGo(t *testing.T) {
	dir := exampleCopy(t, spec.ArchARM64)
	runBundled(t, dir, testBundles, ExitOK, "render", "-o", "out")
	runs := gospy.Install(t)

	runBundled(t, dir, nil, ExitOK, "check", "-o", "out")
	if r := runs(); len(r) != 0 {
		t.Fatalf("check ran the go command %d times: %q", len(r), r)
	}

	// The spy does see the go command a render into an empty folder runs.
	runBundled(t, dir, nil, ExitOK, "render", "-o", "fresh")
	if !slices.ContainsFunc(runs(), func(r string) bool { return strings.HasPrefix(r, "build ") }) {
		t.Fatalf("the spy saw no build: %q", runs())
	}
}

func TestMissingGoIsAnEnvironmentError(t *testing.T) {
	dir := exampleCopy(t, spec.ArchARM64)
	t.Setenv("PATH", t.TempDir())
	out := runBundled(t, dir, nil, ExitInternal, "render", "-o", "out")
	for _, want := range []string{"Go not found", "Install Go 1.26"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
}
