package bundles_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/bundles"
	"github.com/refreshgen/refreshgen/generator/bundles/gospy"
)

const zipPath = "lambdas/run-sql.zip"

// lastRender is an output folder whose manifest lists data at zipPath,
// built from inputs.
func lastRender(t *testing.T, data []byte, inputs string) *generator.Snapshot {
	t.Helper()
	tree := generator.NewTree()
	if err := tree.Add(generator.File{Path: zipPath, Kind: generator.KindLambdaZip, Data: data, Inputs: inputs}); err != nil {
		t.Fatal(err)
	}
	m := tree.Manifest()
	return &generator.Snapshot{Files: map[string]generator.DiskFile{zipPath: diskFile(data)}, Manifest: &m}
}

// diskFile is data as ReadSnapshot would have read it from disk.
func diskFile(data []byte) generator.DiskFile {
	sum := sha256.Sum256(data)
	return generator.DiskFile{Data: data, Mode: 0o644, SHA256: hex.EncodeToString(sum[:])}
}

// digestNow is the digest of a bundle built by the go command on PATH.
func digestNow(t *testing.T, sources fs.FS, b generator.LambdaBundle) string {
	t.Helper()
	tc, err := bundles.FindToolchain()
	if err != nil {
		t.Fatal(err)
	}
	return mustDigest(t, sources, tc.Version, b)
}

// builds counts the go build runs among the spy's runs.
func builds(runs []string) int {
	n := 0
	for _, r := range runs {
		if strings.HasPrefix(r, "build ") {
			n++
		}
	}
	return n
}

func provide(t *testing.T, provider func(generator.LambdaBundle) ([]byte, string, error), b generator.LambdaBundle) ([]byte, string) {
	t.Helper()
	data, inputs, err := provider(b)
	if err != nil {
		t.Fatal(err)
	}
	return data, inputs
}

func TestProviderReusesTheRecordedBundle(t *testing.T) {
	runs := gospy.Install(t)
	digest := digestNow(t, refreshgen.Sources, runSQL)
	onDisk := []byte("the bundle the last render wrote")
	data, inputs := provide(t, bundles.NewBuilder(refreshgen.Sources).Provider(lastRender(t, onDisk, digest)), runSQL)
	if !bytes.Equal(data, onDisk) || inputs != digest {
		t.Errorf("got %d bytes with inputs %s, want the file on disk with inputs %s", len(data), inputs, digest)
	}
	if r := runs(); len(r) != 0 {
		t.Errorf("the go command ran %d times, want none: %q", len(r), r)
	}
}

func TestProviderRebuildsWhatChanged(t *testing.T) {
	runs := gospy.Install(t)
	onDisk := []byte("the bundle the last render wrote")
	recorded := digestNow(t, refreshgen.Sources, runSQL)
	otherCA := runSQL
	otherCA.CABundle += "B\n"
	otherSource := sourcesCopy(t)
	otherSource["lambdas/internal/flagfile/flagfile.go"].Data = append(otherSource["lambdas/internal/flagfile/flagfile.go"].Data, "\n// changed\n"...)
	edited := lastRender(t, onDisk, recorded)
	edited.Files[zipPath] = diskFile([]byte("edited by hand"))

	for _, tc := range []struct {
		name    string
		sources fs.FS
		bundle  generator.LambdaBundle
		prev    *generator.Snapshot
	}{
		{"CA bundle changed", refreshgen.Sources, otherCA, lastRender(t, onDisk, recorded)},
		{"source file changed", otherSource, runSQL, lastRender(t, onDisk, recorded)},
		{"bundle edited on disk", refreshgen.Sources, runSQL, edited},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := builds(runs())
			data, inputs := provide(t, bundles.NewBuilder(tc.sources).Provider(tc.prev), tc.bundle)
			if n := builds(runs()) - before; n != 1 {
				t.Errorf("%d builds, want 1", n)
			}
			if want := digestNow(t, tc.sources, tc.bundle); inputs != want {
				t.Errorf("inputs %s, want %s", inputs, want)
			}
			if pem := zipEntry(t, data, "rds-global-bundle.pem"); pem != tc.bundle.CABundle {
				t.Errorf("the bundle ships the CA bundle %q, want %q", pem, tc.bundle.CABundle)
			}
		})
	}
}

func TestBuilderBuildsEachDigestOnce(t *testing.T) {
	runs := gospy.Install(t)
	b := bundles.NewBuilder(refreshgen.Sources)
	first, _ := provide(t, b.Provider(&generator.Snapshot{}), runSQL)
	second, _ := provide(t, b.Provider(&generator.Snapshot{}), runSQL)
	if n := builds(runs()); n != 1 {
		t.Errorf("%d builds for two renders of one bundle, want 1", n)
	}
	if !bytes.Equal(first, second) {
		t.Error("the second render got other bytes")
	}
}

// zipEntry returns the content of the entry called name in a zip.
func zipEntry(t *testing.T, data []byte, name string) string {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	content, err := fs.ReadFile(r, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(content)
}
