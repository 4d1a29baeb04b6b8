// Package sqlscripts renders the post-restore SQL scripts a spec names, so
// the rendered tree carries them to the account that runs them.
package sqlscripts

import (
	"fmt"
	"path"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/spec"
)

// Path is where a database's n-th script (0-based) lands in the tree. The
// number keeps the run order visible and two scripts with one base name apart.
func Path(refresh, database string, n int, script spec.SQLScript) string {
	return fmt.Sprintf("sql/%s/%s/%02d-%s", refresh, database, n+1, path.Base(script.Name))
}

// Render returns every post-restore script, by refresh and database.
func Render(in generator.Input) ([]generator.File, error) {
	var files []generator.File
	for _, r := range in.Spec.Refreshes {
		for _, db := range r.Databases {
			for i, script := range db.PostRestoreSQL {
				files = append(files, generator.File{
					Path: Path(r.Name, db.Name, i, script),
					Kind: generator.KindSQL,
					Data: []byte(script.SQL),
				})
			}
		}
	}
	return files, nil
}
