package workflows

func dbSQLWorkflows() []*Workflow {
	return nil
}
