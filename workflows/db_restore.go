package workflows

func dbRestoreWorkflows() []*Workflow {
	return nil
}
