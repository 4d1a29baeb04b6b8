package spec

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/internal/jsonpointer"
)

// Bounds of a refresh's timeout: below the minimum no restore can finish;
// the maximum is the longest a Step Functions standard execution may run.
const (
	MinTimeout = 10 * time.Minute
	MaxTimeout = 365 * 24 * time.Hour
)

func (c *checker) refresh(r *Refresh) {
	at := func(tokens ...string) string {
		return jsonpointer.From(append([]string{"refresh", r.Name}, tokens...)...)
	}
	c.needRole(at("source"), "refresh "+quote(r.Name)+" source", r.Source, RoleSource)
	c.needRole(at("destination"), "refresh "+quote(r.Name)+" destination", r.Destination, RoleDestination)
	if len(r.Databases) == 0 && len(r.FileSystems) == 0 {
		c.errorAt(at(), "Refresh copies nothing",
			"refresh %q has no database and no filesystem block. Add what it should copy, or remove the refresh.", r.Name)
	}
	c.timing(r, at)
	if r.Notify.SNSTopicARN != "" {
		if parsed, ok := c.parseARN(r.Notify.SNSTopicARN); ok {
			c.arnPlace(at("notify", "sns_topic_arn"), parsed, c.spec.Orchestrator(), "the notification topic (the orchestrator publishes to it)")
		}
	}
	for _, d := range r.Databases {
		c.database(r, d, func(tokens ...string) string { return at(append([]string{"database", d.Name}, tokens...)...) })
	}
	for _, f := range r.FileSystems {
		c.filesystemCopy(r, f, func(tokens ...string) string { return at(append([]string{"filesystem", f.Name}, tokens...)...) })
	}
	if r.EKS != nil {
		c.eksUsage(r, at)
	}
}

func (c *checker) timing(r *Refresh, at func(...string) string) {
	if r.Timeout < MinTimeout || r.Timeout > MaxTimeout {
		c.errorAt(at("timeout"), "Timeout out of range",
			"A refresh may run between 10m and 365d (the longest a Step Functions execution may run); write a timeout in that range, such as \"6h\".")
	}
	if r.Schedule != "" {
		if err := checkSchedule(r.Schedule); err != nil && strings.HasSuffix(r.Schedule, ")") {
			c.errorAt(at("schedule"), "Invalid schedule", "%s is not a valid EventBridge Scheduler expression: %s.", quote(r.Schedule), err)
		}
	}
	if r.ScheduleTimezone != "" {
		if r.Schedule == "" {
			c.errorAt(at("schedule_timezone"), "Time zone without a schedule",
				"schedule_timezone only applies to a schedule; add schedule or remove schedule_timezone.")
		} else if err := checkTimezone(r.ScheduleTimezone); err != nil {
			c.errorAt(at("schedule_timezone"), "Invalid schedule time zone", "%s.", err)
		}
	}
}

func (c *checker) database(r *Refresh, d *Database, at func(...string) string) {
	what := fmt.Sprintf("database %q of refresh %q", d.Name, r.Name)
	if src := inRole(r.Source, RoleSource); d.From != nil && src != nil && d.From.Account != nil && d.From.Account != src {
		c.errorAt(at("from"), "Cluster outside the refresh's source account",
			"aurora.%s lives in account.%s, but refresh %q copies from account.%s. Copy a cluster of account.%s, or change the refresh's source.",
			d.From.Name, d.From.Account.Name, r.Name, r.Source.Name, r.Source.Name)
	}
	if parsed, ok := c.parseARN(d.KMSKeyARN); ok {
		c.keyARN(at("kms_key_arn"), parsed, inRole(r.Destination, RoleDestination), what+" (the restored cluster is encrypted with a key of the destination)")
	}
	for i, s := range d.RotateSecrets {
		if parsed, ok := c.parseARN(s); ok {
			c.arnPlace(at("rotate_secrets", fmt.Sprint(i)), parsed, inRole(r.Destination, RoleDestination), what)
		}
	}
	c.identifierRoom(d, at)
	c.capacity(d, at)
	if len(d.PostRestoreSQL) > 0 {
		c.needLambdaNetwork(r, at("post_restore_sql"), "post_restore_sql runs through the run-sql Lambda helper")
		if c.spec.Project.RDSCABundle == "" {
			c.errorAt(at("post_restore_sql"), "Missing rds_ca_bundle",
				"The run-sql helper connects to the restored cluster over TLS and verifies its certificate against AWS's RDS certificate authorities. "+
					"Download https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem next to the spec and add rds_ca_bundle = file(\"global-bundle.pem\") to the project block.")
		}
	}
}

