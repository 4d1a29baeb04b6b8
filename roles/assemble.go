package roles

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/iam"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

// derive builds every role: the calls' grants first, then each role with
// its trust and its fixed policies.
func (d *deriver) derive(calls []workflows.Call) error {
	d.builders = map[string]*iam.Builder{}
	d.trusted = map[string]map[string]bool{}
	d.granted = map[string]bool{} // what the builders above hold
	d.grantCalls(calls)
	d.machineRoles()
	d.accountRoles()
	d.lambdaRoles()
	d.serviceRoles()
	if len(d.errs) > 0 {
		slices.Sort(d.errs)
		return errors.New(strings.Join(slices.Compact(d.errs), "\n"))
	}
	return nil
}

// put adds a role with its identity policy built from the grants so far.
func (d *deriver) put(r runner, purpose string, trust iam.Policy, extra ...Policy) *Role {
	role := &Role{Account: r.account, Name: r.name, Purpose: purpose, Trust: trust}
	if b := d.builders[r.key()]; b != nil {
		p, err := b.Policy()
		if err != nil {
			d.fail("%s: %v", r.key(), err)
		}
		role.Policies = append(role.Policies, Policy{Name: "identity", Policy: p})
	}
	role.Policies = append(role.Policies, extra...)
	d.byName[r.key()] = role
	return role
}

func (d *deriver) must(p iam.Policy, err error) iam.Policy {
	if err != nil {
		d.fail("%v", err)
	}
	return p
}

// featurePolicy is the policy of a state machine feature (logging,
// tracing), attached when Terraform turns the feature on.
func (d *deriver) featurePolicy(f iam.Feature, r runner) Policy {
	needs, _ := iam.FeatureNeeds(f)
	var b iam.Builder
	for _, n := range needs {
		st, err := n.Statement(d.loc(r.account))
		if err != nil {
			d.fail("%s: %v", r.key(), err)
			continue
		}
		b.Add(st)
	}
	return Policy{Name: string(f), Policy: d.must(b.Policy()), Feature: string(f)}
}

// machineRoles are the roles the state machines run as: one per refresh's
// orchestrator, one per library group. Only Step Functions may assume them,
// and only for these state machines (aws:SourceArn).
func (d *deriver) machineRoles() {
	machinesOf := map[string][]*workflows.Machine{}
	runners := map[string]runner{}
	for i := range d.machines {
		m := &d.machines[i]
		r := d.machineRole(m)
		runners[r.key()] = r
		machinesOf[r.key()] = append(machinesOf[r.key()], m)
	}
	for key, r := range runners {
		ms := machinesOf[key]
		arns := make([]string, len(ms))
		for i, m := range ms {
			arns[i] = m.ARN
		}
		trust := d.must(iam.ServiceTrust(iam.StepFunctions, r.account.ID, arns...))
		role := d.put(r, machinesPurpose(ms), trust, d.featurePolicy(iam.Logging, r), d.featurePolicy(iam.Tracing, r))
		role.Runs = arns
	}
}

// machinesPurpose says what a role that state machines ms run as is for.
// A library group's role runs every machine of the group (23 for db),
// which the generated README lists elsewhere: they are summed up.
func machinesPurpose(ms []*workflows.Machine) string {
	first := ms[0].Workflow
	switch {
	case first.Group == workflows.GroupOrchestrator && len(ms) == 1:
		return fmt.Sprintf("Runs the orchestrator of refresh %s.", first.Key)
	case len(ms) == 1:
		return fmt.Sprintf("Runs the state machine %s.", ms[0].Name)
	}
	return fmt.Sprintf("Runs the %d state machines of the %s group.", len(ms), first.Group)
}

