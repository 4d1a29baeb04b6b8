package workflows

import (
	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/names"
)

// The utils group: what every refresh does around the copying itself.

func utilsWorkflows() []*Workflow {
	return []*Workflow{prepareRefresh(), notify(), cleanupAndStop(), tagResources()}
}

// preparedDatabase is one database of a refresh as prepare_refresh checks
// it: the source cluster and its key, and the names the swap will use in
// the destination ("" for Old when the swap deletes the target first).
func preparedDatabase() *Shape {
	return Obj(
		Req("Name", Str("the database block's name")),
		Req("Source", Obj(Req("Account", account()), Req("ClusterId", Str("")), Req("KmsKeyArn", Str("the key the spec says the cluster uses")))),
		Req("Destination", Obj(
			Req("Account", account()),
			Req("Target", Str("the cluster the copy becomes")),
			Req("Restore", Str("the identifier the copy is restored under")),
			Req("Old", Str(`the identifier the previous target takes; "" when there is none`)),
			Req("OldFinalSnapshotId", Str(`a final snapshot to take before deleting a previous -old; "" for none`)),
		)),
	)
}

// preparedFileSystem is one target file system of a refresh.
func preparedFileSystem() *Shape {
	return Obj(Req("Name", Str("")), Req("Account", account()), Req("FileSystemId", Str("the target file system")))
}

func prepareRefresh() *Workflow {
	return &Workflow{
		Group: GroupUtils, Key: "prepare_refresh",
		Summary: "Check that a refresh can start safely, take ownership of its targets, clear leftovers of an earlier run, and record the run.",
		Input: Obj(
			Req("RunId", Str("the orchestrator's execution name")),
			Req("Refresh", Str("the refresh's name")),
			Req("Table", Str("the run-history table")),
			Req("StartedAt", Str("when the run started, ISO 8601")),
			Req("Databases", List(preparedDatabase())),
			Req("FileSystems", List(preparedFileSystem())),
		),
		Output:  Obj(Req("RunId", Str("")), Req("StartedAt", Str(""))),
		Timeout: 4 * 3600,
		build:   buildPrepareRefresh,
		example: examplePrepare,
	}
}

func buildPrepareRefresh(e *Env) *asl.Machine {
	var s asl.States
	record := e.recordRun(asl.Str("RUNNING"), "Databases")
	record.Comment = "Record the run as RUNNING in the run history."
	s.Add("Record", record)
	s.Add("Databases", &asl.Map{
		Comment:        "Check each database and clear the way for its swap, one at a time.",
		ItemsPath:      "$.Databases",
		MaxConcurrency: 1,
		ItemProcessor:  &asl.Processor{StartAt: "Source", States: e.prepareDatabaseStates()},
		ResultPath:     asl.Discard(),
		Next:           "FileSystems",
	})
	s.Add("FileSystems", &asl.Map{
		Comment:        "Take ownership of each target file system.",
		ItemsPath:      "$.FileSystems",
		MaxConcurrency: 1,
		ItemProcessor:  &asl.Processor{StartAt: "DescribeTarget", States: e.adoptFileSystemStates()},
		ResultPath:     asl.Discard(),
		Next:           "Output",
	})
	succeed(&s, "Output", asl.Obj(asl.Field("RunId", asl.Ref("$.RunId")), asl.Field("StartedAt", asl.Ref("$.StartedAt"))))
	return &asl.Machine{Comment: "Prepare a refresh: preconditions, ownership, leftovers, run record.", StartAt: "Record", States: s}
}

