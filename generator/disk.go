package generator

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/refreshgen/refreshgen/internal/parallel"
)

// tempPrefix starts the name of every temporary file render writes before
// renaming it into place; one left by an interrupted render is refreshgen's
// own and is removed by the next.
const tempPrefix = ".refreshgen-tmp-"

// Snapshot is the output folder as it is on disk, read once, so that
// planning is a pure comparison of two in-memory trees.
type Snapshot struct {
	Files map[string]DiskFile // regular files by slash path
	Dirs  map[string]bool     // directories by slash path
	// Others are entries refreshgen never writes through (symlinks,
	// devices), by slash path.
	Others map[string]bool
	// Manifest is the previous manifest, nil when there is none.
	Manifest *Manifest
}

// DiskFile is one regular file on disk.
type DiskFile struct {
	Data   []byte
	Mode   fs.FileMode
	SHA256 string // hex, of Data
}

// ReadSnapshot reads every file under root. A missing root is an empty
// snapshot; an unreadable previous manifest is an error, because without it
// refreshgen cannot tell its files from the user's.
func ReadSnapshot(root string) (*Snapshot, error) {
	s := &Snapshot{Files: map[string]DiskFile{}, Dirs: map[string]bool{}, Others: map[string]bool{}}
	var regular []pending
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return filepath.SkipAll
			}
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			s.Dirs[rel] = true
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			regular = append(regular, pending{rel, info.Mode().Perm()})
		default:
			s.Others[rel] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.readFiles(root, regular); err != nil {
		return nil, err
	}
	if f, ok := s.Files[ManifestName]; ok {
		m, err := ParseManifest(f.Data)
		if err != nil {
			return nil, &ManifestError{Err: err}
		}
		s.Manifest = m
	}
	return s, nil
}

// pending is a regular file the walk found, to be read.
type pending struct {
	path string // slash-separated, relative to the root
	mode fs.FileMode
}

// readFiles reads and digests the files the walk found, spread over the
// cores: the Lambda bundles are megabytes each.
func (s *Snapshot) readFiles(root string, files []pending) error {
	read := make([]DiskFile, len(files))
	errs := make([]error, len(files))
	parallel.ForEach(len(files), func(i int) {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(files[i].path)))
		read[i], errs[i] = DiskFile{Data: data, Mode: files[i].mode, SHA256: digest(data)}, err
	})
	for i, f := range files {
		if errs[i] != nil {
			return errs[i]
		}
		s.Files[f.path] = read[i]
	}
	return nil
}

// ManifestError is a previous manifest that cannot be trusted.
type ManifestError struct{ Err error }

func (e *ManifestError) Error() string { return e.Err.Error() }
func (e *ManifestError) Unwrap() error { return e.Err }

// isTemp reports whether a path is a temporary file of an interrupted render.
func isTemp(p string) bool {
	return strings.HasPrefix(path.Base(p), tempPrefix)
}

// blockedBy returns the nearest ancestor of p that exists on disk as
// something other than a directory, or "".
func (s *Snapshot) blockedBy(p string) string {
	for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
		if _, ok := s.Files[dir]; ok || s.Others[dir] {
			return dir
		}
	}
	return ""
}
