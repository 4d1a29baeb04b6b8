package workflows

import (
	"cmp"
	"strconv"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
)

// The EFS workflows: create and delete a file system, copy production's
// data into an existing destination file system (an AWS Backup copy and
// restore, or EFS replication) and publish where the copied data lives.

func efsWorkflows() []*Workflow {
	return []*Workflow{
		createFileSystem(), deleteFileSystem(), getSubpathAndStoreInSSM(), restoreFromBackup(),
		setupCrossAccountReplication(), waitReplicationComplete(), finishReplication(),
	}
}

// describeFileSystem reads the file system whose ID is at idPath, with the
// role at rolePath, into $.FileSystem: Id, Arn, State (its LifeCycleState)
// and Tags, the list of {Key, Value} that requireManaged reads.
func (e *Env) describeFileSystem(idPath, rolePath string) *asl.Task {
	t := e.call("efs", "describeFileSystems", rolePath, asl.Obj(asl.Field("FileSystemId", asl.Ref(idPath))))
	t.ResultSelector = asl.Obj(
		asl.Field("Id", asl.Ref("$.FileSystems[0].FileSystemId")),
		asl.Field("Arn", asl.Ref("$.FileSystems[0].FileSystemArn")),
		asl.Field("State", asl.Ref("$.FileSystems[0].LifeCycleState")),
		asl.Field("Tags", asl.Ref("$.FileSystems[0].Tags")),
	)
	t.ResultPath = asl.At("$.FileSystem")
	return t
}

// describeMountTargets reads the mount targets of the file system whose ID
// is at idPath into $.MountTargets: the List, its Count, how many are
// Available and those that failed (Failed). A file system has at most one
// mount target per Availability Zone, so the first page (10, the only size
// EFS returns) holds them all.
func (e *Env) describeMountTargets(idPath string) *asl.Task {
	t := e.call("efs", "describeMountTargets", "$.Account.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref(idPath))))
	t.ResultSelector = asl.Obj(
		asl.Field("List", asl.Ref("$.MountTargets")),
		asl.Field("Count", asl.Call(asl.FnArrayLength, asl.Ref("$.MountTargets"))),
		asl.Field("Available", asl.Call(asl.FnArrayLength, asl.Ref("$.MountTargets[?(@.LifeCycleState == 'available')]"))),
		asl.Field("Failed", asl.Ref("$.MountTargets[?(@.LifeCycleState == 'error')]")),
	)
	t.ResultPath = asl.At("$.MountTargets")
	return t
}

// exampleCopy is what the example inputs are made of: the first file
// system copy of the spec and the accounts of its refresh, or placeholders
// on the spec's first source and destination when it copies none.
func exampleCopy(e *Env, strategy spec.FileSystemStrategy) (src, dst *spec.Account, fs *spec.FileSystemCopy) {
	// A copy of that strategy, else any: the example's accounts and file
	// systems are what matter.
	for _, fallback := range []bool{false, true} {
		for _, r := range e.Spec.Refreshes {
			for _, c := range r.FileSystems {
				if fallback || strategy == "" || c.Strategy == strategy {
					return r.Source, r.Destination, c
				}
			}
		}
	}
	return exampleAccount(e, spec.RoleSource), exampleAccount(e, spec.RoleDestination), &spec.FileSystemCopy{
		From:     &spec.FileSystem{FileSystemID: "fs-0123456789abcdef0", BackupVault: "example-vault"},
		Strategy: cmp.Or(strategy, spec.FSBackupRestore), TargetFileSystemID: "fs-0fedcba9876543210",
		TargetBackupVault: "example-vault", SubpathParameter: "/example/efs/subpath",
	}
}

func createFileSystem() *Workflow {
	return &Workflow{
		Group: GroupEFS, Key: "create_filesystem",
		Summary: "Create an encrypted file system with a mount target in each subnet; a call with a creation token already used gets the file system made then.",
		Input: Obj(
			Req("Account", account()),
			Req("CreationToken", Str("the idempotency token: every call with it gets the same file system")),
			Req("KmsKeyId", Str("the KMS key that encrypts the file system")),
			Req("SubnetIds", List(Str("a subnet for a mount target, one per Availability Zone"))),
			Req("SecurityGroupIds", List(Str("a security group of the mount targets"))),
			Req("Tags", tags()),
			Opt("PerformanceMode", Str("generalPurpose (the default) or maxIO")),
		),
		Output: Obj(Req("FileSystemId", Str("")), Req("FileSystemArn", Str("")),
			Req("MountTargets", Num("how many mount targets the file system has, all available"))),
		Timeout: 3600,
		build:   buildCreateFileSystem,
		example: func(e *Env) map[string]any {
			_, dst, _ := exampleCopy(e, "")
			return map[string]any{
				"Account": accountOf(e, dst), "CreationToken": "example-media",
				"KmsKeyId":         e.ARN("kms", dst.ID, "alias/aws/elasticfilesystem"),
				"SubnetIds":        dst.SubnetIDs,
				"SecurityGroupIds": []string{"sg-0a1b2c3d4e5f60718"},
				"Tags":             exampleTags(e),
			}
		},
	}
}

func buildCreateFileSystem(e *Env) *asl.Machine {
	var s asl.States
	s.Add("HasPerformanceMode", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.PerformanceMode", true), "Create")},
		Default: "GeneralPurpose",
	})
	s.Add("GeneralPurpose", &asl.Pass{Result: asl.Str("generalPurpose"), ResultPath: asl.At("$.PerformanceMode"), Next: "Create"})
	available := poll{
		name: "WaitAvailable", action: e.describeFileSystem("$.New.FileSystemId", "$.Account.RoleArn"), status: "$.FileSystem.State",
		success: []string{"available"}, failure: []string{"error", "deleting", "deleted"},
		attempts: 60, interval: 10, done: "CreateMountTargets", what: "$.New.FileSystemId",
	}
	create := e.call("efs", "createFileSystem", "$.Account.RoleArn", asl.Obj(
		asl.Field("CreationToken", asl.Ref("$.CreationToken")),
		asl.Field("PerformanceMode", asl.Ref("$.PerformanceMode")),
		asl.Field("Encrypted", asl.Bool(true)),
		asl.Field("KmsKeyId", asl.Ref("$.KmsKeyId")),
		asl.Field("Tags", asl.Ref("$.Tags")),
	))
	create.ResultSelector = asl.Obj(asl.Field("FileSystemId", asl.Ref("$.FileSystemId")))
	create.ResultPath, create.Next = asl.At("$.New"), available.entry()
	create.Catch = catchTo("FindExisting", asl.ErrEfsFileSystemAlreadyExists)
	s.Add("Create", create)
	find := e.call("efs", "describeFileSystems", "$.Account.RoleArn", asl.Obj(asl.Field("CreationToken", asl.Ref("$.CreationToken"))))
	find.Comment = "An earlier call with this creation token made the file system: carry on with it."
	find.ResultSelector = asl.Obj(asl.Field("FileSystemId", asl.Ref("$.FileSystems[0].FileSystemId")))
	find.ResultPath, find.Next = asl.At("$.New"), available.entry()
	s.Add("FindExisting", find)
	s = merge(s, available.states(), e.mountTargetStates("Output"))
	succeed(&s, "Output", asl.Obj(
		asl.Field("FileSystemId", asl.Ref("$.FileSystem.Id")),
		asl.Field("FileSystemArn", asl.Ref("$.FileSystem.Arn")),
		asl.Field("MountTargets", asl.Ref("$.MountTargets.Count")),
	))
	return &asl.Machine{Comment: "Create an encrypted file system and its mount targets, idempotently (creation token).", StartAt: "HasPerformanceMode", States: s}
}

