// Package efsrestore is the get-efs-subpath Lambda. An AWS Backup restore of EFS items into an
// existing file system puts them in a new folder "aws-backup-restore_<time>" at the file
// system root; the Lambda finds the newest such folder on the mounted file system, by the time
// in its name, and publishes its path to an SSM parameter for the workflows that mount it.
package efsrestore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/refreshgen/refreshgen/lambdas/internal/eventjson"
	"github.com/refreshgen/refreshgen/lambdas/internal/fault"
	"github.com/refreshgen/refreshgen/lambdas/internal/safepath"
)

// Prefix starts the name of every AWS Backup restore folder.
const Prefix = "aws-backup-restore_"

// namePattern is the folder name AWS Backup writes: an ISO 8601 UTC time with "-" for ":" and
// a fraction of milliseconds (older restores) or nanoseconds (newer ones), e.g.
// aws-backup-restore_2022-02-11T14-34-30-948Z or aws-backup-restore_2025-03-28T14-13-02-250589632Z.
var namePattern = regexp.MustCompile(`^` + Prefix + `([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2})-([0-9]{2})-([0-9]{2})(?:-([0-9]{1,9}))?Z$`)

// maxSkipped bounds the skipped folders listed in a Result.
const maxSkipped = 50

var ssmNamePattern = regexp.MustCompile(`^(/[A-Za-z0-9_.-]+)+$|^[A-Za-z0-9_.-]+$`)

// Event is the input of the get-efs-subpath Lambda.
type Event struct {
	// SSMParameterName is the String parameter that receives the subpath (overwritten).
	SSMParameterName string `json:"ssm_parameter_name"`
	// BaseDir is the folder, relative to the mount, that holds the restore folders; empty for
	// the mount root.
	BaseDir string `json:"base_dir,omitempty"`
}

// Result is the output of the get-efs-subpath Lambda.
type Result struct {
	// Subpath is the newest restore folder relative to the mount (BaseDir/name), without a
	// leading "/"; it is also the parameter's new value.
	Subpath string `json:"subpath"`
	// RestoredAt is the time in the folder name, RFC 3339 in UTC.
	RestoredAt          string `json:"restored_at"`
	SSMParameterName    string `json:"ssm_parameter_name"`
	SSMParameterVersion int64  `json:"ssm_parameter_version"`
	// Candidates counts the usable restore folders found, the chosen one included.
	Candidates int `json:"candidates"`
	// Skipped lists (at most 50 of) the folders named like restore folders that were not usable.
	Skipped      []Skipped `json:"skipped"`
	SkippedTotal int       `json:"skipped_total"`
}

// Skipped is a folder that looked like a restore folder but was not usable, and why.
type Skipped struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// ParametersAPI is the part of the SSM client the handler uses.
type ParametersAPI interface {
	PutParameter(context.Context, *ssm.PutParameterInput, ...func(*ssm.Options)) (*ssm.PutParameterOutput, error)
}

// Handler runs the events of the get-efs-subpath Lambda.
type Handler struct {
	// Mount is where the file system is mounted (safepath.MountPath).
	Mount  string
	SSM    ParametersAPI
	Logger *slog.Logger
}

// Handle finds the newest restore folder and writes its subpath to the SSM parameter.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (*Result, error) {
	var ev Event
	if err := eventjson.Decode(raw, &ev); err != nil {
		return nil, err
	}
	root, err := safepath.OpenMount(h.Mount)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	res, err := newest(root, ev.BaseDir)
	if err != nil {
		return nil, err
	}
	out, err := h.SSM.PutParameter(ctx, &ssm.PutParameterInput{
		Name: aws.String(ev.SSMParameterName), Value: aws.String(res.Subpath),
		Type: ssmtypes.ParameterTypeString, Overwrite: aws.Bool(true),
	})
	if err != nil {
		return nil, fault.Errorf(fault.ParameterWriteFailed, "writing %s to SSM parameter %s: %w", res.Subpath, ev.SSMParameterName, err)
	}
	res.SSMParameterName, res.SSMParameterVersion = ev.SSMParameterName, out.Version
	h.Logger.Info("restore folder published", "subpath", res.Subpath, "restored_at", res.RestoredAt,
		"parameter", res.SSMParameterName, "version", res.SSMParameterVersion, "candidates", res.Candidates, "skipped", res.SkippedTotal)
	return res, nil
}

