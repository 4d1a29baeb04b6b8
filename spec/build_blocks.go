package spec

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func (b *builder) buildProject(s *Spec, p *projectBlock) {
	if p == nil {
		return // the schema requires it
	}
	s.Project = Project{
		Name:               p.Name,
		Prefix:             p.Prefix,
		Region:             p.Region,
		Partition:          partitionOf(p.Region),
		Naming:             NamingStyle(or(p.Naming, string(NamingKebab))),
		Prefixes:           map[ResourceKind]string{},
		Tags:               sortedTags(p.Tags),
		ManagedTag:         Tag{Key: DefaultManagedTagKey, Value: "true"},
		LambdaArchitecture: Architecture(or(p.LambdaArchitecture, string(ArchARM64))),
		OrganizationID:     or(p.OrganizationID, ""),
		RDSCABundle:        or(p.RDSCABundle, ""),
		DeclRange:          p.DefRange,
	}
	for k, v := range p.Prefixes {
		s.Project.Prefixes[ResourceKind(k)] = v
	}
	if tags := sortedTags(p.ManagedTag); len(tags) == 1 {
		s.Project.ManagedTag = tags[0]
	}
}

func sortedTags(m map[string]string) []Tag {
	tags := make([]Tag, 0, len(m))
	for k, v := range m {
		tags = append(tags, Tag{Key: k, Value: v})
	}
	slices.SortFunc(tags, func(a, b Tag) int { return cmp.Compare(a.Key, b.Key) })
	return tags
}

func (b *builder) account(a *accountBlock) *Account {
	return &Account{
		Name:              a.Name,
		ID:                a.ID,
		Role:              AccountRole(a.Role),
		VPCID:             or(a.VPCID, ""),
		SubnetIDs:         sortedCopy(a.SubnetIDs),
		SecurityGroupIDs:  sortedCopy(a.SecurityGroupIDs),
		ExistingRoleName:  or(a.ExistingRoleName, ""),
		TrustedPrincipals: sortedCopy(a.TrustedPrincipals),
		ExternalID:        or(a.ExternalID, ""),
		DeclRange:         a.DefRange,
	}
}

func (b *builder) aurora(a *auroraBlock) *Aurora {
	acct, _ := ref(b, a.Account, "account", b.accounts)
	return &Aurora{
		Name:       a.Name,
		Account:    acct,
		Identifier: a.Identifier,
		Engine:     Engine(a.Engine),
		KMSKeyARN:  a.KMSKeyARN,
		DeclRange:  a.DefRange,
	}
}

func (b *builder) fileSystem(f *efsBlock) *FileSystem {
	acct, _ := ref(b, f.Account, "account", b.accounts)
	return &FileSystem{
		Name:         f.Name,
		Account:      acct,
		FileSystemID: f.FileSystemID,
		BackupVault:  or(f.BackupVault, ""),
		DeclRange:    f.DefRange,
	}
}

func (b *builder) eksCluster(e *eksBlock) *EKSCluster {
	acct, _ := ref(b, e.Account, "account", b.accounts)
	policies := declare(b, "access_policy", e.AccessPolicies,
		func(p *accessPolicyBlock) (string, hcl.Range) { return p.Name, p.DefRange },
		func(p *accessPolicyBlock) *AccessPolicy {
			return &AccessPolicy{Name: p.Name, PolicyARN: p.PolicyARN, Namespaces: sortedCopy(p.Namespaces)}
		})
	return &EKSCluster{
		Name:           e.Name,
		Account:        acct,
		ClusterName:    e.ClusterName,
		Nodegroups:     sortedCopy(e.Nodegroups),
		AccessPolicies: sortedValues(policies),
		DeclRange:      e.DefRange,
	}
}

func (b *builder) refresh(r *refreshBlock) *Refresh {
	src, _ := ref(b, r.Source, "account", b.accounts)
	dst, _ := ref(b, r.Destination, "account", b.accounts)
	out := &Refresh{
		Name:             r.Name,
		Source:           src,
		Destination:      dst,
		Schedule:         or(r.Schedule, ""),
		ScheduleTimezone: or(r.ScheduleTimezone, ""),
		Timeout:          DefaultTimeout,
		Notify:           Notify{On: []Outcome{OutcomeFailure, OutcomeSuccess}},
		DeclRange:        r.DefRange,
	}
	if r.Timeout != nil {
		if d, err := parseDuration(*r.Timeout); err == nil {
			out.Timeout = d
		}
	}
	if r.Notify != nil {
		out.Notify = b.notify(r.Notify)
	}
	databases := declare(b, "database", r.Databases,
		func(d *databaseBlock) (string, hcl.Range) { return d.Name, d.DefRange },
		b.database)
	out.Databases = sortedValues(databases)
	copies := declare(b, "filesystem", r.FileSystems,
		func(f *filesystemBlock) (string, hcl.Range) { return f.Name, f.DefRange }, b.filesystemCopy)
	out.FileSystems = sortedValues(copies)
	if r.EKS != nil {
		out.EKS = b.eksUsage(r.Name, r.EKS, copies)
	}
	return out
}

func (b *builder) notify(n *notifyBlock) Notify {
	out := Notify{SNSTopicARN: or(n.SNSTopicARN, ""), On: []Outcome{OutcomeFailure, OutcomeSuccess}}
	if n.On != nil {
		out.On = nil
		for _, o := range sortedCopy(n.On) {
			out.On = append(out.On, Outcome(o))
		}
	}
	return out
}

