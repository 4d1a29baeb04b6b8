package awsmock

import (
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/sim"
)

// vault is an AWS Backup vault.
type vault struct {
	name, arn string
	owner     *account
	points    []*recoveryPoint
}

// recoveryPoint is a backup of a file system in a vault.
type recoveryPoint struct {
	arn      string
	vault    *vault
	resource string // the backed-up file system's ARN
	created  time.Time
	size     int64
	// copy is the job that makes this point, for a copy: the point
	// exists once the job completed.
	copy *copyJob
}

// copyJob copies a recovery point into a vault, possibly of another
// account; it belongs to the account that started it.
type copyJob struct {
	id, token string
	owner     *account
	source    *recoveryPoint
	dest      *recoveryPoint
	role      string
	created   time.Time
	lc        lifecycle // CREATED, RUNNING -> COMPLETED
}

// restoreJob restores a recovery point into a new folder of an existing
// file system (aws-backup-restore_<time>).
type restoreJob struct {
	id, token string
	owner     *account
	point     *recoveryPoint
	fs        *fileSystem
	role      string
	folder    string
	created   time.Time
	lc        lifecycle // PENDING, RUNNING -> COMPLETED
}

func (w *World) copyStatus(j *copyJob, t time.Time) string {
	return w.statusAt("copy-job", j.owner, j.id, j.lc, t)
}

func (w *World) restoreStatus(j *restoreJob, t time.Time) string {
	return w.statusAt("restore-job", j.owner, j.id, j.lc, t)
}

// pointExists reports whether a recovery point is in its vault at t.
func (w *World) pointExists(p *recoveryPoint, t time.Time) bool {
	return p.copy == nil || w.copyStatus(p.copy, t) == "COMPLETED"
}

func (w *World) findVault(acct *account, name string) *vault {
	for _, v := range acct.vaults {
		if v.name == name {
			return v
		}
	}
	return nil
}

func (w *World) vaultByARN(arn string) *vault {
	for _, a := range w.accounts {
		for _, v := range a.vaults {
			if v.arn == arn {
				return v
			}
		}
	}
	return nil
}

// findPoint finds a recovery point by ARN in the vaults of acct.
func (w *World) findPoint(acct *account, arn string, t time.Time) *recoveryPoint {
	for _, v := range acct.vaults {
		for _, p := range v.points {
			if p.arn == arn && w.pointExists(p, t) {
				return p
			}
		}
	}
	return nil
}

func (w *World) newVault(acct *account, name string) *vault {
	v := &vault{name: name, arn: w.arn("backup", acct.id, "backup-vault:"+name), owner: acct}
	acct.vaults = append(acct.vaults, v)
	return v
}

func (w *World) pointJSON(p *recoveryPoint) map[string]any {
	created := p.created
	if p.copy != nil {
		created = p.copy.created
	}
	return map[string]any{
		"RecoveryPointArn": p.arn, "BackupVaultName": p.vault.name, "BackupVaultArn": p.vault.arn,
		"ResourceArn": p.resource, "ResourceType": "EFS", "CreationDate": sim.ISOTime(created),
		"CompletionDate": sim.ISOTime(created.Add(20 * time.Minute)), "Status": "COMPLETED", "IsEncrypted": true,
		"EncryptionKeyArn": w.arn("kms", p.vault.owner.id, "key/"+p.vault.owner.dnsSuffix), "BackupSizeInBytes": p.size,
		"IamRoleArn": w.arn("iam", p.vault.owner.id, "role/service-role/AWSBackupDefaultServiceRole"),
	}
}

// listRecoveryPointsByBackupVault lists the recovery points of a vault of
// the caller's account, optionally of one resource. It lists them oldest
// first: AWS Backup documents no order.
func (w *World) listRecoveryPointsByBackupVault(r *request) (any, *sim.Failure) {
	name, err := r.required("BackupVaultName")
	if err != nil {
		return nil, err
	}
	resource, err := r.str("ByResourceArn")
	if err != nil {
		return nil, err
	}
	max, set, err := r.number("MaxResults")
	if err != nil {
		return nil, err
	}
	if !set {
		max = 1000
	}
	if max < 1 || max > 1000 {
		return nil, r.invalid("MaxResults must be between 1 and 1000.")
	}
	v := w.findVault(r.acct, name)
	if v == nil {
		return nil, r.fail("ResourceNotFoundException", 400, "Backup vault %s does not exist in account %s.", name, r.acct.id)
	}
	var list []any
	for _, p := range v.points {
		if (resource == "" || p.resource == resource) && w.pointExists(p, r.now) {
			list = append(list, w.pointJSON(p))
		}
	}
	out := map[string]any{"RecoveryPoints": orEmpty(list)}
	if len(list) > int(max) {
		out["RecoveryPoints"], out["NextToken"] = list[:int(max)], "page-2"
	}
	return out, nil
}

