package terraform_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestTerraformValidate validates every root and every module of every
// tree on its own with the real hashicorp/aws provider, which also checks
// names and enums: no error and no warning. A module that is the same in
// several trees is validated once.
func TestTerraformValidate(t *testing.T) {
	tf, ws := terraformTrees(t)
	for _, f := range ws.folders {
		t.Run(f.tree.name+"/"+f.dir, func(t *testing.T) {
			t.Parallel()
			out, err := tf.Run(f.abs(), nil, "validate", "-json", "-no-color")
			var res struct {
				Valid        bool `json:"valid"`
				ErrorCount   int  `json:"error_count"`
				WarningCount int  `json:"warning_count"`
			}
			if jerr := json.Unmarshal([]byte(out), &res); jerr != nil {
				t.Fatalf("%s: terraform validate: %v, %v\n%s", f, err, jerr, out)
			}
			also := ""
			if len(f.also) > 0 {
				also = " (the same in " + strings.Join(f.also, ", ") + ")"
			}
			t.Logf("%s: valid=%t, %d errors, %d warnings%s", f, res.Valid, res.ErrorCount, res.WarningCount, also)
			if !res.Valid || res.ErrorCount+res.WarningCount > 0 {
				t.Errorf("%s: terraform validate reports:\n%s", f, out)
			}
		})
	}
}

// TestTerraformFmt checks each tree is as `terraform fmt` writes it.
func TestTerraformFmt(t *testing.T) {
	tf, ws := terraformTrees(t)
	for _, st := range ws.trees {
		if out, err := tf.Run(st.dir, nil, "fmt", "-check", "-recursive", "-diff", "-no-color"); err != nil {
			t.Errorf("%s: terraform fmt -check -recursive: %v\n%s", st.name, err, out)
		}
	}
}
