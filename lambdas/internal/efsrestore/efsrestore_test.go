package efsrestore

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/lambdas/internal/awstest"
	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
)

func TestParseName(t *testing.T) {
	good := map[string]string{
		"aws-backup-restore_2022-02-11T14-34-30-948Z":       "2022-02-11T14:34:30.948Z",
		"aws-backup-restore_2025-03-28T14-13-02-250589632Z": "2025-03-28T14:13:02.250589632Z",
		"aws-backup-restore_2024-02-29T23-59-59Z":           "2024-02-29T23:59:59Z",
		"aws-backup-restore_2026-11-26T03-12-45-1Z":         "2026-11-26T03:12:45.1Z",
	}
	for name, want := range good {
		got, err := ParseName(name)
		if err != nil || got.Format(time.RFC3339Nano) != want {
			t.Errorf("ParseName(%s) = %s, %v; want %s", name, got.Format(time.RFC3339Nano), err, want)
		}
	}
	bad := []string{
		"aws-backup-restore_2026-02-30T00-00-00Z",            // no February 30
		"aws-backup-restore_2026-11-26T24-00-00Z",            // no hour 24
		"aws-backup-restore_2026-11-26T03-12-45",             // no Z
		"aws-backup-restore_2026-11-26T03:12:45Z",            // colons
		"aws-backup-restore_2026-11-26t03-12-45Z",            // lower-case t
		"aws-backup-restore_2026-11-26T03-12-45-1234567890Z", // 10 fraction digits
		"aws-backup-restore_2026-11-26T03-12-45Z.old",
		"aws-backup-restore_latest",
		"aws-backup-restore_",
	}
	for _, name := range bad {
		if _, err := ParseName(name); err == nil {
			t.Errorf("ParseName(%s) accepted", name)
		}
	}
}

// mount builds a file system tree under a temporary mount: every name is a directory unless it
// is in files or links (link name -> target).
type mount struct {
	dir     string
	outside string
}