// prepareDatabaseStates check one database (the Map item is a
// preparedDatabase).
func (e *Env) prepareDatabaseStates() asl.States {
	var s asl.States
	source := e.call("rds", "describeDBClusters", "$.Source.Account.RoleArn",
		asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.Source.ClusterId"))))
	source.ResultSelector = asl.Obj(
		asl.Field("Encrypted", asl.Ref("$.DbClusters[0].StorageEncrypted")),
		asl.Field("Cluster", asl.Ref("$.DbClusters[0]")),
	)
	source.ResultPath = asl.At("$.SourceCluster")
	source.Catch = catchTo("SourceMissing", asl.ErrRdsDbClusterNotFound)
	source.Next = "SourceKey"
	s.Add("Source", source)
	s.Add("SourceKey", &asl.Choice{
		Comment: "The source must be encrypted with the key the spec names: that key is shared with the destination.",
		Choices: []asl.Rule{asl.When(asl.And(
			asl.BooleanEquals("$.SourceCluster.Encrypted", true),
			asl.TypeTest(asl.IsPresent, "$.SourceCluster.Cluster.KmsKeyId", true),
		), "SourceKeyValue")},
		Default: "SourceKeyWrong",
	})
	s.Add("SourceKeyValue", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.SourceCluster.Cluster.KmsKeyId", asl.Equals, "$.Source.KmsKeyArn"), "Target")},
		Default: "SourceKeyWrong",
	})
	s.Add("SourceMissing", &asl.Fail{Error: ErrPreconditions,
		CausePath: asl.Format("The source cluster {} does not exist.", asl.Ref("$.Source.ClusterId"))})
	s.Add("SourceKeyWrong", &asl.Fail{Error: ErrPreconditions,
		CausePath: asl.Format("The source cluster {} is not encrypted with {}, the key the spec names; snapshots under any other key cannot be shared as planned. Fix kms_key_arn in the aurora block.",
			asl.Ref("$.Source.ClusterId"), asl.Ref("$.Source.KmsKeyArn"))})
	s = merge(s, e.adoptClusterStates())
	s = merge(s, e.clearLeftoverStates("Old", "$.Destination.Old", "$.Destination.OldFinalSnapshotId", "Restore"))
	s = merge(s, e.clearLeftoverStates("Restore", "$.Destination.Restore", "", "Checked"))
	s.Add("Checked", &asl.Succeed{})
	return s
}

// adoptClusterStates tag the live target with the managed tag, if it
// exists: the spec names it as the target, so refreshgen manages it from
// now on (the swap renames it, keep_old stops or deletes it).
func (e *Env) adoptClusterStates() asl.States {
	var s asl.States
	describe := e.call("rds", "describeDBClusters", "$.Destination.Account.RoleArn",
		asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref("$.Destination.Target"))))
	describe.ResultSelector = asl.Obj(
		asl.Field("Arn", asl.Ref("$.DbClusters[0].DbClusterArn")),
		asl.Field("Members", asl.Ref("$.DbClusters[0].DbClusterMembers")),
	)
	describe.ResultPath = asl.At("$.TargetCluster")
	describe.Catch = catchTo("IsSwap", asl.ErrRdsDbClusterNotFound)
	describe.Next = "Adopt"
	s.Add("Target", describe)
	adopt := e.call("rds", "addTagsToResource", "$.Destination.Account.RoleArn", asl.Obj(
		asl.Field("ResourceName", asl.Ref("$.TargetCluster.Arn")),
		asl.Field("Tags", e.managedTagList()),
	))
	adopt.Comment = "The spec names this cluster as the target: mark it as refreshgen's."
	adopt.ResultPath, adopt.Next = asl.Discard(), "AdoptInstances"
	s.Add("Adopt", adopt)
	// Its instances too: they are deleted with it one day (as the -old of
	// a later run), and IAM lets a destination role delete only what
	// carries the managed tag.
	instance := e.call("rds", "addTagsToResource", "$.Account.RoleArn", asl.Obj(
		asl.Field("ResourceName", asl.Format(e.ARN("rds", "{}", "db:{}"), asl.Ref("$.Account.AccountId"), asl.Ref("$.InstanceId"))),
		asl.Field("Tags", e.managedTagList()),
	))
	instance.ResultPath, instance.End = asl.Discard(), true
	var adoptOne asl.States
	adoptOne.Add("AdoptInstance", instance)
	s.Add("AdoptInstances", &asl.Map{
		ItemsPath: "$.TargetCluster.Members",
		ItemSelector: asl.Obj(
			asl.Field("Account", asl.Ref("$.Destination.Account")),
			asl.Field("InstanceId", asl.Ref("$$.Map.Item.Value.DbInstanceIdentifier")),
		),
		ItemProcessor: &asl.Processor{StartAt: "AdoptInstance", States: adoptOne},
		ResultPath:    asl.Discard(),
		Next:          "IsSwap",
	})
	s.Add("IsSwap", &asl.Choice{
		Comment: "A delete-first swap restores under the target's own name: there is no -old or -restore to clear, " +
			"and the copy deletes the target itself, with its final snapshot.",
		Choices: []asl.Rule{asl.When(asl.CompareString("$.Destination.Old", asl.Equals, ""), "Checked")},
		Default: "Old",
	})
	return s
}