// accountRoles are the roles the workflows assume in source and
// destination accounts: trusted by the workflow roles that assume them
// (by account and aws:PrincipalArn, so either can be created first) and
// by the spec's extra principals.
func (d *deriver) accountRoles() {
	for _, a := range d.spec.Accounts {
		if a.Role == spec.RoleOrchestrator {
			continue
		}
		r := runner{a, d.names.AccountRole(a)}
		if d.builders[r.key()] == nil && len(d.trusted[r.key()]) == 0 {
			continue // no refresh uses the account
		}
		var extra []Policy
		purpose := "Lets refreshgen's workflows copy data into this account, touching only what the spec names."
		if a.Role == spec.RoleSource {
			purpose = "Lets refreshgen's workflows read production and snapshot it; it can change nothing but its own snapshots."
			extra = append(extra, Policy{Name: "guardrails", Policy: d.must(d.guardrails(a))})
		}
		role := d.put(r, purpose, d.accountTrust(a, r), extra...)
		role.Existing = a.ExistingRoleName != ""
	}
}

// accountTrust is the trust policy of a source or destination role.
func (d *deriver) accountTrust(a *spec.Account, r runner) iam.Policy {
	var b iam.Builder
	trusted := make([]string, 0, len(d.trusted[r.key()]))
	for arn := range d.trusted[r.key()] {
		trusted = append(trusted, arn)
	}
	slices.Sort(trusted)
	for _, arn := range trusted {
		// No external ID here: Step Functions' Credentials carry only a
		// role ARN, so a workflow role could never present one. It is
		// trusted by its exact ARN instead.
		p := d.must(iam.RoleTrust(iam.Trusted{Role: arn, OrgID: d.spec.Project.OrganizationID}))
		for _, st := range p.Statement {
			st.Sid = "" // the builder names each statement
			b.Add(st)
		}
	}
	if len(a.TrustedPrincipals) > 0 {
		var conds []iam.Condition
		if a.ExternalID != "" {
			conds = append(conds, iam.Cond(iam.StringEquals, "sts:ExternalId", a.ExternalID))
		}
		b.Add(iam.Statement{Sid: "TrustedPrincipals", Effect: iam.Allow, Principal: &iam.Principal{AWS: a.TrustedPrincipals},
			Action: []string{"sts:AssumeRole"}, Condition: conds})
	}
	return d.must(b.Policy())
}

// guardrails are the source role's explicit denials: whatever else any
// policy attached to the role allows, it cannot change or delete
// production data or configuration, read production secrets, or touch any
// snapshot but refreshgen's own.
func (d *deriver) guardrails(a *spec.Account) (iam.Policy, error) {
	loc := d.loc(a)
	var own []string
	for _, s := range d.catalogue.of(a, iam.RDSClusterSnapshot) {
		own = append(own, iam.RDSClusterSnapshot.ARN(loc, s))
	}
	var b iam.Builder
	b.Add(
		iam.Statement{Sid: "DenyDatabaseChanges", Effect: iam.Deny, NotResource: own, Action: []string{
			"rds:AddTagsToResource", "rds:Authorize*", "rds:Backtrack*", "rds:Delete*", "rds:Failover*", "rds:Modify*",
			"rds:Promote*", "rds:Reboot*", "rds:Remove*", "rds:Reset*", "rds:Restore*", "rds:Revoke*", "rds:Start*",
			"rds:Stop*", "rds:Switchover*"}},
		iam.Statement{Sid: "DenyFileSystemChanges", Effect: iam.Deny, Resource: []string{"*"}, Action: []string{
			"elasticfilesystem:ClientRootAccess", "elasticfilesystem:ClientWrite", "elasticfilesystem:CreateAccessPoint",
			"elasticfilesystem:CreateMountTarget", "elasticfilesystem:Delete*", "elasticfilesystem:Put*",
			"elasticfilesystem:UpdateFileSystem*"}},
		iam.Statement{Sid: "DenySecrets", Effect: iam.Deny, Resource: []string{"*"}, Action: []string{
			"secretsmanager:Cancel*", "secretsmanager:Create*", "secretsmanager:Delete*", "secretsmanager:Get*",
			"secretsmanager:Put*", "secretsmanager:Remove*", "secretsmanager:Replicate*", "secretsmanager:Restore*",
			"secretsmanager:Rotate*", "secretsmanager:Stop*", "secretsmanager:Tag*", "secretsmanager:Untag*",
			"secretsmanager:Update*"}},
		iam.Statement{Sid: "DenyFunctionChanges", Effect: iam.Deny, Resource: []string{"*"}, Action: []string{
			"lambda:Add*", "lambda:Create*", "lambda:Delete*", "lambda:Invoke*", "lambda:Publish*", "lambda:Put*",
			"lambda:Remove*", "lambda:Tag*", "lambda:Untag*", "lambda:Update*"}},
		iam.Statement{Sid: "DenyKeyChanges", Effect: iam.Deny, Resource: []string{"*"}, Action: []string{
			"kms:CancelKeyDeletion", "kms:Delete*", "kms:Disable*", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion",
			"kms:Update*"}},
		iam.Statement{Sid: "DenyBackupChanges", Effect: iam.Deny, Resource: []string{"*"}, Action: []string{
			"backup:Delete*", "backup:Disassociate*", "backup:Put*", "backup:StartRestoreJob", "backup:Update*"}},
	)
	return b.Policy()
}

