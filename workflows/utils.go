package workflows

func utilsWorkflows() []*Workflow {
	return nil
}