// clearLeftoverStates make sure nothing holds the identifier at idPath: a
// refreshgen-managed cluster there (the -old of the previous refresh, or
// the -restore of an interrupted one) is deleted by ensure_cluster_not_exists
// (behind its guard); anything else stops the refresh before it changes
// anything.
func (e *Env) clearLeftoverStates(name, idPath, snapshotPath, next string) asl.States {
	var s asl.States
	describe := e.call("rds", "describeDBClusters", "$.Destination.Account.RoleArn",
		asl.Obj(asl.Field("DbClusterIdentifier", asl.Ref(idPath))))
	describe.ResultSelector = asl.Obj(asl.Field("TagList", asl.Ref("$.DbClusters[0].TagList")))
	describe.ResultPath = asl.At("$.Leftover")
	describe.Catch = catchTo(next, asl.ErrRdsDbClusterNotFound)
	describe.Next = name + "Owned"
	s.Add(name, describe)
	tag := e.ManagedTag()
	s.Add(name+"Owned", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Tag", asl.Ref("$.Leftover.TagList[?(@.Key == '"+escapeFilter(tag.Key)+"')]"))),
		ResultPath: asl.At("$.Leftover"),
		Next:       name + "IsOwned",
	})
	s.Add(name+"IsOwned", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Leftover.Tag[0].Value", true), name+"Clear")},
		Default: name + "Taken",
	})
	s.Add(name+"Taken", &asl.Fail{Error: ErrPreconditions,
		CausePath: asl.Format("A cluster named {} exists and is not refreshgen's; the refresh needs that name. Rename or delete it, or tag it "+tag.Key+"="+tag.Value+" to let refreshgen replace it.",
			asl.Ref(idPath))})
	base := []asl.Member{asl.Field("Account", asl.Ref("$.Destination.Account")), asl.Field("ClusterId", asl.Ref(idPath))}
	clear := e.start(GroupDB, "ensure_cluster_not_exists", asl.Obj(base...))
	clear.ResultPath, clear.Next = asl.Discard(), next
	if snapshotPath == "" {
		s.Add(name+"Clear", clear)
		return s
	}
	s.Add(name+"Clear", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.CompareString(snapshotPath, asl.Equals, ""), name+"Delete")},
		Default: name + "DeleteWithSnapshot",
	})
	s.Add(name+"Delete", clear)
	withSnapshot := e.start(GroupDB, "ensure_cluster_not_exists", asl.Obj(append(base, asl.Field("FinalSnapshotId", asl.Ref(snapshotPath)))...))
	withSnapshot.ResultPath, withSnapshot.Next = asl.Discard(), next
	s.Add(name+"DeleteWithSnapshot", withSnapshot)
	return s
}

