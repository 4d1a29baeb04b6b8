package workflows

import "github.com/refreshgen/refreshgen/spec"

// orchestrators returns one orchestrator per refresh of the spec.
func orchestrators(s *spec.Spec) []*Workflow {
	return nil
}
