package generator

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// writer is the file system an apply changes; tests substitute one that
// fails part-way to prove that a later render converges.
type writer interface {
	WriteFile(root, rel string, data []byte, mode fs.FileMode) error
	Remove(root, rel string) error
	RemoveEmptyDir(root, rel string) error
}

// Apply makes the output folder match the plan: creates and updates first
// (each written to a temporary file in its own folder, then renamed over
// the target, so a reader never sees half a file), then deletions and the
// folders they emptied, and the manifest last — so if anything fails, the
// previous manifest still describes what to clean up and the next render
// converges. It writes nothing at all when the plan has refusals.
func Apply(root string, p *Plan, force bool) error {
	return apply(root, p, force, osWriter{})
}

func apply(root string, p *Plan, force bool, w writer) error {
	if refusals := p.Refusals(force); len(refusals) > 0 {
		return &RefusedError{Changes: refusals}
	}
	var manifest *Change
	var deleted []string
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Path == ManifestName && c.New != nil {
			manifest = c
			continue
		}
		switch c.Action {
		case Create, Update, Conflict:
			if err := w.WriteFile(root, c.Path, c.New.Data, c.mode()); err != nil {
				return err
			}
		case Delete:
			if err := w.Remove(root, c.Path); err != nil {
				return err
			}
			deleted = append(deleted, c.Path)
		}
	}
	if err := pruneEmptyDirs(root, deleted, w); err != nil {
		return err
	}
	if manifest != nil && manifest.Action != Unchanged && manifest.Action != Adopt {
		return w.WriteFile(root, manifest.Path, manifest.New.Data, ModeFile)
	}
	return nil
}

// pruneEmptyDirs removes the folders that deletions emptied, deepest first,
// never the output folder itself.
func pruneEmptyDirs(root string, deleted []string, w writer) error {
	dirs := map[string]bool{}
	for _, p := range deleted {
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	ordered := make([]string, 0, len(dirs))
	for d := range dirs {
		ordered = append(ordered, d)
	}
	slices.SortFunc(ordered, func(a, b string) int { return len(b) - len(a) }) // deepest first
	for _, d := range ordered {
		if err := w.RemoveEmptyDir(root, d); err != nil {
			return err
		}
	}
	return nil
}

// RefusedError lists the changes render will not make without --force.
type RefusedError struct{ Changes []Change }

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%d file(s) refreshgen does not own or that were edited by hand", len(e.Changes))
}

// osWriter writes to the real file system.
type osWriter struct{}

func (osWriter) WriteFile(root, rel string, data []byte, mode fs.FileMode) error {
	target, err := safeJoin(root, rel)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	return writeAtomic(target, data, mode)
}

// writeAtomic writes data to a temporary file beside target and renames it
// over target; on any error the temporary file is removed. It does not
// fsync: the rename keeps readers from seeing half a file, and after a
// crash the next render rewrites whatever did not reach the disk.
func writeAtomic(target string, data []byte, mode fs.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(target), tempPrefix+"*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

func (osWriter) Remove(root, rel string) error {
	target, err := safeJoin(root, rel)
	if err != nil {
		return err
	}
	if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (osWriter) RemoveEmptyDir(root, rel string) error {
	target, err := safeJoin(root, rel)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(target)
	if err != nil || len(entries) > 0 {
		return nil // gone already, or still holds something: leave it
	}
	return os.Remove(target)
}

// safeJoin joins rel to root and refuses a path that could leave root: an
// unclean path, or a folder on the way that is a symbolic link.
func safeJoin(root, rel string) (string, error) {
	if err := checkRelPath(rel); err != nil {
		return "", err
	}
	cur := root
	for _, part := range splitPath(path.Dir(rel)) {
		cur = filepath.Join(cur, part)
		info, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			break // the rest will be created as plain folders
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("%s is a symbolic link; refreshgen never writes through links", cur)
		}
	}
	return filepath.Join(root, filepath.FromSlash(rel)), nil
}

func splitPath(p string) []string {
	if p == "." {
		return nil
	}
	var parts []string
	for ; p != "."; p = path.Dir(p) {
		parts = append([]string{path.Base(p)}, parts...)
	}
	return parts
}
