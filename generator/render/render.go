// Package render runs every renderer over a spec and gathers their files
// into one tree. Adding a renderer is one line in renderers.
package render

import (
	"fmt"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/docs"
	"github.com/refreshgen/refreshgen/generator/iampolicies"
	"github.com/refreshgen/refreshgen/generator/lambdazips"
	"github.com/refreshgen/refreshgen/generator/sqlscripts"
	"github.com/refreshgen/refreshgen/generator/stepfunctions"
	"github.com/refreshgen/refreshgen/generator/terraform"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/workflows"
)

// A renderer is a pure function from the model to files: no I/O, no clock.
type renderer struct {
	name   string
	render func(generator.Input) ([]generator.File, error)
}

var renderers = []renderer{
	{"docs", docs.Render},
	{"lambdazips", lambdazips.Render},
	{"sql", sqlscripts.Render},
	{"stepfunctions", stepfunctions.Render},
	{"iam", iampolicies.Render},
	{"terraform", terraform.Render},
}

// Tree renders the spec into a new tree. An error is refreshgen's fault
// (two renderers claiming one path, an unsafe path), never the spec's: the
// spec was validated before.
func Tree(in generator.Input) (*generator.Tree, error) {
	machines, err := workflows.Generate(in.Spec)
	if err != nil {
		return nil, fmt.Errorf("state machines: %w", err)
	}
	rs, err := roles.Derive(in.Spec, machines)
	if err != nil {
		return nil, fmt.Errorf("IAM roles: %w", err)
	}
	in.Machines, in.Roles = machines, rs
	t := generator.NewTree()
	for _, r := range renderers {
		files, err := r.render(in)
		if err != nil {
			return nil, fmt.Errorf("%s renderer: %w", r.name, err)
		}
		for _, f := range files {
			if err := t.Add(f); err != nil {
				return nil, fmt.Errorf("%s renderer: %w", r.name, err)
			}
		}
	}
	return t, nil
}