// identifierRoom checks that every identifier a swap creates fits RDS's
// limit: the cluster with its suffix, and its instances with "-<n>".
func (c *checker) identifierRoom(d *Database, at func(...string) string) {
	longest, why := d.TargetCluster, "its instances are named <target>-<n>"
	switch d.Swap {
	case SwapRename:
		longest, why = d.TargetCluster+RestoreSuffix, "a rename swap restores as <target>-restore with instances <target>-restore-<n>"
	case SwapDeleteFirst:
		if d.KeepOld != KeepOldDelete {
			c.errorAt(at("keep_old"), "keep_old does not apply to delete-first",
				`swap = "delete-first" deletes the previous target before restoring, so there is nothing to %s. Remove keep_old, or use swap = "rename".`, d.KeepOld)
		}
	}
	if n := len(longest) + InstanceSuffixRoom; n > MaxRDSIdentifier && len(d.TargetCluster) <= MaxRDSIdentifier {
		c.errorAt(at("target_cluster"), "Cluster identifier too long for the swap",
			"%s, so the longest identifier becomes %d characters (%s-16); RDS allows %d. Shorten target_cluster to at most %d characters.",
			capitalize(why), n, longest, MaxRDSIdentifier, len(d.TargetCluster)-(n-MaxRDSIdentifier))
	}
}

func (c *checker) capacity(d *Database, at func(...string) string) {
	serverless := d.InstanceClass == "db.serverless"
	switch {
	case serverless && d.Serverless == nil:
		c.errorAt(at("instance_class"), "Missing serverless block",
			`instance_class = "db.serverless" needs a capacity range: add serverless { min_capacity = 0.5  max_capacity = 4 }.`)
	case !serverless && d.Serverless != nil:
		c.errorAt(at("serverless"), "Serverless block on a provisioned class",
			`The serverless block only applies to instance_class = "db.serverless"; remove it, or change the instance class.`)
	case d.Serverless != nil && d.Serverless.MinCapacity > d.Serverless.MaxCapacity:
		c.errorAt(at("serverless", "min_capacity"), "Capacity range is empty",
			"min_capacity (%g) is above max_capacity (%g); swap them.", d.Serverless.MinCapacity, d.Serverless.MaxCapacity)
	}
}

// needLambdaNetwork reports a feature that runs a Lambda helper in the
// destination account when that account gives the helpers no network.
func (c *checker) needLambdaNetwork(r *Refresh, ptr, why string) {
	dst := r.Destination
	if dst == nil || dst.Role != RoleDestination || len(dst.SubnetIDs) > 0 {
		return
	}
	c.errorAt(ptr, "Destination account has no Lambda network",
		"%s, which runs in account.%s's VPC. Add vpc_id and subnet_ids to account.%s.", why, dst.Name, dst.Name)
}