func (b *builder) database(d *databaseBlock) *Database {
	from, _ := ref(b, d.From, "aurora", b.auroras)
	out := &Database{
		Name:                  d.Name,
		From:                  from,
		TargetCluster:         d.TargetCluster,
		Strategy:              SnapshotStrategy(or(d.Strategy, string(StrategySnapshot))),
		InstanceClass:         d.InstanceClass,
		Instances:             1,
		SubnetGroup:           d.SubnetGroup,
		SecurityGroupIDs:      sortedCopy(d.SecurityGroupIDs),
		KMSKeyARN:             d.KMSKeyARN,
		ClusterParameterGroup: or(d.ClusterParameterGroup, ""),
		ParameterGroup:        or(d.ParameterGroup, ""),
		Swap:                  SwapStrategy(or(d.Swap, string(SwapRename))),
		KeepOld:               KeepOld(or(d.KeepOld, string(KeepOldStop))),
		FinalSnapshot:         d.FinalSnapshot == nil || *d.FinalSnapshot,
		PostRestoreSQL:        b.scripts(d.PostRestoreSQL),
		SQLMode:               SQLMode(or(d.SQLMode, string(SQLStatements))),
		SQLDatabase:           or(d.SQLDatabase, ""),
		RotateSecrets:         sortedCopy(d.RotateSecrets),
		DeclRange:             d.DefRange,
	}
	if d.Swap != nil && *d.Swap == string(SwapDeleteFirst) && d.KeepOld == nil {
		out.KeepOld = KeepOldDelete // delete-first leaves nothing to keep
	}
	if d.Instances != nil {
		out.Instances = *d.Instances
	}
	if out.SQLDatabase == "" && from != nil && from.Engine == EnginePostgreSQL {
		out.SQLDatabase = "postgres" // the database every Aurora PostgreSQL cluster has
	}
	if d.Serverless != nil {
		out.Serverless = &ServerlessScaling{MinCapacity: d.Serverless.MinCapacity, MaxCapacity: d.Serverless.MaxCapacity}
	}
	return out
}

// scripts evaluates post_restore_sql one element at a time, naming each
// script after the file() it reads (the name becomes its object key in the
// rendered tree). Evaluation errors were reported with the schema document.
func (b *builder) scripts(expr hcl.Expression) []SQLScript {
	tuple, ok := expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	var out []SQLScript
	for i, elem := range tuple.Exprs {
		v, diags := elem.Value(b.files.evalContext())
		if diags.HasErrors() || v.IsNull() || !v.IsKnown() {
			continue
		}
		text, err := stringOf(v)
		if err != nil {
			continue
		}
		out = append(out, SQLScript{Name: scriptName(elem, i), SQL: text})
	}
	return out
}

func scriptName(elem hclsyntax.Expression, i int) string {
	if call, ok := elem.(*hclsyntax.FunctionCallExpr); ok && call.Name == "file" && len(call.Args) == 1 {
		if v, diags := call.Args[0].Value(nil); !diags.HasErrors() && v.IsKnown() && !v.IsNull() {
			if s, err := stringOf(v); err == nil {
				if clean, err := cleanRelPath(s); err == nil {
					return clean
				}
			}
		}
	}
	return fmt.Sprintf("inline-%d", i+1)
}

func (b *builder) filesystemCopy(f *filesystemBlock) *FileSystemCopy {
	from, _ := ref(b, f.From, "efs", b.efs)
	return &FileSystemCopy{
		Name:               f.Name,
		From:               from,
		Strategy:           FileSystemStrategy(or(f.Strategy, string(FSBackupRestore))),
		TargetFileSystemID: f.TargetFileSystemID,
		TargetBackupVault:  or(f.TargetBackupVault, ""),
		SubpathParameter:   or(f.SubpathParameter, ""),
		VerifyFile:         or(f.VerifyFile, ""),
		DeclRange:          f.DefRange,
	}
}

func (b *builder) eksUsage(refresh string, e *refreshEKSBlock, copies map[string]*FileSystemCopy) *EKSUsage {
	cluster, _ := ref(b, e.Cluster, "eks", b.eks)
	out := &EKSUsage{Cluster: cluster, ScaleDown: e.ScaleDown != nil && *e.ScaleDown}
	volumes := declare(b, "volume", e.Volumes,
		func(v *volumeBlock) (string, hcl.Range) { return v.FileSystem, v.DefRange },
		func(v *volumeBlock) *Volume {
			fs, ok := copies[v.FileSystem]
			if !ok {
				b.diags = append(b.diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Volume of an unknown filesystem",
					Detail: fmt.Sprintf("refresh %q has no filesystem block named %q. A volume block is labelled with the name of a filesystem block of the same refresh.",
						refresh, v.FileSystem),
					Subject: v.DefRange.Ptr(),
				})
				fs = &FileSystemCopy{Name: v.FileSystem}
			}
			return &Volume{FileSystem: fs, Namespace: v.Namespace, Claim: v.Claim}
		})
	out.Volumes = sortedValues(volumes)
	return out
}

func or(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

func sortedCopy(s []string) []string {
	if s == nil {
		return nil
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
