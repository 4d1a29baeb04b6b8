package workflows

func dbJobWorkflows() []*Workflow {
	return nil
}