// adoptFileSystemStates tag the target file system as refreshgen's (the
// item is a preparedFileSystem); a missing target stops the refresh.
func (e *Env) adoptFileSystemStates() asl.States {
	var s asl.States
	describe := e.call("efs", "describeFileSystems", "$.Account.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref("$.FileSystemId"))))
	describe.ResultSelector = asl.Obj(asl.Field("Arn", asl.Ref("$.FileSystems[0].FileSystemArn")))
	describe.ResultPath = asl.At("$.Target")
	describe.Catch = catchTo("TargetMissing", asl.ErrEfsFileSystemNotFound)
	describe.Next = "AdoptTarget"
	s.Add("DescribeTarget", describe)
	adopt := e.call("efs", "tagResource", "$.Account.RoleArn", asl.Obj(
		asl.Field("ResourceId", asl.Ref("$.FileSystemId")),
		asl.Field("Tags", e.managedTagList()),
	))
	adopt.ResultPath, adopt.End = asl.Discard(), true
	s.Add("AdoptTarget", adopt)
	s.Add("TargetMissing", &asl.Fail{Error: ErrPreconditions,
		CausePath: asl.Format("The target file system {} does not exist; create it (refreshgen restores into an existing file system).", asl.Ref("$.FileSystemId"))})
	return s
}

func examplePrepare(e *Env) map[string]any {
	r := e.Spec.Refreshes[0]
	dbs, fss := []any{}, []any{}
	for _, db := range r.Databases {
		dbs = append(dbs, map[string]any{
			"Name":   db.Name,
			"Source": map[string]any{"Account": accountOf(e, r.Source), "ClusterId": db.From.Identifier, "KmsKeyArn": db.From.KMSKeyARN},
			"Destination": map[string]any{"Account": accountOf(e, r.Destination), "Target": db.TargetCluster,
				"Restore": names.RestoreCluster(db), "Old": names.OldCluster(db), "OldFinalSnapshotId": ""},
		})
	}
	for _, fs := range r.FileSystems {
		fss = append(fss, map[string]any{"Name": fs.Name, "Account": accountOf(e, r.Destination), "FileSystemId": fs.TargetFileSystemID})
	}
	return map[string]any{"RunId": "example-run", "Refresh": r.Name, "Table": e.HistoryTable(),
		"StartedAt": "2026-11-26T03:00:00Z", "Databases": dbs, "FileSystems": fss}
}

func notify() *Workflow {
	return &Workflow{
		Group: GroupUtils, Key: "notify",
		Summary: "Record a refresh's outcome in the run history and, if asked, publish it to the topic.",
		Input: Obj(
			Req("Table", Str("the run-history table")),
			Req("TopicArn", Str("the topic to publish to")),
			Req("Publish", Boolean("whether this outcome is published (the refresh's notify.on)")),
			Req("RunId", Str("")), Req("Refresh", Str("")), Req("StartedAt", Str("")),
			Req("Status", Str("SUCCEEDED or FAILED")),
			Req("Summary", Str("one line for people")),
			Req("Details", Str("the error or the warnings, as JSON text")),
		),
		Output:  Obj(Req("Published", Boolean(""))),
		Timeout: 15 * 60,
		build:   buildNotify,
		example: func(e *Env) map[string]any {
			r := e.Spec.Refreshes[0]
			return map[string]any{"Table": e.HistoryTable(), "TopicArn": e.TopicARN(r), "Publish": true, "RunId": "example-run",
				"Refresh": r.Name, "StartedAt": "2026-11-26T03:00:00Z", "Status": "SUCCEEDED", "Summary": "Refresh done.", "Details": "[]"}
		},
	}
}

// buildNotify writes the run record first: the history is the record of
// truth, the message only a courtesy. Neither failure is swallowed: the
// orchestrator decides what a failed notification means.
func buildNotify(e *Env) *asl.Machine {
	var s asl.States
	s.Add("Record", e.recordRun(asl.Ref("$.Status"), "ShouldPublish",
		asl.Field("FinishedAt", asl.Ref("$$.State.EnteredTime")),
		asl.Field("Summary", asl.Ref("$.Summary")),
		asl.Field("Details", asl.Ref("$.Details")),
	))
	s.Add("ShouldPublish", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.BooleanEquals("$.Publish", true), "Publish")},
		Default: "NotPublished",
	})
	s.Add("Publish", &asl.Task{
		Resource: asl.SNSPublish().ARN(e.Partition),
		Parameters: asl.Obj(
			asl.Field("TopicArn", asl.Ref("$.TopicArn")),
			asl.Field("Subject", asl.Format("refreshgen: {} {}", asl.Ref("$.Refresh"), asl.Ref("$.Status"))),
			asl.Field("Message", asl.Format("{}\n\nRun: {}\nStarted: {}\nDetails: {}", asl.Ref("$.Summary"), asl.Ref("$.RunId"), asl.Ref("$.StartedAt"), asl.Ref("$.Details"))),
			asl.Field("MessageAttributes", asl.Obj(
				asl.Field("status", asl.Obj(asl.Field("DataType", asl.Str("String")), asl.Field("StringValue", asl.Ref("$.Status")))),
				asl.Field("refresh", asl.Obj(asl.Field("DataType", asl.Str("String")), asl.Field("StringValue", asl.Ref("$.Refresh")))),
			)),
		),
		ResultPath: asl.Discard(),
		Retry:      optimizedTransient("sns"),
		Next:       "Published",
	})
	s.Add("NotPublished", &asl.Pass{Parameters: asl.Obj(asl.Field("Published", asl.Bool(false))), Next: "Done"})
	succeed(&s, "Published", asl.Obj(asl.Field("Published", asl.Bool(true))))
	return &asl.Machine{Comment: "Record a refresh's outcome and publish it.", StartAt: "Record", States: s}
}

