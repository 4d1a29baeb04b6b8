package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkCheckProcess measures, side by side, what a CI job pays for the
// drift check of the example's committed tree as a whole process (start,
// load, render in memory, read and compare), and what it pays for
// terraform fmt -check -recursive on the same tree. Run it with
//
//	go test ./cmd/refreshgen -run '^$' -bench CheckProcess -benchtime 50x
func BenchmarkCheckProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "refreshgen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	tfConfig := filepath.Join(b.TempDir(), "terraform.rc")
	if err := os.WriteFile(tfConfig, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	b.Run("refreshgen-check", func(b *testing.B) {
		for b.Loop() {
			run(b, nil, bin, "check", "-c", "../../examples/refresh.hcl")
		}
	})
	b.Run("terraform-fmt-check", func(b *testing.B) {
		tf, err := exec.LookPath("terraform")
		if err != nil {
			b.Skip("terraform is not on PATH")
		}
		for b.Loop() {
			run(b, []string{"TF_CLI_CONFIG_FILE=" + tfConfig}, tf, "fmt", "-check", "-recursive", "../../out")
		}
	})
}

// run runs one command to completion and fails the benchmark unless it
// exits 0.
func run(b *testing.B, env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out)
	}
}