// mountTargetStates create a mount target of the file system $.FileSystem
// in each subnet ($.SubnetIds), wait until every one is available and go
// to next. Their entry is CreateMountTargets.
func (e *Env) mountTargetStates(next string) asl.States {
	ready := poll{
		name: "WaitMountTargets", action: e.describeMountTargets("$.FileSystem.Id"), attempts: 60, interval: 15,
		extraExit: []asl.Rule{
			asl.When(asl.TypeTest(asl.IsPresent, "$.MountTargets.Failed[0]", true), "MountTargetFailed"),
			asl.When(asl.ComparePaths(asl.KindNumeric, "$.MountTargets.Available", asl.Equals, "$.MountTargets.Count"), next),
		},
	}
	add := e.call("efs", "createMountTarget", "$.Account.RoleArn", asl.Obj(
		asl.Field("FileSystemId", asl.Ref("$.FileSystemId")),
		asl.Field("SubnetId", asl.Ref("$.SubnetId")),
		asl.Field("SecurityGroups", asl.Ref("$.SecurityGroupIds")),
	))
	add.ResultPath, add.Next = asl.Discard(), "MountTargetCreated"
	add.Catch = catchTo("MountTargetCreated", asl.ErrEfsMountTargetConflict) // its Availability Zone has one: a retry
	var each, s asl.States
	each.Add("CreateMountTarget", add)
	each.Add("MountTargetCreated", &asl.Succeed{})
	s.Add("CreateMountTargets", &asl.Map{
		Comment:   "One mount target per subnet, one at a time: the list is short (one per Availability Zone).",
		ItemsPath: "$.SubnetIds",
		ItemSelector: asl.Obj(
			asl.Field("Account", asl.Ref("$.Account")),
			asl.Field("FileSystemId", asl.Ref("$.FileSystem.Id")),
			asl.Field("SubnetId", asl.Ref("$$.Map.Item.Value")),
			asl.Field("SecurityGroupIds", asl.Ref("$.SecurityGroupIds")),
		),
		ItemProcessor:  &asl.Processor{StartAt: "CreateMountTarget", States: each},
		MaxConcurrency: 1,
		ResultPath:     asl.Discard(),
		Next:           ready.entry(),
	})
	s = merge(s, ready.states())
	s.Add("MountTargetFailed", &asl.Fail{
		Error: ErrInvalidState,
		CausePath: asl.Format("A mount target of {} failed: {}",
			asl.Ref("$.FileSystem.Id"), asl.Call(asl.FnJsonToString, asl.Ref("$.MountTargets.Failed"))),
	})
	return s
}

func deleteFileSystem() *Workflow {
	return &Workflow{
		Group: GroupEFS, Key: "delete_filesystem",
		Summary: "Delete a refreshgen-managed file system with its access points and mount targets; refuse one that is part of a replication.",
		Input:   Obj(Req("Account", account()), Req("FileSystemId", Str("the file system to delete"))),
		Output:  Obj(Req("FileSystemId", Str("")), Req("Deleted", Boolean("false when the file system was already gone"))),
		Timeout: 3600,
		build:   buildDeleteFileSystem,
		example: func(e *Env) map[string]any {
			_, dst, fs := exampleCopy(e, "")
			return map[string]any{"Account": accountOf(e, dst), "FileSystemId": fs.TargetFileSystemID}
		},
	}
}

