// Package lambdazips renders the bundles of the Lambda helpers a spec uses,
// so Terraform deploys them from the rendered tree and the machine that
// applies needs no build tools.
package lambdazips

import (
	"fmt"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/names"
)

// Path is where the bundle of a helper (names.FnRunSQL, ...) lives in the
// rendered tree: lambdas/run-sql.zip.
func Path(fn string) string {
	return "lambdas/" + helper(fn) + ".zip"
}

// helper is the folder of a helper's main package under lambdas/.
func helper(fn string) string {
	return strings.ReplaceAll(fn, "_", "-")
}

// Render returns the bundle of every helper the spec uses, built through
// in.Bundle.
func Render(in generator.Input) ([]generator.File, error) {
	var files []generator.File
	for _, fn := range names.Helpers(in.Spec, nil) {
		if in.Bundle == nil {
			return nil, fmt.Errorf("the spec needs %s, and the input has no Lambda bundle provider", Path(fn))
		}
		req := generator.LambdaBundle{Helper: helper(fn), Arch: in.Spec.Project.LambdaArchitecture}
		if fn == names.FnRunSQL {
			req.CABundle = in.Spec.Project.RDSCABundle
		}
		data, inputs, err := in.Bundle(req)
		if err != nil {
			return nil, err
		}
		files = append(files, generator.File{
			Path: Path(fn), Kind: generator.KindLambdaZip, Mode: generator.ModeFile, Data: data, Inputs: inputs,
		})
	}
	return files, nil
}
