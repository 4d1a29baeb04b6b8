package spec

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

// specInputs returns every spec the project ships or tests with: the
// example and each golden case's refresh.hcl, by path.
func specInputs(t testing.TB) map[string]string {
	t.Helper()
	paths := map[string]string{"example": "../examples/refresh.hcl"}
	cases, err := filepath.Glob("../testdata/golden/*/refresh.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range cases {
		paths[filepath.Base(filepath.Dir(p))] = p
	}
	return paths
}

// loadPath loads a spec from disk the way the CLI does.
func loadPath(t testing.TB, path string) Result {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	return Load("refresh.hcl", src, Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, rel))
	}})
}

// expectsValid reports whether a golden case's spec is meant to be valid:
// by convention the cases named invalid-* pin a bad spec's diagnostics and
// every other case uses a valid spec.
func expectsValid(name string) bool {
	return !strings.HasPrefix(name, "invalid-")
}

// TestSchemaAcceptsValidSpecs proves the schema and the decoder agree: the
// JSON document of every valid spec passes the schema, and every spec the
// golden cases pin as invalid fails to load.
func TestSchemaAcceptsValidSpecs(t *testing.T) {
	for name, path := range specInputs(t) {
		t.Run(name, func(t *testing.T) {
			res := loadPath(t, path)
			if !expectsValid(name) {
				if !res.Diagnostics.HasErrors() {
					t.Fatalf("golden case %s is named invalid-*, but its spec loads without errors", name)
				}
				return
			}
			if res.Diagnostics.HasErrors() {
				t.Fatalf("valid spec has errors: %v", res.Diagnostics)
			}
			doc, diags := documentOf(t, path)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if schemaDiags, _ := validateSchema(doc, rangeIndex{}); len(schemaDiags) > 0 {
				t.Fatalf("schema rejects the document of a valid spec: %v", schemaDiags)
			}
		})
	}
}

// documentOf returns the JSON document the schema judges for a spec.
func documentOf(t *testing.T, path string) (map[string]any, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := loadPath(t, path)
	body := res.Files["refresh.hcl"].Body
	var doc document
	files := newFileReader(func(rel string) ([]byte, error) { return os.ReadFile(filepath.Join(filepath.Dir(path), rel)) })
	if diags := gohcl.DecodeBody(body, files.evalContext(), &doc); diags.HasErrors() {
		return nil, diags
	}
	return toJSONDocument(&doc, src, files)
}

// TestLoadIsDeterministic loads every spec twice: the models and the
// diagnostics must be identical, whatever order maps were walked in.
func TestLoadIsDeterministic(t *testing.T) {
	for name, path := range specInputs(t) {
		a, b := loadPath(t, path), loadPath(t, path)
		if !reflect.DeepEqual(a.Spec, b.Spec) {
			t.Errorf("%s: two loads give different models", name)
		}
		if a.Diagnostics.Error() != b.Diagnostics.Error() {
			t.Errorf("%s: two loads give different diagnostics:\n%v\n%v", name, a.Diagnostics, b.Diagnostics)
		}
	}
}

func TestExampleModel(t *testing.T) {
	res := loadPath(t, "../examples/refresh.hcl")
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	s := res.Spec
	if got := s.Orchestrator().ID; got != "000000000000" {
		t.Errorf("orchestrator %s", got)
	}
	if len(s.Refreshes) != 2 || s.Refreshes[0].Name != "dev" || s.Refreshes[1].Name != "staging" {
		t.Fatalf("refreshes not sorted by name: %+v", s.Refreshes)
	}
	staging := s.Refreshes[1]
	db := staging.Databases[0]
	if db.From.Account != staging.Source || db.From.Identifier != "prod-app" {
		t.Errorf("reference not resolved: %+v", db.From)
	}
	if len(db.PostRestoreSQL) != 1 || db.PostRestoreSQL[0].Name != "sql/anonymize.sql" || !strings.Contains(db.PostRestoreSQL[0].SQL, "UPDATE users") {
		t.Errorf("post-restore SQL %+v", db.PostRestoreSQL)
	}
	if staging.EKS.Volumes[0].FileSystem != staging.FileSystems[0] {
		t.Error("volume not bound to its filesystem copy")
	}
	dev := s.Refreshes[0]
	if dev.Databases[0].Serverless == nil || dev.Databases[0].KeepOld != KeepOldDelete || dev.Timeout.Hours() != 4 {
		t.Errorf("dev database %+v", dev.Databases[0])
	}
	if s.Project.ManagedTag != (Tag{Key: DefaultManagedTagKey, Value: "true"}) || s.Project.Partition != "aws" {
		t.Errorf("project defaults %+v", s.Project)
	}
}