func buildDeleteFileSystem(e *Env) *asl.Machine {
	var s asl.States
	describe := e.describeFileSystem("$.FileSystemId", "$.Account.RoleArn")
	describe.Next = "Guard"
	describe.Catch = catchTo("AlreadyGone", asl.ErrEfsFileSystemNotFound)
	s.Add("Describe", describe)
	s = merge(s, e.requireManaged("Guard", "$.FileSystem.Tags", "$.FileSystemId", "CheckReplication"))
	replication := e.call("efs", "describeReplicationConfigurations", "$.Account.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref("$.FileSystemId"))))
	replication.Comment = "EFS cannot delete a file system that is part of a replication; only ReplicationNotFound says it is not."
	replication.ResultPath, replication.Next = asl.Discard(), "Replicating"
	replication.Catch = catchTo("ListAccessPoints", asl.ErrEfsReplicationNotFound)
	s.Add("CheckReplication", replication)
	s.Add("Replicating", &asl.Fail{
		Error:     ErrPreconditions,
		CausePath: asl.Format("{} is part of a replication configuration: end the replication (efs finish_replication) before deleting it.", asl.Ref("$.FileSystemId")),
	})
	list := e.call("efs", "describeAccessPoints", "$.Account.RoleArn", asl.Obj(
		asl.Field("FileSystemId", asl.Ref("$.FileSystemId")), asl.Field("MaxResults", asl.Num(100))))
	list.ResultSelector = asl.Obj(asl.Field("List", asl.Ref("$.AccessPoints")))
	list.ResultPath, list.Next = asl.At("$.AccessPoints"), "DeleteAccessPoints"
	s.Add("ListAccessPoints", list)
	s.Add("DeleteAccessPoints", e.deleteEach("AccessPoint", "$.AccessPoints.List", asl.ErrEfsAccessPointNotFound, "ListMountTargets"))
	targets := e.describeMountTargets("$.FileSystemId")
	targets.Next = "DeleteMountTargets"
	s.Add("ListMountTargets", targets)
	noTargets := poll{
		name: "WaitMountTargetsGone", action: e.describeMountTargets("$.FileSystemId"), attempts: 60, interval: 10,
		extraExit: []asl.Rule{asl.When(asl.CompareNumber("$.MountTargets.Count", asl.Equals, 0), "DeleteFileSystem")},
	}
	s.Add("DeleteMountTargets", e.deleteEach("MountTarget", "$.MountTargets.List", asl.ErrEfsMountTargetNotFound, noTargets.entry()))
	s = merge(s, noTargets.states())
	gone := poll{
		name: "WaitGone", action: e.describeFileSystem("$.FileSystemId", "$.Account.RoleArn"), status: "$.FileSystem.State",
		success: []string{"deleted"}, attempts: 60, interval: 10, done: "Deleted",
	}
	gone.action.Catch = catchTo("Deleted", asl.ErrEfsFileSystemNotFound)
	del := e.call("efs", "deleteFileSystem", "$.Account.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref("$.FileSystemId"))))
	del.Comment = "EFS reports the file system in use until its mount targets' network interfaces are gone."
	del.Retry = append([]asl.Retrier{{ErrorEquals: []string{asl.ErrEfsFileSystemInUse},
		IntervalSeconds: 15, MaxAttempts: 8, BackoffRate: 1.5, MaxDelaySeconds: 120}}, del.Retry...)
	del.ResultPath, del.Next = asl.Discard(), gone.entry()
	del.Catch = catchTo("Deleted", asl.ErrEfsFileSystemNotFound)
	s.Add("DeleteFileSystem", del)
	s = merge(s, gone.states())
	deleteEnds(&s, asl.Field("FileSystemId", asl.Ref("$.FileSystemId")))
	return &asl.Machine{Comment: "Delete a refreshgen-managed file system, its access points and mount targets.", StartAt: "Describe", States: s}
}

// deleteEach returns a Map that deletes each what (an EFS resource:
// AccessPoint, MountTarget) of the list at listPath, by its <what>Id; one
// already gone (notFound) is done. It is only ever reached through
// delete_filesystem's guard.
func (e *Env) deleteEach(what, listPath, notFound, next string) *asl.Map {
	id := what + "Id"
	del := e.call("efs", "delete"+what, "$.Account.RoleArn", asl.Obj(asl.Field(id, asl.Ref("$."+id))))
	del.ResultPath, del.Next = asl.Discard(), what+"Gone"
	del.Catch = catchTo(what+"Gone", notFound)
	var s asl.States
	s.Add("Delete"+what, del)
	s.Add(what+"Gone", &asl.Succeed{})
	return &asl.Map{
		ItemsPath:      listPath,
		ItemSelector:   asl.Obj(asl.Field("Account", asl.Ref("$.Account")), asl.Field(id, asl.Ref("$$.Map.Item.Value."+id))),
		ItemProcessor:  &asl.Processor{StartAt: "Delete" + what, States: s},
		MaxConcurrency: 5,
		ResultPath:     asl.Discard(),
		Next:           next,
	}
}

func getSubpathAndStoreInSSM() *Workflow {
	return &Workflow{
		Group: GroupEFS, Key: "get_subpath_and_store_in_ssm",
		Summary: "Find the newest AWS Backup restore folder of a file system and publish it in an SSM parameter (the get-efs-subpath Lambda does both).",
		Input: Obj(
			Req("Account", account()),
			Req("FunctionArn", Str("the get-efs-subpath Lambda, which mounts the file system")),
			Req("ParameterName", Str("the SSM parameter that receives the subpath")),
			Opt("BaseDir", Str("the folder, relative to the file system root, that holds the restore folders")),
		),
		Output:  Obj(Req("Subpath", Str("the restore folder, relative to the file system root")), Req("ParameterName", Str(""))),
		Timeout: 1800,
		build: func(e *Env) *asl.Machine {
			var s asl.States
			s.Add("HasBaseDir", &asl.Choice{
				Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.BaseDir", true), "Invoke")},
				Default: "MountRoot",
			})
			s.Add("MountRoot", &asl.Pass{
				Comment: "An empty base_dir is the root of the file system (lambdas/README.md).",
				Result:  asl.Str(""), ResultPath: asl.At("$.BaseDir"), Next: "Invoke",
			})
			// A function error (RestoreFolderNotFound, ...) fails this task
			// with the function's errorType and message: nothing catches it.
			invoke := e.invoke("$.FunctionArn", "$.Account.RoleArn", asl.Obj(
				asl.Field("ssm_parameter_name", asl.Ref("$.ParameterName")),
				asl.Field("base_dir", asl.Ref("$.BaseDir")),
			))
			invoke.ResultSelector = asl.Obj(asl.Field("Subpath", asl.Ref("$.Payload.subpath")))
			invoke.ResultPath, invoke.Next = asl.At("$.Found"), "Output"
			s.Add("Invoke", invoke)
			succeed(&s, "Output", asl.Obj(asl.Field("Subpath", asl.Ref("$.Found.Subpath")), asl.Field("ParameterName", asl.Ref("$.ParameterName"))))
			return &asl.Machine{Comment: "Publish the newest restore folder of a file system in SSM.", StartAt: "HasBaseDir", States: s}
		},
		example: func(e *Env) map[string]any {
			_, dst, fs := exampleCopy(e, spec.FSBackupRestore)
			return map[string]any{
				"Account": accountOf(e, dst), "FunctionArn": e.FunctionARN(dst, names.FnGetEFSSubpath),
				"ParameterName": fs.SubpathParameter,
			}
		},
	}
}

// The recovery points of one file system that ListRecoveryPointsByBackupVault
// returns in one page: enough for the retention of a refresh's source (a
// page of that size stays far below the 256 KiB state payload quota).
const recoveryPointsPage = 100

func restoreFromBackup() *Workflow {
	return &Workflow{
		Group: GroupEFS, Key: "restore_from_backup",
		Summary: "Copy the newest completed backup of a source file system into the destination account and restore it into a new folder of an existing file system.",
		Input: Obj(
			Req("Source", account()),
			Req("Destination", account()),
			Req("SourceFileSystemArn", Str("the backed-up file system")),
			Req("SourceVault", Str("the name of the source account's backup vault that holds its recovery points")),
			Req("DestinationVaultArn", Str("the destination account's backup vault that receives the copy")),
			Req("CopyRoleArn", Str("the AWS Backup service role of the source account, which copies")),
			Req("RestoreRoleArn", Str("the AWS Backup service role of the destination account, which restores")),
			Req("TargetFileSystemId", Str("the existing destination file system that receives the restore folder")),
		),
		Output: Obj(
			Req("RecoveryPointArn", Str("the copy in the destination vault")),
			Req("RestoreJobId", Str("")),
		),
		Timeout: 9 * 3600,
		build:   buildRestoreFromBackup,
		example: func(e *Env) map[string]any {
			src, dst, fs := exampleCopy(e, spec.FSBackupRestore)
			return map[string]any{
				"Source": accountOf(e, src), "Destination": accountOf(e, dst),
				"SourceFileSystemArn": e.ARN("elasticfilesystem", src.ID, "file-system/"+fs.From.FileSystemID),
				"SourceVault":         fs.From.BackupVault,
				"DestinationVaultArn": e.ARN("backup", dst.ID, "backup-vault:"+fs.TargetBackupVault),
				"CopyRoleArn":         e.RoleARN(src.ID, e.BackupRole()),
				"RestoreRoleArn":      e.RoleARN(dst.ID, e.BackupRole()),
				"TargetFileSystemId":  fs.TargetFileSystemID,
			}
		},
	}
}

func buildRestoreFromBackup(e *Env) *asl.Machine {
	s := e.recoveryPointStates("Copy")
	// AWS Backup restores only from a vault of the calling account: copy
	// the recovery point into the destination's vault first (seed §2.6).
	s = merge(s, backupJob{
		name: "Copy", id: "CopyJobId", role: "$.Source.RoleArn", next: "Restore",
		start: asl.Obj(
			asl.Field("RecoveryPointArn", asl.Ref("$.Newest.Best.RecoveryPointArn")),
			asl.Field("SourceBackupVaultName", asl.Ref("$.SourceVault")),
			asl.Field("DestinationBackupVaultArn", asl.Ref("$.DestinationVaultArn")),
			asl.Field("IamRoleArn", asl.Ref("$.CopyRoleArn")),
		),
		describe: "describeCopyJob", job: "$.CopyJob", state: "$.CopyJob.State", failed: []string{"FAILED", "PARTIAL"},
	}.states(e))
	// Into an existing file system AWS Backup writes a new folder,
	// aws-backup-restore_<time>, and never overwrites: nothing to guard.
	s = merge(s, backupJob{
		name: "Restore", id: "RestoreJobId", role: "$.Destination.RoleArn", next: "Output",
		start: asl.Obj(
			asl.Field("RecoveryPointArn", asl.Ref("$.CopyJob.Job.DestinationRecoveryPointArn")),
			asl.Field("IamRoleArn", asl.Ref("$.RestoreRoleArn")),
			asl.Field("ResourceType", asl.Str("EFS")),
			asl.Field("Metadata", asl.Obj(
				asl.Field("file-system-id", asl.Ref("$.TargetFileSystemId")),
				asl.Field("newFileSystem", asl.Str("false")),
			)),
		),
		describe: "describeRestoreJob", job: "$", state: "$.Status", failed: []string{"ABORTED", "FAILED"},
	}.states(e))
	succeed(&s, "Output", asl.Obj(
		asl.Field("RecoveryPointArn", asl.Ref("$.CopyJob.Job.DestinationRecoveryPointArn")),
		asl.Field("RestoreJobId", asl.Ref("$.Restore.RestoreJobId")),
	))
	return &asl.Machine{Comment: "Copy the newest completed backup of a file system across accounts, then restore it into a folder of an existing file system.", StartAt: "ListRecoveryPoints", States: s}
}

// recoveryPointStates pick the newest recovery point of the source file
// system that AWS Backup made successfully, into $.Newest.Best, and go to
// next; none fails the workflow. Their entry is ListRecoveryPoints.
func (e *Env) recoveryPointStates(next string) asl.States {
	var s asl.States
	// The vault is a filter of this call: JSONPath cannot filter on a
	// value of the input, and ListRecoveryPointsByResource has no vault.
	list := e.call("backup", "listRecoveryPointsByBackupVault", "$.Source.RoleArn", asl.Obj(
		asl.Field("BackupVaultName", asl.Ref("$.SourceVault")),
		asl.Field("ByResourceArn", asl.Ref("$.SourceFileSystemArn")),
		asl.Field("MaxResults", asl.Num(recoveryPointsPage)),
	))
	list.ResultPath, list.Next = asl.At("$.Points"), "OnePage"
	s.Add("ListRecoveryPoints", list)
	s.Add("OnePage", &asl.Choice{
		Comment: "AWS Backup does not document an order: the newest may be on any page, so all of them must fit in one.",
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Points.NextToken", true), "TooManyRecoveryPoints")},
		Default: "Usable",
	})
	s.Add("TooManyRecoveryPoints", &asl.Fail{
		Error: ErrPreconditions,
		CausePath: asl.Format("The vault {} holds more than "+strconv.Itoa(recoveryPointsPage)+" recovery points of {}: refreshgen reads one page of them and could miss the newest.",
			asl.Ref("$.SourceVault"), asl.Ref("$.SourceFileSystemArn")),
	})
	var usable asl.States
	usable.Add("IsUsable", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.Or(
			asl.CompareString("$.Status", asl.Equals, "AVAILABLE"),
			asl.CompareString("$.Status", asl.Equals, "COMPLETED"),
		), "Keep")},
		Default: "Drop",
	})
	usable.Add("Keep", &asl.Succeed{})
	usable.Add("Drop", &asl.Pass{Result: asl.Obj(), End: true})
	// A Map, not a JSONPath filter: that would need ||, which asl-validator
	// refuses.
	s.Add("Usable", &asl.Map{
		Comment:        "Keep the recovery points AWS Backup made successfully: AVAILABLE, or COMPLETED as it used to report them.",
		ItemsPath:      "$.Points.RecoveryPoints",
		ItemProcessor:  &asl.Processor{StartAt: "IsUsable", States: usable},
		ResultSelector: asl.Obj(asl.Field("List", asl.Ref("$[?(@.CreationDate)]"))),
		ResultPath:     asl.At("$.Points"),
		Next:           "Newest",
	})
	s = merge(s, newest("Newest", "$.Points.List", "CreationDate", next, "NoRecoveryPoint", recoveryPointsPage))
	s.Add("NoRecoveryPoint", &asl.Fail{
		Error:     ErrNoRecoveryPoint,
		CausePath: asl.Format("The vault {} holds no completed recovery point of {}.", asl.Ref("$.SourceVault"), asl.Ref("$.SourceFileSystemArn")),
	})

	return s
}