func (c *checker) filesystemCopy(r *Refresh, f *FileSystemCopy, at func(...string) string) {
	if src := inRole(r.Source, RoleSource); f.From != nil && src != nil && f.From.Account != nil && f.From.Account != src {
		c.errorAt(at("from"), "File system outside the refresh's source account",
			"efs.%s lives in account.%s, but refresh %q copies from account.%s. Copy a file system of account.%s, or change the refresh's source.",
			f.From.Name, f.From.Account.Name, r.Name, r.Source.Name, r.Source.Name)
	}
	switch f.Strategy {
	case FSBackupRestore:
		if f.TargetBackupVault == "" {
			c.errorAt(at(), "Missing target_backup_vault",
				"A backup-restore copy first copies the recovery point into a vault of account.%s: add target_backup_vault with that vault's name.", nameOf(r.Destination))
		}
		if f.SubpathParameter == "" {
			c.errorAt(at(), "Missing subpath_parameter",
				"AWS Backup restores into a new folder of the target file system whose name is known only after the restore; add subpath_parameter, the SSM parameter that tells consumers that folder.")
		}
		if f.From != nil && f.From.BackupVault == "" && f.From.Name != "" {
			c.errorAt(at("from"), "Source file system has no backup vault",
				"A backup-restore copy starts from a recovery point of efs.%s: add backup_vault (the vault holding its backups) to the efs %q block.", f.From.Name, f.From.Name)
		}
		c.needLambdaNetwork(r, at(), "a backup-restore copy finds the restored folder with the get-efs-subpath Lambda helper")
		if f.VerifyFile != "" {
			c.errorAt(at("verify_file"), "verify_file applies to replication only",
				"A backup-restore copy is a point-in-time copy AWS Backup reports as complete; remove verify_file, or use strategy = \"replication\".")
		}
	case FSReplication:
		for attr, set := range map[string]bool{"target_backup_vault": f.TargetBackupVault != "", "subpath_parameter": f.SubpathParameter != ""} {
			if set {
				c.errorAt(at(attr), attr+" does not apply to replication",
					"Replication writes to the root of the target file system and uses no backup vault; remove %s, or use strategy = \"backup-restore\".", attr)
			}
		}
		if f.VerifyFile != "" {
			c.needLambdaNetwork(r, at("verify_file"), "verify_file is checked by the check-flag-file Lambda helper")
		}
	}
	if v := f.VerifyFile; strings.HasPrefix(v, "/") || slices.Contains(strings.Split(v, "/"), "..") {
		c.errorAt(at("verify_file"), "verify_file must be relative",
			"Give the file's path from the root of the file system, without a leading / and without .., such as health/heartbeat.")
	}
	if p := strings.ToLower(f.SubpathParameter); strings.HasPrefix(p, "/aws") || strings.HasPrefix(p, "/ssm") {
		c.errorAt(at("subpath_parameter"), "Reserved SSM parameter name",
			"SSM reserves parameter names that begin with aws or ssm; choose a name under your own path, such as /myapp/efs/media/subpath.")
	}
}

func (c *checker) eksUsage(r *Refresh, at func(...string) string) {
	e := r.EKS
	if e.Cluster == nil {
		return
	}
	if dst := inRole(r.Destination, RoleDestination); e.Cluster.Account != nil && dst != nil && e.Cluster.Account != dst {
		c.errorAt(at("eks", "cluster"), "EKS cluster outside the refresh's destination account",
			"eks.%s runs in account.%s, but refresh %q copies into account.%s; a refresh can only act on the cluster of its destination.",
			e.Cluster.Name, e.Cluster.Account.Name, r.Name, r.Destination.Name)
	}
	if e.ScaleDown && len(e.Cluster.Nodegroups) == 0 {
		c.errorAt(at("eks", "scale_down_during"), "No node groups to scale",
			"scale_down_during scales the node groups of eks.%s, but it declares none: add nodegroups to the eks %q block.", e.Cluster.Name, e.Cluster.Name)
	}
	if len(e.Volumes) > 0 && !e.ScaleDown {
		c.errorAt(at("eks", "scale_down_during"), "Volumes need the cluster scaled down",
			"Repointing a claim deletes and re-creates it, and a claim is only deleted once no pod uses it: set scale_down_during = true so that the node groups are empty while the claims move.")
	}
	claims := map[string]string{}
	for _, v := range e.Volumes {
		key := v.Namespace + "/" + v.Claim
		if prev, dup := claims[key]; dup {
			c.errorAt(at("eks", "volume", v.FileSystem.Name, "claim"), "Claim repointed twice",
				"The claim %s is already repointed by the volume of filesystem %q; each claim can follow one file system.", key, prev)
		}
		claims[key] = v.FileSystem.Name
	}
}

func nameOf(a *Account) string {
	if a == nil {
		return "the destination"
	}
	return a.Name
}
