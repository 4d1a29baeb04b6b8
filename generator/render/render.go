// Package render runs every renderer over a spec and gathers their files
// into one tree. Adding a renderer is one line in renderers.
package render

import (
	"fmt"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/docs"
	"github.com/refreshgen/refreshgen/generator/iampolicies"
	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/generator/lambdazips"
	"github.com/refreshgen/refreshgen/generator/sqlscripts"
	"github.com/refreshgen/refreshgen/generator/stepfunctions"
	"github.com/refreshgen/refreshgen/generator/terraform"
	"github.com/refreshgen/refreshgen/internal/parallel"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/workflows"
)

// GCPercent is the garbage collector's target (GOGC) the refreshgen command
// runs with. Rendering allocates many times what it keeps, and the command
// exits as soon as it has written or compared the tree: collecting a
// quarter as often made the render of 500 destinations a quarter faster
// (1.66 s instead of 2.22 s when it was set) for a peak heap about twice
// as large, and is part of what checks the example faster than terraform
// fmt reads it.
const GCPercent = 400

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
	{"kubernetes", kubernetes.Render},
	{"terraform", terraform.Render},
}

// Tree renders the spec into a new tree. An error is refreshgen's fault
// (two renderers claiming one path, an unsafe path), never the spec's: the
// spec was validated before.
func Tree(in generator.Input) (*generator.Tree, error) {
	// The checks of the state machines take as long as all the rest: they
	// run while the roles are derived and the files rendered from the
	// machines as built, and nothing made of them is used unless the
	// checks pass. What Tree returns is what it returned when it checked
	// first: the checks' error (or panic) comes before any other.
	g := workflows.Build(in.Spec)
	var checkErr error
	var checkPanic any
	checked := make(chan struct{})
	go func() {
		defer close(checked)
		defer func() { checkPanic = recover() }()
		_, checkErr = g.Check()
	}()
	t, renderPanic, err := render(in, g.Machines)
	<-checked
	switch {
	case checkPanic != nil:
		panic(checkPanic)
	case checkErr != nil:
		return nil, fmt.Errorf("state machines: %w", checkErr)
	case renderPanic != nil:
		panic(renderPanic)
	}
	return t, err
}

// render derives the roles of machines and runs every renderer; a panic
// is returned, to be raised once the checks are known.
func render(in generator.Input, machines []workflows.Machine) (t *generator.Tree, panicked any, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, panicked, err = nil, r, nil
		}
	}()
	rs, err := roles.Derive(in.Spec, machines)
	if err != nil {
		return nil, nil, fmt.Errorf("IAM roles: %w", err)
	}
	in.Machines, in.Roles = machines, rs
	// The renderers only read in: they run side by side (the last, the
	// largest, first), and their files are added in the order of
	// renderers, as one after the other would add them.
	n := len(renderers)
	outs := make([][]generator.File, n)
	errs := make([]error, n)
	panics := make([]any, n)
	parallel.ForEach(n, func(j int) {
		i := n - 1 - j
		defer func() { panics[i] = recover() }()
		outs[i], errs[i] = renderers[i].render(in)
	})
	for _, p := range panics {
		if p != nil {
			panic(p) // the first renderer's, as in a loop
		}
	}
	t = generator.NewTree()
	for i, r := range renderers {
		files, err := outs[i], errs[i]
		if err != nil {
			return nil, nil, fmt.Errorf("%s renderer: %w", r.name, err)
		}
		for _, f := range files {
			if err := t.Add(f); err != nil {
				return nil, nil, fmt.Errorf("%s renderer: %w", r.name, err)
			}
		}
	}
	return t, nil, nil
}
