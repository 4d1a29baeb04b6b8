package bundles_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/refreshgen/refreshgen"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/bundles"
)

// sourcesCopy returns refreshgen's embedded sources as a map a test may
// change.
func sourcesCopy(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(refreshgen.Sources, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(refreshgen.Sources, p)
		m[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var runSQL = generator.LambdaBundle{Helper: "run-sql", Arch: "arm64", CABundle: "-----BEGIN CERTIFICATE-----\nA\n"}

func mustDigest(t *testing.T, sources fs.FS, goVersion string, b generator.LambdaBundle) string {
	t.Helper()
	d, err := bundles.Digest(sources, goVersion, b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDigestCoversEveryInput(t *testing.T) {
	base := mustDigest(t, sourcesCopy(t), "go1.26.8", runSQL)
	if !strings.HasPrefix(base, "v1:") || len(base) != len("v1:")+64 {
		t.Fatalf("digest %q is not v1: and a sha256", base)
	}
	appendTo := func(name, text string) func(fstest.MapFS) {
		return func(m fstest.MapFS) { m[name] = &fstest.MapFile{Data: append(m[name].Data, text...)} }
	}
	for _, tc := range []struct {
		name    string
		sources func(fstest.MapFS)
		goV     string
		bundle  func(*generator.LambdaBundle)
		changes bool
	}{
		{name: "helper", bundle: func(b *generator.LambdaBundle) { b.Helper = "get-efs-subpath" }, changes: true},
		{name: "architecture", bundle: func(b *generator.LambdaBundle) { b.Arch = "x86_64" }, changes: true},
		{name: "CA bundle", bundle: func(b *generator.LambdaBundle) { b.CABundle += "B\n" }, changes: true},
		{name: "Go version", goV: "go1.26.9", changes: true},
		{name: "go.mod", sources: appendTo("go.mod", "\n// x\n"), changes: true},
		{name: "go.sum", sources: appendTo("go.sum", "example.com/x v1.0.0 h1:x=\n"), changes: true},
		{name: "source file", sources: appendTo("lambdas/internal/fault/fault.go", "\n// x\n"), changes: true},
		{name: "new source file", sources: func(m fstest.MapFS) {
			m["lambdas/internal/fault/more.go"] = &fstest.MapFile{Data: []byte("package fault\n")}
		}, changes: true},
		{name: "test file", sources: appendTo("lambdas/internal/safepath/safepath_test.go", "\n// x\n")},
		{name: "README", sources: appendTo("lambdas/README.md", "\nx\n")},
		{name: "test data", sources: func(m fstest.MapFS) {
			m["lambdas/internal/sqlsplit/testdata/x.go"] = &fstest.MapFile{Data: []byte("package x\n")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sources, goV, b := sourcesCopy(t), "go1.26.8", runSQL
			if tc.sources != nil {
				tc.sources(sources)
			}
			if tc.goV != "" {
				goV = tc.goV
			}
			if tc.bundle != nil {
				tc.bundle(&b)
			}
			if got := mustDigest(t, sources, goV, b); (got != base) != tc.changes {
				t.Errorf("changing the %s changes the digest: %v, want %v", tc.name, got != base, tc.changes)
			}
		})
	}
}

func TestDigestRejectsAnUnknownArchitecture(t *testing.T) {
	b := runSQL
	b.Arch = "riscv64"
	if _, err := bundles.Digest(sourcesCopy(t), "go1.26.8", b); err == nil {
		t.Fatal("no error for an architecture Lambda does not offer")
	}
}
