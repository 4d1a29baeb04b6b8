package names

import (
	"slices"

	"github.com/refreshgen/refreshgen/spec"
)

// Helpers lists, sorted, the Lambda helpers the refreshes into account a
// use (every destination's when a is nil): run-sql for post-restore SQL,
// get-efs-subpath for a backup-restore file system copy, check-flag-file
// for a replication copy with a verify_file. Roles, bundles and Terraform
// all deploy exactly these.
func Helpers(s *spec.Spec, a *spec.Account) []string {
	var out []string
	for _, r := range s.Refreshes {
		if a != nil && r.Destination != a {
			continue
		}
		for _, db := range r.Databases {
			if len(db.PostRestoreSQL) > 0 {
				out = append(out, FnRunSQL)
			}
		}
		for _, fs := range r.FileSystems {
			if fn := MountingHelper(fs); fn != "" {
				out = append(out, fn)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MountingHelper is the helper that mounts the target file system of a
// copy: get-efs-subpath finds the folder a backup-restore copy restored,
// check-flag-file reads the verify_file of a replication copy; "" when no
// helper mounts it.
func MountingHelper(fs *spec.FileSystemCopy) string {
	switch {
	case fs.Strategy == spec.FSBackupRestore:
		return FnGetEFSSubpath
	case fs.VerifyFile != "":
		return FnCheckFlagFile
	}
	return ""
}
