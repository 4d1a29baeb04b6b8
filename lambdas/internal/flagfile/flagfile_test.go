package flagfile

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

const token = "6f1c2a9e-8d3b-4c5f-9a7e-2b1d0c3e4f5a"

// replica is a mounted replica with flag files, hostile links and a secret outside the mount.
func replica(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	mount, outside := filepath.Join(base, "efs"), filepath.Join(base, "outside")
	files := map[string]string{
		"efs/refreshgen/sync/flag":  token + "\n",
		"efs/refreshgen/sync/empty": "",
		"efs/refreshgen/sync/bin":   "\x00\xff\xfe",
		"efs/refreshgen/sync/big":   strings.Repeat("x", MaxContent+10),
		"outside/secret":            token,
	}
	for name, content := range files {
		p := filepath.Join(base, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"refreshgen/sync/link":  "flag",
		"refreshgen/out-abs":    outside,
		"refreshgen/out-rel":    "../../outside",
		"refreshgen/secret-rel": "../../outside/secret",
	} {
		if err := os.Symlink(target, filepath.Join(mount, link)); err != nil {
			t.Fatal(err)
		}
	}
	mtime := time.Date(2026, 11, 26, 3, 12, 45, 123456789, time.UTC)
	if err := os.Chtimes(filepath.Join(mount, "refreshgen/sync/flag"), mtime, mtime); err != nil {
		t.Fatal(err)
	}
	return mount
}

func check(t *testing.T, mount string, ev map[string]any) (string, error) {
	t.Helper()
	raw, _ := json.Marshal(ev)
	h := &Handler{Mount: mount, Logger: slog.New(slog.DiscardHandler)}
	res, err := h.Handle(context.Background(), raw)
	if err != nil {
		return "", err
	}
	out, _ := json.Marshal(res)
	return string(out), nil
}

func TestHandle(t *testing.T) {
	mount := replica(t)
	tests := []struct {
		name  string
		event map[string]any
		want  string
	}{
		{"flag matches", map[string]any{"path": "refreshgen/sync/flag", "expected_content": token},
			`{"path":"refreshgen/sync/flag","exists":true,"size":37,"modified":"2026-11-26T03:12:45.123456789Z","truncated":false,"matches":true}`},
		{"flag differs", map[string]any{"path": "refreshgen/sync/flag", "expected_content": "another"},
			`{"path":"refreshgen/sync/flag","exists":true,"size":37,"modified":"2026-11-26T03:12:45.123456789Z","truncated":false,"matches":false}`},
		{"no expectation", map[string]any{"path": "refreshgen/sync/flag"},
			`{"path":"refreshgen/sync/flag","exists":true,"size":37,"modified":"2026-11-26T03:12:45.123456789Z","truncated":false}`},
		{"content when asked", map[string]any{"path": "refreshgen/sync/flag", "include_content": true},
			`{"path":"refreshgen/sync/flag","exists":true,"size":37,"modified":"2026-11-26T03:12:45.123456789Z","truncated":false,"content":"` + token + `\n"}`},
		{"missing file", map[string]any{"path": "refreshgen/sync/nope", "expected_content": token},
			`{"path":"refreshgen/sync/nope","exists":false,"matches":false}`},
		{"missing folder", map[string]any{"path": "not/there/flag"}, `{"path":"not/there/flag","exists":false}`},
		{"binary content", map[string]any{"path": "refreshgen/sync/bin", "include_content": true}, `"content_base64":"AP/+"`},
		{"empty file", map[string]any{"path": "refreshgen/sync/empty", "expected_content": ""}, `"size":0,`},
		{"big file is cut", map[string]any{"path": "refreshgen/sync/big", "expected_content": strings.Repeat("x", MaxContent), "include_content": true},
			`"truncated":true,"content":"` + strings.Repeat("x", MaxContent) + `","matches":false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := check(t, mount, tt.event)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("result\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestHandleRefusesHostilePaths(t *testing.T) {
	mount := replica(t)
	tests := map[string]string{
		"..":                              fault.InvalidEvent,
		"../outside/secret":               fault.InvalidEvent,
		"refreshgen/../../outside/secret": fault.InvalidEvent,
		"/etc/passwd":                     fault.InvalidEvent,
		"refreshgen//sync/flag":           fault.InvalidEvent,
		"refreshgen/sync/flag\x00.txt":    fault.InvalidEvent,
		"":                                fault.InvalidEvent,
		"refreshgen/sync/link":            fault.UnsafePath,
		"refreshgen/out-abs/secret":       fault.UnsafePath,
		"refreshgen/out-rel/secret":       fault.UnsafePath,
		"refreshgen/secret-rel":           fault.UnsafePath,
		"refreshgen/sync":                 fault.UnsafePath, // a directory
	}
	for path, want := range tests {
		out, err := check(t, mount, map[string]any{"path": path})
		if fault.Name(err) != want {
			t.Errorf("path %q: %s %v, want %s", path, out, err, want)
		}
		if strings.Contains(out, token) || err != nil && strings.Contains(err.Error(), token) {
			t.Errorf("path %q read the file outside the mount", path)
		}
	}
	if _, err := check(t, mount, map[string]any{"path": "refreshgen/sync/flag", "expected_content": strings.Repeat("x", MaxContent+1)}); fault.Name(err) != fault.InvalidEvent {
		t.Errorf("long expected_content: %v", err)
	}
	if _, err := check(t, filepath.Join(mount, "missing"), map[string]any{"path": "refreshgen/sync/flag"}); fault.Name(err) != fault.MountUnavailable {
		t.Errorf("missing mount: %v", err)
	}
}

// The helper must leave the replica exactly as it found it.
func TestHandleWritesNothing(t *testing.T) {
	mount := replica(t)
	before := snapshot(t, mount)
	for _, p := range []string{"refreshgen/sync/flag", "refreshgen/sync/nope", "new/dir/flag", "refreshgen/out-abs/secret"} {
		_, _ = check(t, mount, map[string]any{"path": p, "expected_content": token})
	}
	if after := snapshot(t, mount); after != before {
		t.Errorf("the tree changed:\nbefore %s\nafter  %s", before, after)
	}
}

func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %d\n", p, info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
