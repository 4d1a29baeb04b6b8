package workflows

func dbSnapshotWorkflows() []*Workflow {
	return nil
}