// recordRun returns the Task that writes the run's record to the run
// history, the table at $.Table, and goes to next: the run's identity and
// status, then more, each stored as a string attribute. prepare_refresh
// and notify write the same record, so a run has one shape from start to
// end.
func (e *Env) recordRun(status asl.Value, next string, more ...asl.Member) *asl.Task {
	fields := append([]asl.Member{
		asl.Field("RunId", asl.Ref("$.RunId")),
		asl.Field("Refresh", asl.Ref("$.Refresh")),
		asl.Field("Status", status),
		asl.Field("StartedAt", asl.Ref("$.StartedAt")),
	}, more...)
	item := asl.Obj()
	for _, f := range fields {
		item.Members = append(item.Members, asl.Field(f.Key, asl.Obj(asl.Field("S", f.Value))))
	}
	return &asl.Task{
		Resource:   asl.DynamoDBPutItem().ARN(e.Partition),
		Parameters: asl.Obj(asl.Field("TableName", asl.Ref("$.Table")), asl.Field("Item", item)),
		ResultPath: asl.Discard(),
		Retry:      optimizedTransient("dynamodb"),
		Next:       next,
	}
}

// cleanupItem is what one cleanup step reports; cleanup_and_stop keeps the
// failed ones as warnings.
func cleanupItem() *Shape {
	return Obj(Req("Failed", Boolean("")), Req("What", Str("the resource")), Opt("Error", Str("")), Opt("Cause", Str("")))
}

func cleanupAndStop() *Workflow {
	return &Workflow{
		Group: GroupUtils, Key: "cleanup_and_stop",
		Summary: "Release a refresh's temporary snapshots and grants, delete or stop the clusters it no longer needs, and report what could not be cleaned.",
		Input: Obj(
			Req("Snapshots", List(Obj(Req("Source", account()), Req("DestinationAccountId", Str("")), Req("SnapshotId", Str("")),
				Req("KmsKeyArn", Str("")), Req("GrantName", Str(""))))),
			Req("Shares", List(Obj(Req("Source", account()), Req("ShareName", Str(""))))),
			Req("DeleteClusters", List(Obj(Req("Account", account()), Req("ClusterId", Str("")),
				Req("FinalSnapshotId", Str(`"" for no final snapshot`))))),
			Req("StopClusters", List(Obj(Req("Account", account()), Req("ClusterId", Str(""))))),
		),
		Output: Obj(Req("Warnings", Obj(
			Req("Snapshots", List(cleanupItem())), Req("Shares", List(cleanupItem())),
			Req("DeleteClusters", List(cleanupItem())), Req("StopClusters", List(cleanupItem())),
		))),
		Timeout: 6 * 3600,
		build:   buildCleanup,
		example: func(e *Env) map[string]any {
			r := e.Spec.Refreshes[0]
			src, dst := accountOf(e, r.Source), accountOf(e, r.Destination)
			db := r.Databases[0]
			return map[string]any{
				"Snapshots": []any{map[string]any{"Source": src, "DestinationAccountId": r.Destination.ID,
					"SnapshotId": e.SnapshotPrefix(r, db) + "-example", "KmsKeyArn": db.From.KMSKeyARN, "GrantName": "example-run"}},
				"Shares":         []any{map[string]any{"Source": src, "ShareName": e.SnapshotPrefix(r, db) + "-share-example"}},
				"DeleteClusters": []any{map[string]any{"Account": dst, "ClusterId": names.RestoreCluster(db), "FinalSnapshotId": ""}},
				"StopClusters":   []any{map[string]any{"Account": dst, "ClusterId": names.OldCluster(db)}},
			}
		},
	}
}

