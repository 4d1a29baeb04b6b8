package terraform_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestTerraformValidate validates every root and every module on its own
// with the real hashicorp/aws provider, which also checks names and enums:
// no error and no warning.
func TestTerraformValidate(t *testing.T) {
	tf, dir := terraformTree(t)
	for _, d := range terraformDirs(exampleTree(t).tree) {
		out, err := tf.Run(filepath.Join(dir, filepath.FromSlash(d)), nil, "validate", "-json", "-no-color")
		var res struct {
			Valid        bool `json:"valid"`
			ErrorCount   int  `json:"error_count"`
			WarningCount int  `json:"warning_count"`
		}
		if jerr := json.Unmarshal([]byte(out), &res); jerr != nil {
			t.Fatalf("%s: terraform validate: %v, %v\n%s", d, err, jerr, out)
		}
		t.Logf("%s: valid=%t, %d errors, %d warnings", d, res.Valid, res.ErrorCount, res.WarningCount)
		if !res.Valid || res.ErrorCount+res.WarningCount > 0 {
			t.Errorf("%s: terraform validate reports:\n%s", d, out)
		}
	}
}

// TestTerraformFmt checks the tree is as `terraform fmt` writes it.
func TestTerraformFmt(t *testing.T) {
	tf, dir := terraformTree(t)
	if out, err := tf.Run(dir, nil, "fmt", "-check", "-recursive", "-diff", "-no-color"); err != nil {
		t.Errorf("terraform fmt -check -recursive: %v\n%s", err, out)
	}
}