func newMount(t *testing.T) mount {
	t.Helper()
	base := t.TempDir()
	m := mount{dir: filepath.Join(base, "efs"), outside: filepath.Join(base, "outside")}
	for _, d := range []string{m.dir, m.outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func (m mount) dirs(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if err := os.MkdirAll(filepath.Join(m.dir, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func (m mount) link(t *testing.T, name, target string) {
	t.Helper()
	if err := os.Symlink(target, filepath.Join(m.dir, name)); err != nil {
		t.Fatal(err)
	}
}

// touch sets a folder's modification time, so that tests can make mtime disagree with names.
func (m mount) touch(t *testing.T, name string, mtime time.Time) {
	t.Helper()
	if err := os.Chtimes(filepath.Join(m.dir, name), mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

func handle(t *testing.T, m mount, aws *awstest.Server, ev map[string]any) (*Result, error) {
	t.Helper()
	raw, _ := json.Marshal(ev)
	h := &Handler{Mount: m.dir, SSM: aws.SSM(), Logger: slog.New(slog.DiscardHandler)}
	return h.Handle(context.Background(), raw)
}

const param = "/refreshgen/test/efs-subpath"

func TestHandlePicksNewestByNameTime(t *testing.T) {
	m := newMount(t)
	newest := "aws-backup-restore_2026-11-26T03-12-45-123Z"
	older := "aws-backup-restore_2026-11-26T03-12-45-122999999Z" // newer format, 1 ns older
	m.dirs(t, newest, older, "aws-backup-restore_2025-01-01T00-00-00Z", "other-folder",
		"aws-backup-restore_2030-02-30T00-00-00Z", "aws-backup-restore_latest", "aws-backup-restore_2031-01-01T00-00-00Z\n",
		"aws-backup-restore_\xff")
	m.touch(t, newest, time.Unix(1, 0)) // oldest mtime: the name decides, not the clock of the copy
	m.link(t, "aws-backup-restore_2027-01-01T00-00-00Z", m.outside)
	m.link(t, "aws-backup-restore_2028-01-01T00-00-00Z", "../outside")
	m.link(t, "aws-backup-restore_2028-06-01T00-00-00Z", newest) // a link inside the mount is refused too
	if err := os.WriteFile(filepath.Join(m.dir, "aws-backup-restore_2029-01-01T00-00-00Z"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	aws := awstest.New(t)

	res, err := handle(t, m, aws, map[string]any{"ssm_parameter_name": param})
	if err != nil {
		t.Fatal(err)
	}
	if res.Subpath != newest || res.RestoredAt != "2026-11-26T03:12:45.123Z" || res.Candidates != 3 || res.SSMParameterVersion != 1 {
		t.Errorf("result = %+v", res)
	}
	wantSkipped := map[string]string{
		"aws-backup-restore_2027-01-01T00-00-00Z":   "a symbolic link, which is never followed",
		"aws-backup-restore_2028-01-01T00-00-00Z":   "a symbolic link, which is never followed",
		"aws-backup-restore_2028-06-01T00-00-00Z":   "a symbolic link, which is never followed",
		"aws-backup-restore_2029-01-01T00-00-00Z":   "not a directory",
		"aws-backup-restore_2030-02-30T00-00-00Z":   "the name holds no valid date and time",
		"aws-backup-restore_latest":                 "the name is not aws-backup-restore_YYYY-MM-DDTHH-MM-SS[-fraction]Z",
		"aws-backup-restore_2031-01-01T00-00-00Z\n": "contains a control character",
		"aws-backup-restore_\xff":                   "is not valid UTF-8",
	}
	if res.SkippedTotal != len(wantSkipped) || len(res.Skipped) != len(wantSkipped) {
		t.Errorf("skipped %d: %+v", res.SkippedTotal, res.Skipped)
	}
	for _, s := range res.Skipped {
		if want, ok := wantSkipped[s.Name]; !ok || !strings.Contains(s.Reason, want) {
			t.Errorf("skipped %q because %q, want %q", s.Name, s.Reason, want)
		}
	}
	if p, _ := aws.Parameter(param); p != (awstest.Parameter{Value: newest, Type: "String", Version: 1}) {
		t.Errorf("parameter = %+v", p)
	}
	// A second run overwrites the parameter.
	if res, err := handle(t, m, aws, map[string]any{"ssm_parameter_name": param}); err != nil || res.SSMParameterVersion != 2 {
		t.Errorf("second run = %+v, %v", res, err)
	}
}

func TestHandleBaseDir(t *testing.T) {
	m := newMount(t)
	m.dirs(t, "restores/prod/aws-backup-restore_2026-01-01T00-00-00-5Z", "aws-backup-restore_2027-01-01T00-00-00Z")
	m.link(t, "linked", "restores")
	aws := awstest.New(t)
	res, err := handle(t, m, aws, map[string]any{"ssm_parameter_name": param, "base_dir": "restores/prod"})
	if err != nil || res.Subpath != "restores/prod/aws-backup-restore_2026-01-01T00-00-00-5Z" {
		t.Fatalf("result = %+v, %v", res, err)
	}
	tests := []struct {
		base string
		want string
	}{
		{"linked/prod", fault.UnsafePath},
		{"restores/missing", fault.RestoreFolderNotFound},
		{"../outside", fault.InvalidEvent},
		{"/etc", fault.InvalidEvent},
		{"restores/../restores", fault.InvalidEvent},
		{"restores/\x00", fault.InvalidEvent},
		{"restores/", fault.InvalidEvent},
	}
	for _, tt := range tests {
		_, err := handle(t, m, aws, map[string]any{"ssm_parameter_name": param, "base_dir": tt.base})
		if fault.Name(err) != tt.want {
			t.Errorf("base_dir %q: %v, want %s", tt.base, err, tt.want)
		}
	}
	if ops := aws.Operations(); len(ops) != 1 {
		t.Errorf("SSM was called for failed runs: %v", ops)
	}
}

func TestHandleFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, m mount, aws *awstest.Server) mount
		event map[string]any
		want  string
		msg   string
	}{
		{"empty mount", nil, map[string]any{"ssm_parameter_name": param}, fault.RestoreFolderNotFound, `no usable aws-backup-restore_<time> folder in "." (0 skipped)`},
		{"only unusable folders", func(t *testing.T, m mount, _ *awstest.Server) mount {
			m.dirs(t, "aws-backup-restore_yesterday")
			return m
		}, map[string]any{"ssm_parameter_name": param}, fault.RestoreFolderNotFound, `(1 skipped; "aws-backup-restore_yesterday": the name is not`},
		{"same time twice", func(t *testing.T, m mount, _ *awstest.Server) mount {
			m.dirs(t, "aws-backup-restore_2026-01-01T00-00-00-5Z", "aws-backup-restore_2026-01-01T00-00-00-500Z")
			return m
		}, map[string]any{"ssm_parameter_name": param}, fault.AmbiguousRestoreFolder, "2 restore folders"},
		{"mount missing", func(t *testing.T, m mount, _ *awstest.Server) mount {
			m.dir = filepath.Join(m.dir, "not-mounted")
			return m
		}, map[string]any{"ssm_parameter_name": param}, fault.MountUnavailable, "not-mounted"},
		{"parameter denied", func(t *testing.T, m mount, aws *awstest.Server) mount {
			m.dirs(t, "aws-backup-restore_2026-01-01T00-00-00Z")
			aws.Deny("PutParameter")
			return m
		}, map[string]any{"ssm_parameter_name": param}, fault.ParameterWriteFailed, "AccessDeniedException"},
		{"bad parameter name", nil, map[string]any{"ssm_parameter_name": "/aws/reserved"}, fault.InvalidEvent, "ssm_parameter_name"},
		{"parameter name with space", nil, map[string]any{"ssm_parameter_name": "/a b"}, fault.InvalidEvent, "ssm_parameter_name"},
		{"unknown field", nil, map[string]any{"ssm_parameter_name": param, "mount": "/"}, fault.InvalidEvent, `unknown field "mount"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, aws := newMount(t), awstest.New(t)
			if tt.setup != nil {
				m = tt.setup(t, m, aws)
			}
			_, err := handle(t, m, aws, tt.event)
			if fault.Name(err) != tt.want || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error = %v, want %s with %q", err, tt.want, tt.msg)
			}
		})
	}
}

func TestSkippedListIsBounded(t *testing.T) {
	m := newMount(t)
	for i := range 60 {
		m.dirs(t, Prefix+"bad-"+string(rune('A'+i)))
	}
	m.dirs(t, "aws-backup-restore_2026-01-01T00-00-00Z")
	res, err := handle(t, m, awstest.New(t), map[string]any{"ssm_parameter_name": param})
	if err != nil || len(res.Skipped) != maxSkipped || res.SkippedTotal != 60 {
		t.Fatalf("skipped %d of %d, %v", len(res.Skipped), res.SkippedTotal, err)
	}
}
