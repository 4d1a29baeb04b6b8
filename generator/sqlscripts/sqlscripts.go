// Package sqlscripts renders the post-restore SQL scripts a spec names, so
// the rendered tree carries them to the account that runs them.
package sqlscripts

import (
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/names"
)

// Render returns every post-restore script, by refresh and database.
func Render(in generator.Input) ([]generator.File, error) {
	var files []generator.File
	for _, r := range in.Spec.Refreshes {
		for _, db := range r.Databases {
			for i, script := range db.PostRestoreSQL {
				files = append(files, generator.File{
					Path: names.SQLKey(r.Name, db.Name, i, script),
					Kind: generator.KindSQL,
					Data: []byte(script.SQL),
				})
			}
		}
	}
	return files, nil
}
