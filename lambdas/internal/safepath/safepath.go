// Package safepath is the path hygiene of the EFS helpers: it checks names and relative paths
// that come from events or directory listings, and reads a mounted file system without ever
// following a symbolic link or leaving the mount.
//
// Two layers guard each access: the checks below refuse hostile names before any system call,
// and every access goes through an os.Root, which the kernel-level openat walk keeps inside the
// mount even if the tree changes between the check and the use.
package safepath

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

// Limits from Linux: NAME_MAX and PATH_MAX.
const (
	maxName = 255
	maxPath = 4096
)

var (
	// ErrUnsafe is wrapped by every error about a name or path that is refused before use.
	ErrUnsafe = errors.New("unsafe path")
	// ErrSymlink is wrapped when a path element on disk is a symbolic link; such errors are
	// named fault.UnsafePath.
	ErrSymlink = errors.New("path element is a symbolic link")
	// ErrKind is wrapped when a path on disk is not the kind of file asked for; such errors are
	// named fault.UnsafePath.
	ErrKind = errors.New("wrong kind of file")
)

// CheckName reports whether name can be used as one element of a path: not empty, not "." or
// "..", no "/" or "\", no NUL or other control character, valid UTF-8, at most 255 bytes.
func CheckName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%w: empty name", ErrUnsafe)
	case name == "." || name == "..":
		return fmt.Errorf("%w: %q is not a name", ErrUnsafe, name)
	case len(name) > maxName:
		return fmt.Errorf("%w: name longer than %d bytes", ErrUnsafe, maxName)
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: %q is not valid UTF-8", ErrUnsafe, name)
	case strings.ContainsAny(name, `/\`):
		return fmt.Errorf("%w: %q contains a path separator", ErrUnsafe, name)
	case strings.ContainsFunc(name, isControl):
		return fmt.Errorf("%w: %q contains a control character", ErrUnsafe, name)
	}
	return nil
}

// CheckRel reports whether p is a relative, slash-separated path whose every element passes
// CheckName; so no leading or doubled "/", no trailing "/", no "." or ".." element.
func CheckRel(p string) error {
	switch {
	case p == "":
		return fmt.Errorf("%w: empty path", ErrUnsafe)
	case len(p) > maxPath:
		return fmt.Errorf("%w: path longer than %d bytes", ErrUnsafe, maxPath)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("%w: %q is absolute", ErrUnsafe, p)
	}
	for name := range strings.SplitSeq(p, "/") {
		if err := CheckName(name); err != nil {
			return fmt.Errorf("in %q: %w", p, err)
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }

// MountEnv names the environment variable that says where the EFS helpers find their file
// system; DefaultMount is where the Lambda's file system configuration mounts it.
const (
	MountEnv     = "EFS_MOUNT_PATH"
	DefaultMount = "/mnt/efs"
)

// MountPath returns $EFS_MOUNT_PATH or DefaultMount.
func MountPath(getenv func(string) string) string {
	return cmp.Or(getenv(MountEnv), DefaultMount)
}

// Root reads a directory tree, refusing symbolic links anywhere below the root.
type Root struct {
	root *os.Root
}

// OpenMount opens the directory dir, a trusted mount point that may itself be reached through
// a symbolic link. Its error is named fault.MountUnavailable.
func OpenMount(dir string) (*Root, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fault.Errorf(fault.MountUnavailable, "opening the file system mounted at %s: %w", dir, err)
	}
	return &Root{root: r}, nil
}

// Close releases the root.
func (r *Root) Close() error { return r.root.Close() }

// Lstat returns the file information of rel, which is "." for the root itself or a path that
// passes CheckRel. It fails with ErrSymlink if any element of rel is a symbolic link and with
// ErrKind if an element before the last is not a directory.
func (r *Root) Lstat(rel string) (fs.FileInfo, error) {
	if rel == "." {
		return r.root.Lstat(".")
	}
	if err := CheckRel(rel); err != nil {
		return nil, err
	}
	names := strings.Split(rel, "/")
	var info fs.FileInfo
	for i := range names {
		prefix := strings.Join(names[:i+1], "/")
		var err error
		if info, err = r.root.Lstat(prefix); err != nil {
			return nil, err
		}
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			return nil, unsafe("%w: %s", ErrSymlink, prefix)
		case i < len(names)-1 && !info.IsDir():
			return nil, unsafe("%w: %s is not a directory", ErrKind, prefix)
		}
	}
	return info, nil
}

// open opens rel after Lstat found it of the wanted kind, and checks that the opened file is
// the one Lstat saw, so that a swap for a symbolic link in between is caught.
func (r *Root) open(rel string, want fs.FileMode) (*os.File, fs.FileInfo, error) {
	info, err := r.Lstat(rel)
	if err != nil {
		return nil, nil, err
	}
	if info.Mode().Type() != want {
		return nil, nil, unsafe("%w: %s is a %s", ErrKind, rel, kindName(info.Mode()))
	}
	f, err := r.root.Open(rel)
	if err != nil {
		return nil, nil, err
	}
	opened, err := f.Stat()
	if err == nil && !os.SameFile(info, opened) {
		err = unsafe("%w: %s changed while it was opened", ErrSymlink, rel)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, opened, nil
}

// OpenFile opens the regular file rel for reading.
func (r *Root) OpenFile(rel string) (*os.File, fs.FileInfo, error) {
	return r.open(rel, 0)
}

// ReadDir lists the directory rel ("." for the root) sorted by name. Entries are reported as
// the directory holds them: a symbolic link is listed as a link, not followed.
func (r *Root) ReadDir(rel string) ([]fs.DirEntry, error) {
	f, _, err := r.open(rel, fs.ModeDir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

func kindName(m fs.FileMode) string {
	switch m.Type() {
	case 0:
		return "regular file"
	case fs.ModeDir:
		return "directory"
	case fs.ModeSymlink:
		return "symbolic link"
	}
	return "special file"
}

func unsafe(format string, args ...any) error {
	return fault.Errorf(fault.UnsafePath, format, args...)
}
