package workflows

func eksWorkflows() []*Workflow {
	return nil
}
