// Package tftest runs the Terraform CLI on rendered trees in tests, with
// the real hashicorp/aws provider from the machine's filesystem mirror
// (../shared/tools/tf-mirror) and never the network: init installs from
// the mirror only, and a plan talks to a loopback stand-in for AWS.
package tftest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/internal/validators"
)

// Terraform is the terraform command set up for a test binary.
type Terraform struct {
	bin string
	env []string
}

// Find returns terraform, configured to install hashicorp/aws from the
// provider mirror only, with a plugin cache in dir (share dir across a test
// binary; init one folder alone, which fills the cache, before running
// inits concurrently). Without terraform or the mirror it skips the test
// with a loud line, and fails it when CI is set: CI must not pass by
// skipping.
func Find(t testing.TB, dir string) *Terraform {
	t.Helper()
	bin, err := exec.LookPath("terraform")
	if err != nil {
		unavailable(t, "terraform is not on PATH")
	}
	mirror, err := mirrorDir()
	if err != nil {
		unavailable(t, err.Error())
	}
	rc := filepath.Join(dir, "terraform.rc")
	// The first init copies the provider from the mirror into the cache;
	// every other one links it from there, lock file or not, and writes
	// nothing to the cache, so that inits may run concurrently once the
	// cache holds the provider.
	config := fmt.Sprintf("disable_checkpoint = true\nplugin_cache_may_break_dependency_lock_file = true\n\nprovider_installation {\n  filesystem_mirror {\n    path = %q\n  }\n}\n", mirror)
	cache := filepath.Join(dir, "plugin-cache")
	if err := os.WriteFile(rc, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	return &Terraform{bin: bin, env: []string{
		"TF_CLI_CONFIG_FILE=" + rc,
		"TF_PLUGIN_CACHE_DIR=" + cache,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	}}
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	validators.SkipOrFail(t, fmt.Sprintf("SKIP (a failure in CI): %s: the Terraform checks did not run; they need Terraform and the hashicorp/aws mirror (see ../shared/tools/README.md)", why))
}

// mirrorDir asks ../shared/tools/tf-mirror for the provider mirror.
func mirrorDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	tools, err := validators.ToolsDir(dir)
	if err != nil {
		return "", err
	}
	tool := filepath.Join(tools, "tf-mirror")
	out, err := exec.Command(tool).Output()
	if err != nil {
		return "", fmt.Errorf("no hashicorp/aws provider mirror (%s: %v)", tool, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Run runs terraform with args in dir, with extra environment variables on
// top of the test's own minus any AWS_ settings, and returns its combined
// output.
func (tf *Terraform) Run(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command(tf.bin, append([]string{"-chdir=" + dir}, args...)...)
	cmd.Env = append(append(withoutAWS(os.Environ()), tf.env...), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// withoutAWS drops the AWS settings of the environment, so that no profile
// or real credential of the machine ever reaches a test's provider.
func withoutAWS(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}