// buildCleanup runs the four kinds of cleanup side by side. A step that
// fails does not stop the others: cleanup after a failure must get as far
// as it can. Every failure is kept, with its error and cause, and returned
// as a warning the orchestrator reports; nothing is dropped silently.
func buildCleanup(e *Env) *asl.Machine {
	release := func(in *asl.Object) *asl.Task { return e.start(GroupDB, "release_snapshot", in) }
	branches := []asl.Branch{
		cleanupBranch("Snapshots", "$.SnapshotId", release(asl.Obj(
			asl.Field("Source", asl.Ref("$.Source")), asl.Field("DestinationAccountId", asl.Ref("$.DestinationAccountId")),
			asl.Field("SnapshotId", asl.Ref("$.SnapshotId")), asl.Field("KmsKeyArn", asl.Ref("$.KmsKeyArn")),
			asl.Field("GrantName", asl.Ref("$.GrantName")),
		)), nil),
		cleanupBranch("Shares", "$.ShareName", e.start(GroupDB, "release_cluster_share", asl.Obj(
			asl.Field("Source", asl.Ref("$.Source")), asl.Field("ShareName", asl.Ref("$.ShareName")))), nil),
		cleanupBranch("DeleteClusters", "$.ClusterId",
			e.start(GroupDB, "ensure_cluster_not_exists", asl.Obj(asl.Field("Account", asl.Ref("$.Account")), asl.Field("ClusterId", asl.Ref("$.ClusterId")))),
			e.start(GroupDB, "ensure_cluster_not_exists", asl.Obj(asl.Field("Account", asl.Ref("$.Account")), asl.Field("ClusterId", asl.Ref("$.ClusterId")),
				asl.Field("FinalSnapshotId", asl.Ref("$.FinalSnapshotId"))))),
		cleanupBranch("StopClusters", "$.ClusterId",
			e.start(GroupDB, "stop_cluster", asl.Obj(asl.Field("Account", asl.Ref("$.Account")), asl.Field("ClusterId", asl.Ref("$.ClusterId")))), nil),
	}
	var s asl.States
	s.Add("Cleanup", &asl.Parallel{Branches: branches, ResultPath: asl.At("$.Results"), Next: "Output"})
	failed := func(i int) asl.Ref { return asl.Ref("$.Results[" + string(rune('0'+i)) + "][?(@.Failed == true)]") }
	succeed(&s, "Output", asl.Obj(asl.Field("Warnings", asl.Obj(
		asl.Field("Snapshots", failed(0)), asl.Field("Shares", failed(1)),
		asl.Field("DeleteClusters", failed(2)), asl.Field("StopClusters", failed(3)),
	))))
	return &asl.Machine{Comment: "Clean up after a refresh and report what could not be cleaned.", StartAt: "Cleanup", States: s}
}

