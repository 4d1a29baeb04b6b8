// Package flagfile is the check-flag-file Lambda: a read-only look at one flag file on a
// mounted EFS replica, used to prove that replication carried over a file that a process wrote
// on the source side (for instance a fresh UUID). It never writes, creates or deletes anything.
package flagfile

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/refreshgen/refreshgen/lambdas/internal/eventjson"
	"github.com/refreshgen/refreshgen/lambdas/internal/safepath"
)

// MaxContent bounds the bytes read from a flag file and the expected content.
const MaxContent = 4096

// Event is the input of the check-flag-file Lambda.
type Event struct {
	// Path is the flag file, relative to the mount ("a/b/flag"); no "..", no leading "/".
	Path string `json:"path"`
	// ExpectedContent, when given, is compared with the file's content; white space around
	// either is ignored (writers often end files with a newline).
	ExpectedContent *string `json:"expected_content,omitempty"`
	// IncludeContent asks for the content in the result. Off by default:
	// the result lands in the workflow's state and execution history, and
	// a file's content has no business there unless someone asks.
	IncludeContent bool `json:"include_content,omitempty"`
}

// Result is the output of the check-flag-file Lambda. A missing file (or folder on its path)
// is a result with Exists false, not an error, so that a workflow can poll.
type Result struct {
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	// Size, Modified (RFC 3339, UTC) and Truncated are present when the file exists.
	Size      *int64 `json:"size,omitempty"`
	Modified  string `json:"modified,omitempty"`
	Truncated *bool  `json:"truncated,omitempty"`
	// Content holds the first 4 KiB when they are UTF-8, ContentBase64 holds them otherwise;
	// only when the event asks (IncludeContent).
	Content       *string `json:"content,omitempty"`
	ContentBase64 string  `json:"content_base64,omitempty"`
	// Matches is present when the event has ExpectedContent: true if the file exists, is not
	// truncated and its content equals the expected content.
	Matches *bool `json:"matches,omitempty"`
}

// Handler runs the events of the check-flag-file Lambda.
type Handler struct {
	// Mount is where the file system is mounted (safepath.MountPath).
	Mount  string
	Logger *slog.Logger
}

// Handle reports on the flag file of the event.
func (h *Handler) Handle(_ context.Context, raw json.RawMessage) (*Result, error) {
	var ev Event
	if err := eventjson.Decode(raw, &ev); err != nil {
		return nil, err
	}
	root, err := safepath.OpenMount(h.Mount)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	res, err := read(root, ev.Path)
	if err != nil {
		return nil, err
	}
	if ev.ExpectedContent != nil {
		matches := res.Exists && !*res.Truncated && bytes.Equal(bytes.TrimSpace(res.content()), bytes.TrimSpace([]byte(*ev.ExpectedContent)))
		res.Matches = &matches
	}
	if !ev.IncludeContent {
		res.Content, res.ContentBase64 = nil, ""
	}
	h.Logger.Info("flag file checked", "path", res.Path, "exists", res.Exists, "matches", res.Matches)
	return res, nil
}

// Problems lists what is wrong with the event.
func (ev *Event) Problems() []string {
	var p []string
	if err := safepath.CheckRel(ev.Path); err != nil {
		p = append(p, "path: "+err.Error())
	}
	if ev.ExpectedContent != nil && len(*ev.ExpectedContent) > MaxContent {
		p = append(p, fmt.Sprintf("expected_content: longer than %d bytes", MaxContent))
	}
	return p
}

// read opens the file read-only (refusing symbolic links anywhere on the path) and reads at
// most MaxContent bytes.
func read(root *safepath.Root, rel string) (*Result, error) {
	res := &Result{Path: rel}
	f, info, err := root.OpenFile(rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return res, nil
	case err != nil:
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxContent+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	}
	truncated := len(data) > MaxContent
	data = data[:min(len(data), MaxContent)]
	size := info.Size()
	res.Exists, res.Size, res.Truncated = true, &size, &truncated
	res.Modified = info.ModTime().UTC().Format(time.RFC3339Nano)
	if utf8.Valid(data) {
		text := string(data)
		res.Content = &text
	} else {
		res.ContentBase64 = base64.StdEncoding.EncodeToString(data)
	}
	return res, nil
}

// content returns the bytes read, whichever field holds them.
func (r *Result) content() []byte {
	if r.Content != nil {
		return []byte(*r.Content)
	}
	data, _ := base64.StdEncoding.DecodeString(r.ContentBase64) // encoded by read
	return data
}