// backupJob is an AWS Backup job a workflow starts and waits for.
type backupJob struct {
	name  string      // the state that starts it (Copy), which puts the job ID at $.<name>.<id>
	id    string      // the job ID's name (CopyJobId)
	role  string      // the path of the role that starts and describes it
	start *asl.Object // the start<name>Job request, but for its IdempotencyToken
	next  string
	// describe is the action that reports on the job; job and state are
	// where its result holds the job and the job's state.
	describe, job, state string
	failed               []string // the states it ends in when it fails
}

// states start the job, wait for it (at most 4 hours) with its description
// at $.<name>Job ({State, Job}), and go to next once it is COMPLETED. A
// failed job fails the workflow, quoting AWS Backup's status message when
// there is one.
func (j backupJob) states(e *Env) asl.States {
	idPath := "$." + j.name + "." + j.id
	at := "$." + j.name + "Job"
	var failed []asl.Condition
	for _, f := range j.failed {
		failed = append(failed, asl.CompareString(at+".State", asl.Equals, f))
	}
	wait := poll{
		name: "Wait" + j.name, action: e.call("backup", j.describe, j.role, asl.Obj(asl.Field(j.id, asl.Ref(idPath)))),
		status: at + ".State", success: []string{"COMPLETED"},
		extraExit: []asl.Rule{asl.When(asl.Or(failed...), j.name+"Failed")},
		attempts:  240, interval: 60, done: j.next,
	}
	wait.action.ResultSelector = asl.Obj(asl.Field("State", asl.Ref(j.state)), asl.Field("Job", asl.Ref(j.job)))
	wait.action.ResultPath = asl.At(at)
	// The run's name as token: a retry of the call does not start a second job.
	start := e.call("backup", "start"+j.name+"Job", j.role, asl.Obj(append(j.start.Members, asl.Field("IdempotencyToken", asl.Ref("$$.Execution.Name")))...))
	start.ResultSelector = asl.Obj(asl.Field(j.id, asl.Ref("$."+j.id)))
	start.ResultPath, start.Next = asl.At("$."+j.name), wait.entry()
	var s asl.States
	s.Add(j.name, start)
	s = merge(s, wait.states())
	s.Add(j.name+"Failed", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, at+".Job.StatusMessage", true), j.name+"Explained")},
		Default: j.name + "Unexplained",
	})
	s.Add(j.name+"Explained", &asl.Fail{
		Error:     ErrStepFailed,
		CausePath: asl.Format("The "+j.name+" job {} ended {}: {}", asl.Ref(idPath), asl.Ref(at+".State"), asl.Ref(at+".Job.StatusMessage")),
	})
	s.Add(j.name+"Unexplained", &asl.Fail{
		Error:     ErrStepFailed,
		CausePath: asl.Format("The "+j.name+" job {} ended {}.", asl.Ref(idPath), asl.Ref(at+".State")),
	})
	return s
}

