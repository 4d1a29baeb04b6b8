package safepath

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

func TestCheckRel(t *testing.T) {
	good := []string{"a", "a/b", "aws-backup-restore_2026-11-26T03-12-45-123Z", ".hidden", "a..b", "é/ü", "x y"}
	for _, p := range good {
		if err := CheckRel(p); err != nil {
			t.Errorf("CheckRel(%q) = %v, want nil", p, err)
		}
	}
	bad := []string{"", ".", "..", "../x", "a/../b", "a/..", "./a", "a/./b", "/", "/etc/passwd", "a//b", "a/", "a\x00b",
		"a\nb", "a\x7fb", "a\u0085b", `a\b`, `..\x`, "\xff", strings.Repeat("n", 256), strings.Repeat("a/", 2049) + "a"}
	for _, p := range bad {
		if err := CheckRel(p); !errors.Is(err, ErrUnsafe) {
			t.Errorf("CheckRel(%q) = %v, want ErrUnsafe", p, err)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, name := range []string{"a/b", "..", "", "a\x00"} {
		if err := CheckName(name); !errors.Is(err, ErrUnsafe) {
			t.Errorf("CheckName(%q) = %v, want ErrUnsafe", name, err)
		}
	}
	if err := CheckName("flag.json"); err != nil {
		t.Errorf("CheckName(flag.json) = %v", err)
	}
}

// fixture is a mount with hostile links next to a directory outside it that holds a secret.
type fixture struct {
	root   *Root
	secret fs.FileInfo
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	mount := filepath.Join(base, "mount")
	must(t, os.MkdirAll(outside, 0o755))
	must(t, os.MkdirAll(filepath.Join(mount, "dir", "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644))
	must(t, os.WriteFile(filepath.Join(mount, "dir", "file"), []byte("inside"), 0o644))
	for link, target := range map[string]string{
		"link-out-abs":  outside,
		"link-out-rel":  "../outside",
		"link-file-out": "../outside/secret",
		"dir/link-in":   "file",
		"dir/up":        "../../outside/secret",
		"dirlink":       "dir",
		"loop":          "loop",
	} {
		must(t, os.Symlink(target, filepath.Join(mount, link)))
	}
	secret, err := os.Stat(filepath.Join(outside, "secret"))
	must(t, err)
	root, err := OpenMount(mount)
	must(t, err)
	t.Cleanup(func() { root.Close() })
	return fixture{root: root, secret: secret}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRootLstat(t *testing.T) {
	fx := newFixture(t)
	tests := []struct {
		rel  string
		want error
	}{
		{"dir/file", nil},
		{"dir", nil},
		{".", nil},
		{"dir/link-in", ErrSymlink},
		{"dir/up", ErrSymlink},
		{"link-out-abs", ErrSymlink},
		{"link-out-abs/secret", ErrSymlink},
		{"link-out-rel/secret", ErrSymlink},
		{"link-file-out", ErrSymlink},
		{"dirlink/file", ErrSymlink},
		{"loop", ErrSymlink},
		{"dir/file/x", ErrKind},
		{"../outside/secret", ErrUnsafe},
		{"/etc/passwd", ErrUnsafe},
		{"dir/../../outside/secret", ErrUnsafe},
		{"missing", fs.ErrNotExist},
		{"dir/missing/x", fs.ErrNotExist},
	}
	for _, tt := range tests {
		_, err := fx.root.Lstat(tt.rel)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("Lstat(%q) = %v, want %v", tt.rel, err, tt.want)
		}
	}
}

func TestRootOpenFile(t *testing.T) {
	fx := newFixture(t)
	f, info, err := fx.root.OpenFile("dir/file")
	must(t, err)
	defer f.Close()
	data, err := io.ReadAll(f)
	must(t, err)
	if string(data) != "inside" || info.Size() != 6 {
		t.Errorf("read %q, size %d", data, info.Size())
	}
	for rel, want := range map[string]error{"dir": ErrKind, "dir/link-in": ErrSymlink, "link-file-out": ErrSymlink} {
		if _, _, err := fx.root.OpenFile(rel); !errors.Is(err, want) {
			t.Errorf("OpenFile(%q) = %v, want %v", rel, err, want)
		}
	}
}

func TestRootReadDir(t *testing.T) {
	fx := newFixture(t)
	entries, err := fx.root.ReadDir(".")
	must(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := "dir dirlink link-file-out link-out-abs link-out-rel loop"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("ReadDir = %s, want %s", got, want)
	}
	if _, err := fx.root.ReadDir("dirlink"); !errors.Is(err, ErrSymlink) {
		t.Errorf("ReadDir(dirlink) = %v, want ErrSymlink", err)
	}
}

// FuzzPath checks that an accepted path is local and clean, and that no path, accepted or not,
// reaches the file outside the mount through Lstat or OpenFile.
func FuzzPath(f *testing.F) {
	for _, seed := range []string{"dir/file", "../outside/secret", "link-out-rel/secret", "dir/up", "/x", "a\x00b", "dirlink/file", "."} {
		f.Add(seed)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, p string) {
		if CheckRel(p) == nil {
			if !filepath.IsLocal(p) || path.Clean(p) != p || strings.ContainsRune(p, 0) {
				t.Fatalf("CheckRel accepted %q", p)
			}
		}
		if info, err := fx.root.Lstat(p); err == nil && os.SameFile(info, fx.secret) {
			t.Fatalf("Lstat(%q) reached the file outside the mount", p)
		}
		if file, info, err := fx.root.OpenFile(p); err == nil {
			file.Close()
			if os.SameFile(info, fx.secret) {
				t.Fatalf("OpenFile(%q) reached the file outside the mount", p)
			}
		}
	})
}

func TestOpenMount(t *testing.T) {
	_, err := OpenMount(filepath.Join(t.TempDir(), "missing"))
	if fault.Name(err) != fault.MountUnavailable {
		t.Errorf("OpenMount(missing) = %v, want MountUnavailable", err)
	}
	env := map[string]string{}
	if got := MountPath(func(k string) string { return env[k] }); got != "/mnt/efs" {
		t.Errorf("default mount = %s", got)
	}
	env[MountEnv] = "/mnt/replica"
	if got := MountPath(func(k string) string { return env[k] }); got != "/mnt/replica" {
		t.Errorf("mount = %s", got)
	}
}