// Problems lists what is wrong with the event.
func (ev *Event) Problems() []string {
	var p []string
	n := ev.SSMParameterName
	lower := strings.ToLower(strings.TrimPrefix(n, "/"))
	if len(n) > 1011 || !ssmNamePattern.MatchString(n) || strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm") {
		p = append(p, "ssm_parameter_name: must be an SSM parameter name (letters, digits, _.- and / levels starting with /; not aws or ssm first)")
	}
	if ev.BaseDir != "" {
		if err := safepath.CheckRel(ev.BaseDir); err != nil {
			p = append(p, "base_dir: "+err.Error())
		}
	}
	return p
}

// newest scans baseDir for restore folders and returns the one with the newest name time.
func newest(root *safepath.Root, baseDir string) (*Result, error) {
	entries, err := root.ReadDir(cmp.Or(baseDir, "."))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fault.Errorf(fault.RestoreFolderNotFound, "the folder %q does not exist on the file system", baseDir)
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Skipped: []Skipped{}}
	var best time.Time
	ties := 0
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), Prefix) {
			continue
		}
		t, reason := candidate(e)
		if reason != "" {
			res.skip(e.Name(), reason)
			continue
		}
		res.Candidates++
		switch {
		case res.Candidates == 1 || t.After(best):
			best, ties, res.Subpath = t, 0, path.Join(baseDir, e.Name())
		case t.Equal(best):
			ties++
		}
	}
	switch {
	case res.Candidates == 0:
		return nil, fault.Errorf(fault.RestoreFolderNotFound, "no usable %s<time> folder in %q (%d skipped%s)", Prefix, cmp.Or(baseDir, "."), res.SkippedTotal, res.skippedList())
	case ties > 0:
		return nil, fault.Errorf(fault.AmbiguousRestoreFolder, "%d restore folders in %q carry the newest time %s", ties+1, cmp.Or(baseDir, "."), best.Format(time.RFC3339Nano))
	}
	res.RestoredAt = best.Format(time.RFC3339Nano)
	// The listing said directory; check again on the path itself, which refuses symbolic links.
	if info, err := root.Lstat(res.Subpath); err != nil || !info.IsDir() {
		return nil, fault.Errorf(fault.UnsafePath, "the restore folder %s changed while it was checked: %v", res.Subpath, err)
	}
	return res, nil
}

// candidate returns the time of a restore folder, or why the entry is not one.
func candidate(e fs.DirEntry) (time.Time, string) {
	if err := safepath.CheckName(e.Name()); err != nil {
		return time.Time{}, err.Error()
	}
	switch {
	case e.Type()&fs.ModeSymlink != 0:
		return time.Time{}, "a symbolic link, which is never followed"
	case !e.IsDir():
		return time.Time{}, "not a directory"
	}
	t, err := ParseName(e.Name())
	if err != nil {
		return time.Time{}, err.Error()
	}
	return t, ""
}

func (r *Result) skip(name, reason string) {
	r.SkippedTotal++
	if len(r.Skipped) < maxSkipped {
		r.Skipped = append(r.Skipped, Skipped{Name: name, Reason: reason})
	}
}

func (r *Result) skippedList() string {
	var b strings.Builder
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "; %q: %s", s.Name, s.Reason)
	}
	return b.String()
}

// ParseName returns the UTC time in a restore folder name.
func ParseName(name string) (time.Time, error) {
	m := namePattern.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, fmt.Errorf("the name is not %sYYYY-MM-DDTHH-MM-SS[-fraction]Z", Prefix)
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1]) // the pattern admits digits only
	}
	nanos, _ := strconv.Atoi((m[7] + "000000000")[:9])
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], nanos, time.UTC)
	// time.Date normalises out-of-range fields (February 30 becomes March 1); a real time does not move.
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] || t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return time.Time{}, errors.New("the name holds no valid date and time")
	}
	return t, nil
}
