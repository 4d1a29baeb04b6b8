// Package stepfunctions renders the Amazon States Language definition of
// every state machine: the workflow library and one orchestrator per
// refresh, each checked by package workflows before it is written.
package stepfunctions

import (
	"fmt"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/workflows"
)

// Path is where a workflow's definition lands in the rendered tree.
func Path(w *workflows.Workflow) string {
	return fmt.Sprintf("stepfunctions/%s/%s.asl.json", w.Group, w.Key)
}

// Render returns one .asl.json file per state machine.
func Render(in generator.Input) ([]generator.File, error) {
	var files []generator.File
	for _, m := range in.Machines {
		// As workflows.Build marshalled it: the bytes its checks validate.
		files = append(files, generator.File{Path: Path(m.Workflow), Kind: generator.KindASL, Data: m.JSON})
	}
	return files, nil
}
