package names

import (
	"slices"
	"strings"

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

// Mounts is the file system each EFS helper of destination a mounts, by
// helper function: the target of the copies into a that call it. The spec
// refuses two targets for one helper of an account.
func Mounts(s *spec.Spec, a *spec.Account) map[string]string {
	mounts := map[string]string{}
	for _, r := range s.Refreshes {
		if r.Destination != a {
			continue
		}
		for _, fs := range r.FileSystems {
			if fn := MountingHelper(fs); fn != "" {
				mounts[fn] = fs.TargetFileSystemID
			}
		}
	}
	return mounts
}

// MountingHelper is the function of the helper that mounts the target file
// system of a copy (see spec.FileSystemCopy.MountingHelper); "" when none.
func MountingHelper(fs *spec.FileSystemCopy) string {
	return strings.ReplaceAll(fs.MountingHelper(), "-", "_")
}