// startCopyJob copies a recovery point of a vault of the caller's account
// into a vault, of this account or another; a retry with the same
// IdempotencyToken gets the same job.
func (w *World) startCopyJob(r *request) (any, *sim.Failure) {
	arn, err := r.required("RecoveryPointArn")
	if err != nil {
		return nil, err
	}
	srcVault, err := r.required("SourceBackupVaultName")
	if err != nil {
		return nil, err
	}
	dstVault, err := r.required("DestinationBackupVaultArn")
	if err != nil {
		return nil, err
	}
	role, err := r.required("IamRoleArn")
	if err != nil {
		return nil, err
	}
	token, err := r.str("IdempotencyToken")
	if err != nil {
		return nil, err
	}
	if token != "" {
		for _, j := range r.acct.copyJobs {
			if j.token == token && j.source.arn == arn && j.dest.vault.arn == dstVault {
				return w.copyStarted(j), nil
			}
		}
	}
	v := w.findVault(r.acct, srcVault)
	if v == nil {
		return nil, r.fail("ResourceNotFoundException", 400, "Backup vault %s does not exist in account %s.", srcVault, r.acct.id)
	}
	var src *recoveryPoint
	for _, p := range v.points {
		if p.arn == arn && w.pointExists(p, r.now) {
			src = p
		}
	}
	if src == nil {
		return nil, r.fail("ResourceNotFoundException", 400, "Recovery point %s is not in the vault %s.", arn, srcVault)
	}
	dst := w.vaultByARN(dstVault)
	if dst == nil {
		return nil, r.fail("ResourceNotFoundException", 400, "Backup vault %s does not exist.", dstVault)
	}
	j := &copyJob{id: strings.ToUpper(w.uuid()), token: token, owner: r.acct, source: src, role: role, created: r.now,
		lc: transition(r.now, "COMPLETED", phase{"CREATED", time.Minute}, phase{"RUNNING", w.clock.d(DurCopyJob)})}
	j.dest = &recoveryPoint{arn: w.arn("backup", dst.owner.id, "recovery-point:"+strings.ToUpper(w.uuid())),
		vault: dst, resource: src.resource, created: r.now, size: src.size, copy: j}
	dst.points = append(dst.points, j.dest)
	r.acct.copyJobs = append(r.acct.copyJobs, j)
	return w.copyStarted(j), nil
}

func (w *World) copyStarted(j *copyJob) map[string]any {
	return map[string]any{"CopyJobId": j.id, "CreationDate": sim.ISOTime(j.created), "IsParent": false}
}

// describeCopyJob describes a copy job the caller's account started.
func (w *World) describeCopyJob(r *request) (any, *sim.Failure) {
	id, err := r.required("CopyJobId")
	if err != nil {
		return nil, err
	}
	for _, j := range r.acct.copyJobs {
		if j.id != id {
			continue
		}
		state := w.copyStatus(j, r.now)
		job := map[string]any{
			"AccountId": r.acct.id, "CopyJobId": j.id, "SourceBackupVaultArn": j.source.vault.arn,
			"SourceRecoveryPointArn": j.source.arn, "DestinationBackupVaultArn": j.dest.vault.arn,
			"ResourceArn": j.source.resource, "ResourceType": "EFS", "CreationDate": sim.ISOTime(j.created),
			"State": state, "BackupSizeInBytes": j.source.size, "IamRoleArn": j.role, "IsParent": false,
		}
		switch state {
		case "COMPLETED":
			job["DestinationRecoveryPointArn"] = j.dest.arn
			job["CompletionDate"] = sim.ISOTime(j.lc.settles())
		case "FAILED", "PARTIAL", "ABORTED":
			job["StatusMessage"] = "awsmock: the scenario ended this copy job " + state
		}
		return map[string]any{"CopyJob": job}, nil
	}
	return nil, r.fail("ResourceNotFoundException", 400, "Copy job %s does not exist.", id)
}

