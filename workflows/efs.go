package workflows

func efsWorkflows() []*Workflow {
	return nil
}