func setupCrossAccountReplication() *Workflow {
	return &Workflow{
		Group: GroupEFS, Key: "setup_cross_account_replication",
		Summary: "Replicate a source file system into an existing refreshgen-managed file system of another account, or reuse the replication that already does.",
		Input: Obj(
			Req("Source", account()),
			Req("Destination", account()),
			Req("SourceFileSystemId", Str("the file system to replicate")),
			Req("TargetFileSystemId", Str("the destination account's file system that becomes the replica")),
			Req("ReplicationRoleArn", Str("the role of the source account that EFS replicates as (it trusts elasticfilesystem.amazonaws.com); across accounts EFS needs it")),
		),
		Output: Obj(
			Req("SourceFileSystemId", Str("")),
			Req("TargetFileSystemId", Str("")),
			Req("Created", Boolean("false when the replication existed already")),
		),
		Timeout: 1800,
		build:   buildSetupCrossAccountReplication,
		example: func(e *Env) map[string]any {
			src, dst, fs := exampleCopy(e, spec.FSReplication)
			return map[string]any{
				"Source": accountOf(e, src), "Destination": accountOf(e, dst),
				"SourceFileSystemId": fs.From.FileSystemID, "TargetFileSystemId": fs.TargetFileSystemID,
				"ReplicationRoleArn": e.RoleARN(src.ID, e.Project.NameFor(spec.KindIAMRole, "efs-replication")),
			}
		},
	}
}