// startRestoreJob restores a recovery point of a vault of the caller's
// account. For EFS with newFileSystem false, AWS Backup writes the data to
// a new folder aws-backup-restore_<time> of the file system
// file-system-id, and never overwrites.
func (w *World) startRestoreJob(r *request) (any, *sim.Failure) {
	arn, err := r.required("RecoveryPointArn")
	if err != nil {
		return nil, err
	}
	role, err := r.required("IamRoleArn")
	if err != nil {
		return nil, err
	}
	meta, err := r.object("Metadata")
	if err != nil {
		return nil, err
	}
	if meta == nil {
		return nil, r.missing("Metadata")
	}
	for k, v := range meta {
		if _, ok := v.(string); !ok {
			return nil, r.invalid("Metadata value of %s must be a string, not %s.", k, jsonText(v))
		}
	}
	token, err := r.str("IdempotencyToken")
	if err != nil {
		return nil, err
	}
	if token != "" {
		for _, j := range r.acct.restoreJobs {
			if j.token == token && j.point.arn == arn {
				return map[string]any{"RestoreJobId": j.id}, nil
			}
		}
	}
	if typ, _ := r.str("ResourceType"); typ != "" && typ != "EFS" {
		return nil, r.invalid("awsmock models EFS restores only, not %s.", typ)
	}
	p := w.findPoint(r.acct, arn, r.now)
	if p == nil {
		return nil, r.fail("ResourceNotFoundException", 400, "Recovery point %s does not exist in account %s.", arn, r.acct.id)
	}
	if meta["newFileSystem"] != "false" {
		return nil, r.invalid("awsmock models restores into an existing file system only (newFileSystem \"false\"), not %s.", jsonText(meta["newFileSystem"]))
	}
	fsID, _ := meta["file-system-id"].(string)
	fs := w.findFileSystem(r.acct, fsID, r.now)
	if fs == nil {
		return nil, r.invalid("Invalid restore metadata: file system %q does not exist in account %s.", fsID, r.acct.id)
	}
	if st := w.fsStatus(fs, r.now); st != "available" {
		return nil, r.invalid("The file system %s is %s, not available.", fsID, st)
	}
	if w.protectionAt(fs, r.now) == "REPLICATING" {
		return nil, r.invalid("The file system %s is a read-only replica.", fsID)
	}
	j := &restoreJob{id: strings.ToUpper(w.uuid()), token: token, owner: r.acct, point: p, fs: fs, role: role, created: r.now,
		folder: "aws-backup-restore_" + r.now.UTC().Format("2006-01-02T15-04-05Z"),
		lc:     transition(r.now, "COMPLETED", phase{"PENDING", time.Minute}, phase{"RUNNING", w.clock.d(DurRestoreJob)})}
	fs.restores = append(fs.restores, j)
	r.acct.restoreJobs = append(r.acct.restoreJobs, j)
	return map[string]any{"RestoreJobId": j.id}, nil
}

// describeRestoreJob describes a restore job of the caller's account.
func (w *World) describeRestoreJob(r *request) (any, *sim.Failure) {
	id, err := r.required("RestoreJobId")
	if err != nil {
		return nil, err
	}
	for _, j := range r.acct.restoreJobs {
		if j.id != id {
			continue
		}
		status := w.restoreStatus(j, r.now)
		out := map[string]any{
			"AccountId": r.acct.id, "RestoreJobId": j.id, "RecoveryPointArn": j.point.arn, "CreationDate": sim.ISOTime(j.created),
			"Status": status, "BackupSizeInBytes": j.point.size, "IamRoleArn": j.role, "ResourceType": "EFS",
			"ExpectedCompletionTimeMinutes": int(w.clock.d(DurRestoreJob).Minutes()) + 1, "CreatedResourceArn": j.fs.arn,
			"PercentDone": "0.00%",
		}
		switch status {
		case "COMPLETED":
			out["CompletionDate"], out["PercentDone"] = sim.ISOTime(j.lc.settles()), "100.00%"
		case "FAILED", "ABORTED":
			out["StatusMessage"] = "awsmock: the scenario ended this restore job " + status
		}
		return out, nil
	}
	return nil, r.fail("ResourceNotFoundException", 400, "Restore job %s does not exist.", id)
}
