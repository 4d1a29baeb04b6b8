package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/refreshgen/refreshgen/templates"
)

// runInit writes the starter spec. O_EXCL makes "never overwrite" hold even
// against a file created between a check and the write.
func runInit(e *Env, o *options) int {
	text, err := templates.Render("init.hcl.tmpl", struct{ Name, Version string }{o.name, Version})
	if err != nil {
		fmt.Fprintf(e.Stderr, "refreshgen: internal error: %v\n", err)
		return ExitInternal
	}
	path := e.path(o.config)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintf(e.Stderr, "refreshgen: %v\n", err)
		return ExitInternal
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return e.usageError("%s already exists, and init never overwrites a file. Remove it, or pass another path with -c.", o.config)
	}
	if err != nil {
		fmt.Fprintf(e.Stderr, "refreshgen: %v\n", err)
		return ExitInternal
	}
	if _, err := f.Write(text); err != nil {
		f.Close()
		os.Remove(path) // never leave a half-written spec behind
		fmt.Fprintf(e.Stderr, "refreshgen: writing %s: %v\n", o.config, err)
		return ExitInternal
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(e.Stderr, "refreshgen: writing %s: %v\n", o.config, err)
		return ExitInternal
	}
	fmt.Fprintf(e.Stdout, "Wrote %s. Replace its example IDs with yours, then run 'refreshgen validate -c %s'.\n", o.config, o.config)
	return ExitOK
}