// lambdaRoles are the execution roles of the Lambda helpers each
// destination account runs: one per helper, with only what it does.
func (d *deriver) lambdaRoles() {
	for _, a := range d.spec.AccountsWithRole(spec.RoleDestination) {
		for _, fn := range names.Helpers(d.spec, a) {
			r := runner{a, d.names.LambdaRole(fn)}
			b := d.builder(r)
			loc := d.loc(a)
			logGroup := "arn:" + loc.Partition + ":logs:" + loc.Region + ":" + a.ID + ":log-group:/aws/lambda/" + d.names.Function(fn)
			b.Add(iam.Statement{Sid: "Logs", Effect: iam.Allow, Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
				Resource: []string{logGroup + ":*"}})
			d.lambdaNeeds(b, a, fn)
			role := d.put(r, "Runs the "+fn+" helper.", d.must(iam.ServiceTrust(iam.Lambda, "")))
			role.Managed = []string{"arn:" + loc.Partition + ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"}
		}
	}
}

// lambdaNeeds are what each helper itself calls (not through a workflow).
func (d *deriver) lambdaNeeds(b *iam.Builder, a *spec.Account, fn string) {
	loc := d.loc(a)
	var fileSystems []string
	for _, fs := range d.catalogue.of(a, iam.EFSFileSystem) {
		fileSystems = append(fileSystems, iam.EFSFileSystem.ARN(loc, fs))
	}
	switch fn {
	case names.FnRunSQL:
		b.Add(
			iam.Statement{Sid: "ReadMasterSecrets", Effect: iam.Allow, Action: []string{"secretsmanager:GetSecretValue"},
				Resource:  []string{iam.Secret.ARN(loc, "rds!cluster-*")},
				Condition: []iam.Condition{iam.Cond(iam.StringEquals, "aws:ResourceTag/aws:secretsmanager:owningService", "rds")}},
			iam.Statement{Sid: "DecryptSecrets", Effect: iam.Allow, Action: []string{"kms:Decrypt"},
				Resource:  d.catalogueARNs(a, iam.KMSKey),
				Condition: []iam.Condition{iam.Cond(iam.StringEquals, "kms:ViaService", "secretsmanager."+loc.Region+".amazonaws.com")}},
			iam.Statement{Sid: "ReadScripts", Effect: iam.Allow, Action: []string{"s3:GetObject"},
				Resource: []string{iam.S3Object.ARN(loc, d.names.SQLBucket(a)+"/sql/*")}},
		)
	case names.FnGetEFSSubpath:
		b.Add(
			iam.Statement{Sid: "PublishSubpath", Effect: iam.Allow, Action: []string{"ssm:PutParameter"}, Resource: d.catalogueARNs(a, iam.SSMParameter)},
			iam.Statement{Sid: "MountTarget", Effect: iam.Allow, Action: []string{"elasticfilesystem:ClientMount"}, Resource: fileSystems},
		)
	case names.FnCheckFlagFile:
		b.Add(iam.Statement{Sid: "MountReplica", Effect: iam.Allow, Action: []string{"elasticfilesystem:ClientMount"}, Resource: fileSystems})
	}
}

func (d *deriver) catalogueARNs(a *spec.Account, t iam.ResourceType) []string {
	var out []string
	for _, s := range d.catalogue.of(a, t) {
		out = append(out, arnOf(t, d.loc(a), s))
	}
	return out
}

// serviceRoles are the roles AWS services assume for refreshgen: AWS
// Backup's in accounts whose file systems are copied by backup, and
// EventBridge Scheduler's in the orchestrator account.
func (d *deriver) serviceRoles() {
	backupPolicy := map[spec.AccountRole]string{
		spec.RoleSource:      "service-role/AWSBackupServiceRolePolicyForBackup",
		spec.RoleDestination: "service-role/AWSBackupServiceRolePolicyForRestores",
	}
	seen := map[string]bool{}
	for _, r := range d.spec.Refreshes {
		for _, fs := range r.FileSystems {
			if fs.Strategy != spec.FSBackupRestore {
				continue
			}
			for _, a := range []*spec.Account{r.Source, r.Destination} {
				if seen[a.Name] {
					continue
				}
				seen[a.Name] = true
				role := d.put(runner{a, d.names.BackupRole()}, "Lets AWS Backup copy (in a source) or restore (in a destination) the file systems of the refreshes.",
					d.must(iam.ServiceTrust(iam.Backup, "")))
				role.Managed = []string{"arn:" + d.spec.Project.Partition + ":iam::aws:policy/" + backupPolicy[a.Role]}
			}
		}
	}
	d.replicationRoles()
	d.schedulerRole()
}

// replicationRoles are the roles EFS replicates across accounts with, one
// per source account that replicates: it may read the source file systems
// and write only the targets the spec pairs them with.
func (d *deriver) replicationRoles() {
	var sources []runner
	for _, r := range d.spec.Refreshes {
		for _, fs := range r.FileSystems {
			if fs.Strategy != spec.FSReplication {
				continue
			}
			role := runner{r.Source, d.names.ReplicationRole()}
			if d.builders[role.key()] == nil {
				sources = append(sources, role)
			}
			d.builder(role).Add(
				iam.Statement{Sid: "ReadSource", Effect: iam.Allow, Action: []string{"elasticfilesystem:ReplicationRead"},
					Resource: []string{iam.EFSFileSystem.ARN(d.loc(r.Source), fs.From.FileSystemID)}},
				iam.Statement{Sid: "WriteTarget", Effect: iam.Allow, Action: []string{"elasticfilesystem:ReplicationWrite"},
					Resource: []string{iam.EFSFileSystem.ARN(d.loc(r.Destination), fs.TargetFileSystemID)}},
			)
		}
	}
	for _, role := range sources {
		d.put(role, "Lets Amazon EFS replicate the source file systems into the targets the spec names.",
			d.must(iam.ServiceTrust(iam.EFS, "")))
	}
}

// schedulerRole may start the orchestrators of the refreshes that have a
// schedule, nothing else.
func (d *deriver) schedulerRole() {
	o := d.spec.Orchestrator()
	var targets []string
	for _, r := range d.spec.Refreshes {
		if r.Schedule != "" {
			targets = append(targets, d.names.StateMachineARN(string(workflows.GroupOrchestrator), r.Name))
		}
	}
	if len(targets) == 0 {
		return
	}
	r := runner{o, d.names.SchedulerRole()}
	d.builder(r).Add(iam.Statement{Sid: "StartScheduledRefreshes", Effect: iam.Allow, Action: []string{"states:StartExecution"}, Resource: targets})
	group := d.names.ARN("scheduler", o.ID, "schedule-group/"+d.names.ScheduleGroup())
	d.put(r, "Lets EventBridge Scheduler start the scheduled refreshes.", d.must(iam.ServiceTrust(iam.Scheduler, o.ID, group)))
}
