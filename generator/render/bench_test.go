package render

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/spec"
)

// syntheticSpec writes a spec with n destination accounts, each refreshed
// from one production account with three databases: the estates the
// performance targets are stated for.
func syntheticSpec(n int) []byte {
	var b strings.Builder
	b.WriteString(`project "bench" {
  prefix        = "bench"
  region        = "eu-west-1"
  rds_ca_bundle = file("ca.pem")
}

account "ops" {
  id   = "000000000000"
  role = "orchestrator"
}

account "prod" {
  id   = "111111111111"
  role = "source"
}
`)
	for _, db := range []string{"orders", "users", "billing"} {
		fmt.Fprintf(&b, `
aurora %q {
  account     = account.prod
  identifier  = "prod-%s"
  engine      = "aurora-postgresql"
  kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
}
`, db, db)
	}
	for i := range n {
		id := fmt.Sprintf("%012d", 200000000000+i)
		fmt.Fprintf(&b, `
account "dst%d" {
  id         = %q
  role       = "destination"
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = ["subnet-0a1b2c3d4e5f60718"]
}

refresh "dst%d" {
  source      = account.prod
  destination = account.dst%d
`, i, id, i, i)
		for _, db := range []string{"orders", "users", "billing"} {
			fmt.Fprintf(&b, `
  database %q {
    from               = aurora.%s
    target_cluster     = "dst%d-%s"
    instance_class     = "db.r6g.large"
    subnet_group       = "dst-db"
    security_group_ids = ["sg-0a1b2c3d4e5f60718"]
    kms_key_arn        = "arn:aws:kms:eu-west-1:%s:key/1a2b3c4d-5e6f-4a5b-8c7d-9e0f1a2b3c4d"
    post_restore_sql   = [file("sql/mask.sql")]
  }
`, db, db, i, db, id)
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

// readFile answers the file() calls of the example and the synthetic specs.
func readFile(rel string) ([]byte, error) {
	switch rel {
	case "sql/anonymize.sql", "global-bundle.pem":
		return os.ReadFile("../../examples/" + rel)
	case "ca.pem":
		return os.ReadFile("../../examples/global-bundle.pem")
	}
	return []byte("UPDATE t SET email = NULL;\n"), nil
}

// fakeBundle stands in for the Lambda builds, which the render pipeline
// reuses from the output folder on every run after the first (see package
// bundles): the benchmarks measure the pipeline, not the Go compiler.
func fakeBundle(b generator.LambdaBundle) ([]byte, string, error) {
	return []byte("bundle " + b.Helper), "fake:" + b.Helper, nil
}

// benchInputs are the specs the benchmarks run on, by name.
func benchInputs(b *testing.B) map[string][]byte {
	example, err := os.ReadFile("../../examples/refresh.hcl")
	if err != nil {
		b.Fatal(err)
	}
	return map[string][]byte{"example": example, "10": syntheticSpec(10), "100": syntheticSpec(100), "500": syntheticSpec(500)}
}

func loadAndRender(b *testing.B, src []byte) *generator.Tree {
	res := spec.Load("refresh.hcl", src, spec.Options{ToolVersion: "0.1.0", ReadFile: readFile})
	if res.Diagnostics.HasErrors() {
		b.Fatal(res.Diagnostics)
	}
	t, err := Tree(generator.Input{Spec: res.Spec, SpecPath: "../refresh.hcl", Bundle: fakeBundle})
	if err != nil {
		b.Fatal(err)
	}
	return t
}

// asTheCommandRuns sets the garbage collector as cmd/refreshgen does for
// the rest of the benchmark.
func asTheCommandRuns(b *testing.B) {
	previous := debug.SetGCPercent(GCPercent)
	b.Cleanup(func() { debug.SetGCPercent(previous) })
}

// BenchmarkLoadValidateRender measures the pure pipeline: parse, decode,
// schema, semantic checks and every renderer.
func BenchmarkLoadValidateRender(b *testing.B) {
	asTheCommandRuns(b)
	for _, name := range []string{"example", "10", "100", "500"} {
		src := benchInputs(b)[name]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				loadAndRender(b, src)
			}
		})
	}
}

// BenchmarkCheck measures what check does on an up-to-date tree: the
// pipeline above, then reading the output folder and comparing.
func BenchmarkCheck(b *testing.B) {
	asTheCommandRuns(b)
	for _, name := range []string{"example", "10", "100", "500"} {
		src := benchInputs(b)[name]
		b.Run(name, func(b *testing.B) {
			root := filepath.Join(b.TempDir(), "out")
			t := loadAndRender(b, src)
			snap, err := generator.ReadSnapshot(root)
			if err != nil {
				b.Fatal(err)
			}
			if err := generator.Apply(root, generator.NewPlan(t, snap), false); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				snap, err := generator.ReadSnapshot(root)
				if err != nil {
					b.Fatal(err)
				}
				if !generator.NewPlan(loadAndRender(b, src), snap).UpToDate() {
					b.Fatal("the tree is not up to date")
				}
			}
		})
	}
}

// TestSyntheticSpecsAreValid keeps the benchmark inputs honest.
func TestSyntheticSpecsAreValid(t *testing.T) {
	res := spec.Load("refresh.hcl", syntheticSpec(3), spec.Options{ToolVersion: "0.1.0", ReadFile: readFile})
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
}