func buildSetupCrossAccountReplication(e *Env) *asl.Machine {
	var s asl.States
	ids := []asl.Member{asl.Field("SourceFileSystemId", asl.Ref("$.SourceFileSystemId")), asl.Field("TargetFileSystemId", asl.Ref("$.TargetFileSystemId"))}
	find := e.call("efs", "describeReplicationConfigurations", "$.Source.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref("$.SourceFileSystemId"))))
	find.Comment = "Only ReplicationNotFound means there is none: any other error (AccessDenied) fails."
	find.ResultSelector = asl.Obj(asl.Field("Destination", asl.Ref("$.Replications[0].Destinations[0]")))
	find.ResultPath, find.Next = asl.At("$.Existing"), "ReplicatesToTarget"
	find.Catch = catchTo("DescribeTarget", asl.ErrEfsReplicationNotFound)
	s.Add("FindReplication", find)
	s.Add("ReplicatesToTarget", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.Existing.Destination.FileSystemId", asl.Equals, "$.TargetFileSystemId"), "Reused")},
		Default: "ReplicatesElsewhere",
	})
	s.Add("ReplicatesElsewhere", &asl.Fail{
		Error: ErrPreconditions,
		CausePath: asl.Format("{} is already part of a replication into {}, not {}: a file system can be part of only one replication.",
			asl.Ref("$.SourceFileSystemId"), asl.Ref("$.Existing.Destination.FileSystemId"), asl.Ref("$.TargetFileSystemId")),
	})
	s.Add("Reused", &asl.Pass{Parameters: asl.Obj(append(ids, asl.Field("Created", asl.Bool(false)))...), Next: "Done"})
	describe := e.describeFileSystem("$.TargetFileSystemId", "$.Destination.RoleArn")
	describe.Next = "Guard"
	s.Add("DescribeTarget", describe)
	s = merge(s, e.requireManaged("Guard", "$.FileSystem.Tags", "$.TargetFileSystemId", "Unprotect"))
	// Replicating overwrites the target: EFS refuses unless its replication
	// overwrite protection is off.
	unprotect := e.call("efs", "updateFileSystemProtection", "$.Destination.RoleArn", asl.Obj(
		asl.Field("FileSystemId", asl.Ref("$.TargetFileSystemId")),
		asl.Field("ReplicationOverwriteProtection", asl.Str("DISABLED")),
	))
	unprotect.ResultPath, unprotect.Next = asl.Discard(), "Replicate"
	s.Add("Unprotect", unprotect)
	// Across accounts EFS wants the destination's ARN and a role to
	// replicate as; the destination is in this project's region.
	replicate := e.call("efs", "createReplicationConfiguration", "$.Source.RoleArn", asl.Obj(
		asl.Field("SourceFileSystemId", asl.Ref("$.SourceFileSystemId")),
		asl.Field("Destinations", asl.Array{asl.Obj(
			asl.Field("FileSystemId", asl.Ref("$.FileSystem.Arn")),
			asl.Field("Region", asl.Str(e.Project.Region)),
			asl.Field("RoleArn", asl.Ref("$.ReplicationRoleArn")),
		)}),
	))
	replicate.ResultPath, replicate.Next = asl.Discard(), "Created"
	s.Add("Replicate", replicate)
	succeed(&s, "Created", asl.Obj(append(ids, asl.Field("Created", asl.Bool(true)))...))
	return &asl.Machine{Comment: "Replicate a file system into an existing refreshgen-managed file system of another account.", StartAt: "FindReplication", States: s}
}

// ErrNotVerified is raised when the verify_file of a replication copy did
// not reach the target fresh: the sync EFS reports does not hold the data
// the application on the source wrote after the run started.
const ErrNotVerified = "Refresh.NotVerified"

// The verify_file check: the check-flag-file Lambda looks at most
// verifyAttempts times, verifyInterval seconds apart (about half an hour,
// several cycles of an application that rewrites its file every few minutes).
const (
	verifyAttempts = 30
	verifyInterval = 60
)

func waitReplicationComplete() *Workflow {
	return &Workflow{
		Group: GroupEFS, Key: "wait_replication_complete",
		// The summary is the Comment of every call: kept as it was, so that an
		// orchestrator without verify_file renders exactly as before.
		Summary: "Wait until a replication has synced the target since a given time (at most 6 hours).",
		Input: Obj(
			Req("Source", account()),
			Req("SourceFileSystemId", Str("")),
			Req("TargetFileSystemId", Str("")),
			Req("After", Str("an ISO-8601 time, the run's start: a sync completed after it holds the data of the run")),
			Opt("VerifyFile", Str("a file, relative to the file system root, that an application on the source rewrites regularly: it must be on the target, modified at or after After")),
			Opt("FunctionArn", Str("the check-flag-file Lambda, which mounts the target file system (required with VerifyFile)")),
			Opt("Account", documented(account(), "the destination account, whose role invokes FunctionArn (required with VerifyFile)")),
		),
		Output:  Obj(Req("LastReplicatedTimestamp", Str("the completion of the last sync"))),
		Timeout: 7 * 3600,
		build:   buildWaitReplicationComplete,
		example: func(e *Env) map[string]any {
			src, dst, fs := exampleCopy(e, spec.FSReplication)
			in := map[string]any{
				"Source": accountOf(e, src), "SourceFileSystemId": fs.From.FileSystemID,
				"TargetFileSystemId": fs.TargetFileSystemID, "After": "2026-01-04T03:00:00Z",
			}
			if fs.VerifyFile != "" {
				in["VerifyFile"], in["FunctionArn"], in["Account"] = fs.VerifyFile, e.FunctionARN(dst, names.FnCheckFlagFile), accountOf(e, dst)
			}
			return in
		},
	}
}

