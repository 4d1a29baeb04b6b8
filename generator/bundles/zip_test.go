package bundles

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"maps"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen"
)

func TestZipIsCanonical(t *testing.T) {
	pem := entry{name: "rds-global-bundle.pem", mode: 0o644, data: []byte("-----BEGIN CERTIFICATE-----\n")}
	bootstrap := entry{name: "bootstrap", mode: 0o755, data: bytes.Repeat([]byte("\x7fELF"), 1000)}
	first, err := zipEntries([]entry{pem, bootstrap})
	if err != nil {
		t.Fatal(err)
	}
	second, err := zipEntries([]entry{bootstrap, pem})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatal("the same entries in another order give other bytes")
	}

	r, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	want := []entry{bootstrap, pem} // sorted by name
	if len(r.File) != len(want) {
		t.Fatalf("%d entries, want %d (no directories)", len(r.File), len(want))
	}
	epoch := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, f := range r.File {
		w := want[i]
		data, err := fs.ReadFile(r, f.Name)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case f.Name != w.name:
			t.Errorf("entry %d is %s, want %s", i, f.Name, w.name)
		case f.Mode() != w.mode:
			t.Errorf("%s has mode %v, want %v", f.Name, f.Mode(), w.mode)
		case !f.Modified.Equal(epoch):
			t.Errorf("%s is stamped %v, want %v", f.Name, f.Modified, epoch)
		case len(f.Extra) != 0:
			t.Errorf("%s has extra fields % x", f.Name, f.Extra)
		case f.Method != zip.Deflate:
			t.Errorf("%s is stored with method %d, want Deflate", f.Name, f.Method)
		case !bytes.Equal(data, w.data):
			t.Errorf("%s does not hold what was zipped", f.Name)
		}
	}
}

func TestBundleEntries(t *testing.T) {
	for _, tc := range []struct {
		ca   string
		want map[string]fs.FileMode
	}{
		{"", map[string]fs.FileMode{"bootstrap": 0o755}},
		{"PEM", map[string]fs.FileMode{"bootstrap": 0o755, "rds-global-bundle.pem": 0o644}},
	} {
		got := map[string]fs.FileMode{}
		for _, e := range bundleEntries([]byte("ELF"), tc.ca) {
			got[e.name] = e.mode
		}
		if !maps.Equal(got, tc.want) {
			t.Errorf("CA bundle %q: entries %v, want %v", tc.ca, got, tc.want)
		}
	}
}

// The bundle ships the CA bundle under the name run-sql looks for.
func TestRunSQLReadsTheShippedCABundle(t *testing.T) {
	src, err := fs.ReadFile(refreshgen.Sources, "lambdas/internal/runsql/handler.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(`"`+caBundleName+`"`)) {
		t.Errorf("runsql.CABundlePath no longer reads %s", caBundleName)
	}
}
