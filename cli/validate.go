package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/refreshgen/refreshgen/internal/english"
	"github.com/refreshgen/refreshgen/spec"
)

// loadSpec reads and validates the spec named by -c. On failure it has
// already reported why, and returns nil with the exit code to use.
func (e *Env) loadSpec(o *options) (*spec.Spec, spec.Result, int) {
	path := e.path(o.config)
	src, err := os.ReadFile(path)
	if err != nil {
		code, detail := ExitInternal, fmt.Sprintf("Reading %s failed: %v.", o.config, err)
		if errors.Is(err, fs.ErrNotExist) {
			code = ExitInput
			detail = fmt.Sprintf("There is no spec at %s. Pass its path with -c, or write a starter with 'refreshgen init'.", o.config)
		}
		e.report(o, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the spec", Detail: detail}})
		return nil, spec.Result{}, code
	}
	specDir := filepath.Dir(path)
	res := spec.Load(filepath.ToSlash(o.config), src, spec.Options{
		ToolVersion: Version,
		ReadFile: func(rel string) ([]byte, error) {
			return os.ReadFile(filepath.Join(specDir, filepath.FromSlash(rel)))
		},
	})
	if res.Diagnostics.HasErrors() {
		e.report(o, res.Files, res.Diagnostics)
		if slices.ContainsFunc(res.Diagnostics, spec.IsInternal) {
			return nil, res, ExitInternal
		}
		return nil, res, ExitInput
	}
	return res.Spec, res, ExitOK
}

func runValidate(e *Env, o *options) int {
	s, res, code := e.loadSpec(o)
	if s == nil {
		return code
	}
	if o.format != "text" || len(res.Diagnostics) > 0 {
		e.report(o, res.Files, res.Diagnostics) // warnings, or the JSON verdict
	}
	if o.format == "text" {
		fmt.Fprintf(e.Stdout, "%s is valid: %s.\n", o.config, summarize(s))
	}
	return ExitOK
}

// summarize counts what a spec declares, for a one-line confirmation.
func summarize(s *spec.Spec) string {
	return fmt.Sprintf("%s, %s, %s, %s, %s",
		english.Plural(len(s.Accounts), "account"), english.Plural(len(s.Auroras), "aurora cluster"),
		english.Plural(len(s.FileSystems), "efs file system"), english.Plural(len(s.EKSClusters), "eks cluster"),
		english.Plural(len(s.Refreshes), "refresh"))
}