func buildWaitReplicationComplete(e *Env) *asl.Machine {
	// The first sync of a large file system takes hours: 180 polls
	// 2 minutes apart give it 6.
	synced := poll{
		name: "WaitSynced", status: "$.Replication.Destination.Status",
		action:  e.call("efs", "describeReplicationConfigurations", "$.Source.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref("$.SourceFileSystemId")))),
		failure: []string{"ERROR", "DELETING", "PAUSING", "PAUSED"},
		extraExit: []asl.Rule{
			asl.When(asl.Not(asl.ComparePaths(asl.KindString, "$.Replication.Destination.FileSystemId", asl.Equals, "$.TargetFileSystemId")), "WrongTarget"),
			asl.When(asl.And(
				asl.CompareString("$.Replication.Destination.Status", asl.Equals, "ENABLED"),
				asl.TypeTest(asl.IsPresent, "$.Replication.Destination.LastReplicatedTimestamp", true),
			), "IsRecent"),
		},
		attempts: 180, interval: 120, what: "$.SourceFileSystemId",
	}
	synced.action.ResultSelector = asl.Obj(asl.Field("Destination", asl.Ref("$.Replications[0].Destinations[0]")))
	synced.action.ResultPath = asl.At("$.Replication")
	s := merge(nil, synced.states())
	s.Add("IsRecent", &asl.Choice{
		Comment: "A sync that completed before the run started misses the run's data: poll again.",
		Choices: []asl.Rule{
			asl.When(asl.ComparePaths(asl.KindTimestamp, "$.Replication.Destination.LastReplicatedTimestamp", asl.GreaterThan, "$.After"), "HasVerifyFile"),
			// The loop's own bound does not see this way back into it.
			asl.When(asl.CompareNumber("$.PollWaitSynced.Attempt", asl.GreaterThanEquals, float64(synced.attempts)), "WaitSyncedTimedOut"),
		},
		Default: "WaitSyncedWait", // the loop's Wait (asl.PollLoop), so the attempt counts
	})
	s.Add("WrongTarget", &asl.Fail{
		Error: ErrPreconditions,
		CausePath: asl.Format("{} replicates into {}, not {}.",
			asl.Ref("$.SourceFileSystemId"), asl.Ref("$.Replication.Destination.FileSystemId"), asl.Ref("$.TargetFileSystemId")),
	})
	s = merge(s, e.verifyFileStates("Output"))
	succeed(&s, "Output", asl.Obj(asl.Field("LastReplicatedTimestamp", asl.Ref("$.Replication.Destination.LastReplicatedTimestamp"))))
	return &asl.Machine{Comment: "Wait until a replication has synced since a given time.", StartAt: synced.entry(), States: s}
}

// verifyFileStates check, after the sync, that the replication carried the
// input's VerifyFile: the check-flag-file Lambda, in the destination
// account (it mounts the target), must find it modified at or after After.
// EFS reports when a sync completed, not what it copied: a file the source
// application rewrites proves the data is the run's. Without VerifyFile
// they go straight to next.
func (e *Env) verifyFileStates(next string) asl.States {
	var s asl.States
	s.Add("HasVerifyFile", &asl.Choice{
		Choices: []asl.Rule{
			asl.When(asl.And(
				asl.TypeTest(asl.IsPresent, "$.VerifyFile", true),
				asl.TypeTest(asl.IsPresent, "$.FunctionArn", true),
				asl.TypeTest(asl.IsPresent, "$.Account", true),
			), "FindFileInit"),
			asl.When(asl.TypeTest(asl.IsPresent, "$.VerifyFile", true), "VerifyFileUnusable"),
		},
		Default: next,
	})
	s.Add("VerifyFileUnusable", &asl.Fail{
		Error:     ErrPreconditions,
		CausePath: asl.Format("VerifyFile {} needs FunctionArn, the check-flag-file Lambda, and Account, the account it runs in.", asl.Ref("$.VerifyFile")),
	})
	// A function error (an invalid path, a mount failure, Lambda.Unknown)
	// fails this task with the function's error and cause: only "not there
	// yet" is polled.
	find := e.invoke("$.FunctionArn", "$.Account.RoleArn", asl.Obj(asl.Field("path", asl.Ref("$.VerifyFile"))))
	find.Comment = "A missing file is exists=false, not an error; modified (RFC 3339, UTC) is there when the file is."
	find.ResultSelector = asl.Obj(asl.Field("File", asl.Ref("$.Payload")))
	find.ResultPath = asl.At("$.FileCheck")
	const counter = "$.PollFindFile"
	loop := asl.PollLoop{
		Name: "FindFile", Action: find, Counter: counter,
		Until: []asl.Rule{asl.When(asl.And(
			asl.BooleanEquals("$.FileCheck.File.exists", true),
			asl.TypeTest(asl.IsPresent, "$.FileCheck.File.modified", true),
		), "IsFileFresh")},
		MaxAttempts: verifyAttempts, IntervalSeconds: verifyInterval,
	}
	states := loop.States()
	// The attempts ran out without the file: say which file and where,
	// rather than the loop's generic timeout.
	for i := range states {
		if states[i].Name == "FindFileTimedOut" {
			states[i].State = &asl.Fail{
				Error: ErrNotVerified,
				CausePath: asl.Format("The replication into {} did not carry {}: it is not on the target after "+checks+". Is the application on the source writing it?",
					asl.Ref("$.TargetFileSystemId"), asl.Ref("$.VerifyFile")),
			}
		}
	}
	s = merge(s, states)
	s.Add("IsFileFresh", &asl.Choice{
		Comment: "A file older than the run is a previous sync's: look again, within the same attempts.",
		Choices: []asl.Rule{
			asl.When(asl.ComparePaths(asl.KindTimestamp, "$.FileCheck.File.modified", asl.GreaterThanEquals, "$.After"), next),
			asl.When(asl.CompareNumber(counter+".Attempt", asl.GreaterThanEquals, verifyAttempts), "FileStale"),
		},
		Default: "FindFileWait", // the loop's Wait, so the attempt counts
	})
	s.Add("FileStale", &asl.Fail{
		Error: ErrNotVerified,
		CausePath: asl.Format("The replication into {} did not carry a fresh {}: its last modification on the target is {}, before the run started ({}), after "+checks+". Is the application on the source still writing it?",
			asl.Ref("$.TargetFileSystemId"), asl.Ref("$.VerifyFile"), asl.Ref("$.FileCheck.File.modified"), asl.Ref("$.After")),
	})
	return s
}

// documented is s with its doc set.
func documented(s *Shape, doc string) *Shape {
	s.Doc = doc
	return s
}

// checks says how long the verify_file check looked, for the failures.
var checks = strconv.Itoa(verifyAttempts) + " checks " + strconv.Itoa(verifyInterval) + " s apart"

func finishReplication() *Workflow {
	return &Workflow{
		Group: GroupEFS, Key: "finish_replication",
		Summary: "End the replication into a refreshgen-managed file system from its side, so that the copy becomes writable, and protect it again.",
		Input: Obj(
			Req("Account", account()),
			Req("TargetFileSystemId", Str("the replica, in the account of Account")),
		),
		Output:  Obj(Req("TargetFileSystemId", Str(""))),
		Timeout: 3600,
		build:   buildFinishReplication,
		example: func(e *Env) map[string]any {
			_, dst, fs := exampleCopy(e, spec.FSReplication)
			return map[string]any{"Account": accountOf(e, dst), "TargetFileSystemId": fs.TargetFileSystemID}
		},
	}
}

func buildFinishReplication(e *Env) *asl.Machine {
	var s asl.States
	describe := e.describeFileSystem("$.TargetFileSystemId", "$.Account.RoleArn")
	describe.Next = "Guard"
	s.Add("DescribeTarget", describe)
	s = merge(s, e.requireManaged("Guard", "$.FileSystem.Tags", "$.TargetFileSystemId", "FindReplication"))
	find := e.call("efs", "describeReplicationConfigurations", "$.Account.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref("$.TargetFileSystemId"))))
	find.ResultSelector = asl.Obj(
		asl.Field("SourceFileSystemId", asl.Ref("$.Replications[0].SourceFileSystemId")),
		asl.Field("Destination", asl.Ref("$.Replications[0].Destinations[0]")),
	)
	find.ResultPath, find.Next = asl.At("$.Replication"), "IsReplica"
	find.Catch = catchTo("Protect", asl.ErrEfsReplicationNotFound) // ended already: a retry
	s.Add("FindReplication", find)
	s.Add("IsReplica", &asl.Choice{
		Comment: "Only a replication into the target ends here, never one the target is the source of.",
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, "$.Replication.Destination.FileSystemId", asl.Equals, "$.TargetFileSystemId"), "DeleteReplication")},
		Default: "NotReplica",
	})
	s.Add("NotReplica", &asl.Fail{
		Error:     ErrPreconditions,
		CausePath: asl.Format("{} is the source of a replication, not its destination: refreshgen only ends replications into its copies.", asl.Ref("$.TargetFileSystemId")),
	})
	gone := poll{
		name: "WaitDeleted", action: e.call("efs", "describeReplicationConfigurations", "$.Account.RoleArn", asl.Obj(asl.Field("FileSystemId", asl.Ref("$.TargetFileSystemId")))),
		attempts: 60, interval: 20,
	}
	gone.action.ResultPath = asl.Discard()
	gone.action.Catch = catchTo("Protect", asl.ErrEfsReplicationNotFound)
	// Either side may delete a replication (EFS User Guide, Deleting
	// replication configurations), which SourceFileSystemId names from
	// either side; the default ALL_CONFIGURATIONS ends it in both accounts.
	del := e.call("efs", "deleteReplicationConfiguration", "$.Account.RoleArn", asl.Obj(asl.Field("SourceFileSystemId", asl.Ref("$.Replication.SourceFileSystemId"))))
	del.ResultPath, del.Next = asl.Discard(), gone.entry()
	del.Catch = catchTo(gone.entry(), asl.ErrEfsReplicationNotFound)
	s.Add("DeleteReplication", del)
	s = merge(s, gone.states())
	// EFS turns the protection back on when the replication goes; setting it
	// makes that certain on every path, a retry included.
	protect := e.call("efs", "updateFileSystemProtection", "$.Account.RoleArn", asl.Obj(
		asl.Field("FileSystemId", asl.Ref("$.TargetFileSystemId")),
		asl.Field("ReplicationOverwriteProtection", asl.Str("ENABLED")),
	))
	protect.ResultPath, protect.Next = asl.Discard(), "Output"
	s.Add("Protect", protect)
	succeed(&s, "Output", asl.Obj(asl.Field("TargetFileSystemId", asl.Ref("$.TargetFileSystemId"))))
	return &asl.Machine{Comment: "End the replication into a refreshgen-managed file system and protect it again.", StartAt: "DescribeTarget", States: s}
}