// cleanupBranch runs step for each element of the list named list (one at
// a time), recording {Failed, What, Error, Cause} for each. With
// withSnapshot set, an element whose FinalSnapshotId is not "" runs it
// instead of step.
func cleanupBranch(list, what string, step, withSnapshot *asl.Task) asl.Branch {
	var item asl.States
	first := list + "Step"
	catch := []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, ResultPath: asl.At("$.Error"), Next: list + "Failed"}}
	if withSnapshot != nil {
		first = list + "Which"
		item.Add(first, &asl.Choice{
			Choices: []asl.Rule{asl.When(asl.CompareString("$.FinalSnapshotId", asl.Equals, ""), list+"Step")},
			Default: list + "StepWithSnapshot",
		})
		ws := *withSnapshot
		ws.ResultPath, ws.Next, ws.Catch = asl.Discard(), list+"Ok", catch
		item.Add(list+"StepWithSnapshot", &ws)
	}
	st := *step
	st.ResultPath, st.Next, st.Catch = asl.Discard(), list+"Ok", catch
	item.Add(list+"Step", &st)
	item.Add(list+"Ok", &asl.Pass{Parameters: asl.Obj(asl.Field("Failed", asl.Bool(false)), asl.Field("What", asl.Ref(what))), End: true})
	item.Add(list+"Failed", &asl.Pass{Parameters: asl.Obj(
		asl.Field("Failed", asl.Bool(true)), asl.Field("What", asl.Ref(what)),
		asl.Field("Error", asl.Ref("$.Error.Error")), asl.Field("Cause", asl.Ref("$.Error.Cause")),
	), End: true})
	var b asl.States
	b.Add(list, &asl.Map{ItemsPath: "$." + list, MaxConcurrency: 1,
		ItemProcessor: &asl.Processor{StartAt: first, States: item}, End: true})
	return asl.Branch{StartAt: list, States: b}
}

func tagResources() *Workflow {
	return &Workflow{
		Group: GroupUtils, Key: "tag_resources",
		Summary: "Tag up to 20 resources of one account, failing if any of them could not be tagged.",
		Input: Obj(Req("Account", account()), Req("ResourceArns", List(Str("at most 20 ARNs"))),
			Req("Tags", Opaque("a map of tag key to value"))),
		Output:  Obj(Req("Tagged", Num("how many resources were tagged"))),
		Timeout: 15 * 60,
		build: func(e *Env) *asl.Machine {
			var s asl.States
			tag := e.call("resourcegroupstaggingapi", "tagResources", "$.Account.RoleArn", asl.Obj(
				asl.Field("ResourceARNList", asl.Ref("$.ResourceArns")), asl.Field("Tags", asl.Ref("$.Tags"))))
			tag.ResultSelector = asl.Obj(asl.Field("Failed", asl.Call(asl.FnJsonToString, asl.Ref("$.FailedResourcesMap"))))
			tag.ResultPath, tag.Next = asl.At("$.Result"), "AllTagged"
			s.Add("Tag", tag)
			s.Add("AllTagged", &asl.Choice{
				Comment: "The API reports per-resource failures in FailedResourcesMap rather than as an error (the seed ignored it).",
				Choices: []asl.Rule{asl.When(asl.CompareString("$.Result.Failed", asl.Equals, "{}"), "Output")},
				Default: "SomeFailed",
			})
			s.Add("SomeFailed", &asl.Fail{Error: ErrStepFailed, CausePath: asl.Format("Some resources could not be tagged: {}", asl.Ref("$.Result.Failed"))})
			succeed(&s, "Output", asl.Obj(asl.Field("Tagged", asl.Call(asl.FnArrayLength, asl.Ref("$.ResourceArns")))))
			return &asl.Machine{Comment: "Tag resources of one account.", StartAt: "Tag", States: s}
		},
		example: func(e *Env) map[string]any {
			r := e.Spec.Refreshes[0]
			return map[string]any{"Account": accountOf(e, r.Destination),
				"ResourceArns": []any{e.ARN("rds", r.Destination.ID, "cluster:"+r.Databases[0].TargetCluster)},
				"Tags":         map[string]any{e.ManagedTag().Key: e.ManagedTag().Value}}
		},
	}
}
