package generator

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/refreshgen/refreshgen/internal/english"
	"github.com/refreshgen/refreshgen/internal/ghactions"
)

// Report is the drift between a rendered tree and its output folder, in the
// A/M/D/C vocabulary of check.
type Report struct {
	OutDir    string   `json:"output_dir"` // as shown to the user
	UpToDate  bool     `json:"up_to_date"`
	Missing   []string `json:"missing"`   // A: rendered, absent on disk
	Modified  []string `json:"modified"`  // M: owned, different on disk
	Stale     []string `json:"stale"`     // D: no longer rendered, still on disk
	Conflicts []string `json:"conflicts"` // C: a file refreshgen does not own is in the way
	Unmanaged []string `json:"unmanaged"` // on disk, not refreshgen's: information only
	Fix       string   `json:"fix,omitempty"`
	plan      *Plan
}

// NewReport summarises a plan for check; fix is the command that removes
// the drift.
func NewReport(p *Plan, outDir, fix string) *Report {
	r := &Report{OutDir: outDir, UpToDate: p.UpToDate(), plan: p,
		Missing: []string{}, Modified: []string{}, Stale: []string{}, Conflicts: []string{}, Unmanaged: []string{}}
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			r.Missing = append(r.Missing, c.Path)
		case Update:
			r.Modified = append(r.Modified, c.Path)
		case Delete:
			r.Stale = append(r.Stale, c.Path)
		case Conflict:
			r.Conflicts = append(r.Conflicts, c.Path)
		case Unmanaged:
			r.Unmanaged = append(r.Unmanaged, c.Path)
		}
	}
	if !r.UpToDate {
		r.Fix = fix
	}
	return r
}

// WriteText writes the report for people: one line per drifted path, then
// the differences (unless noDiff), then the command that fixes the drift.
func (r *Report) WriteText(w io.Writer, specName string, noDiff bool) {
	if r.UpToDate {
		fmt.Fprintf(w, "%s is up to date with %s.\n", r.OutDir, specName)
	} else {
		n := len(r.Missing) + len(r.Modified) + len(r.Stale) + len(r.Conflicts)
		fmt.Fprintf(w, "%s has drifted from %s: %s.\n", r.OutDir, specName, english.Plural(n, "change"))
	}
	for _, c := range r.plan.Changes {
		if line := statusLine(c); line != "" {
			fmt.Fprintln(w, line)
		}
	}
	if !noDiff {
		for _, c := range r.plan.Select(Update, Conflict) {
			if c.Old != nil && c.New != nil {
				fmt.Fprint(w, "\n"+describeDifference(c))
			}
		}
	}
	if !r.UpToDate {
		fmt.Fprintf(w, "\nRun `%s` and commit the result.\n", r.Fix)
		if len(r.Conflicts) > 0 {
			fmt.Fprintln(w, "Files marked C are not refreshgen's: move them away, or add --force to overwrite them.")
		}
	}
}

func statusLine(c Change) string {
	switch c.Action {
	case Create:
		return "  A " + c.Path
	case Update:
		return "  M " + c.Path + modeNote(c)
	case Delete:
		if c.Reason != "" {
			return "  D " + c.Path + " (no longer generated; " + c.Reason + ")"
		}
		return "  D " + c.Path + " (no longer generated)"
	case Conflict:
		return "  C " + c.Path + " (" + c.Reason + ")"
	case Unmanaged:
		return "  ? " + c.Path + " (not refreshgen's; left alone)"
	}
	return ""
}

func modeNote(c Change) string {
	if c.Old != nil && c.New != nil && c.Old.Mode != c.New.Mode.Perm() {
		return fmt.Sprintf(" (mode %s, want %s)", formatMode(c.Old.Mode), formatMode(c.New.Mode))
	}
	return ""
}

// describeDifference shows how a file on disk differs from its rendering:
// a unified diff for text, an entry listing for zips, a digest otherwise.
func describeDifference(c Change) string {
	switch {
	case bytes.Equal(c.Old.Data, c.New.Data):
		return "" // only the mode differs; the status line says so
	case c.Kind == KindLambdaZip || path.Ext(c.Path) == ".zip":
		return zipDifference(c.Path, c.Old.Data, c.New.Data)
	case isText(c.Old.Data) && isText(c.New.Data):
		return unifiedDiff(c.Path, c.Old.Data, c.New.Data)
	}
	return fmt.Sprintf("Binary files a/%s and b/%s differ (sha256 %s, want %s)\n", c.Path, c.Path, digest(c.Old.Data)[:12], digest(c.New.Data)[:12])
}

func isText(data []byte) bool {
	return utf8.Valid(data) && !bytes.ContainsRune(data, 0)
}

// zipDifference compares two zips entry by entry.
func zipDifference(p string, old, new []byte) string {
	oldEntries, errOld := zipEntries(old)
	newEntries, errNew := zipEntries(new)
	var b strings.Builder
	fmt.Fprintf(&b, "Zip a/%s and b/%s differ (sha256 %s, want %s):\n", p, p, digest(old)[:12], digest(new)[:12])
	if errOld != nil || errNew != nil {
		fmt.Fprintf(&b, "  the file on disk is not a readable zip\n")
		return b.String()
	}
	for name, o := range oldEntries {
		if n, ok := newEntries[name]; !ok {
			fmt.Fprintf(&b, "  - %s (not in the rendered zip)\n", name)
		} else if o != n {
			fmt.Fprintf(&b, "  ~ %s: %s, want %s\n", name, o, n)
		}
	}
	for name, n := range newEntries {
		if _, ok := oldEntries[name]; !ok {
			fmt.Fprintf(&b, "  + %s (%s, missing on disk)\n", name, n)
		}
	}
	return sortedBody(b.String())
}

// sortedBody sorts the lines after the first, so map order never shows.
func sortedBody(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	head, body := lines[0], lines[1:]
	slices.Sort(body)
	return strings.Join(append([]string{head}, body...), "\n") + "\n"
}

func zipEntries(data []byte) (map[string]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range zr.File {
		out[f.Name] = fmt.Sprintf("%d bytes, crc32 %08x, mode %s", f.UncompressedSize64, f.CRC32, formatMode(f.Mode()))
	}
	return out, nil
}

// WriteGitHub writes one workflow annotation per drifted path; outPrefix
// turns a tree path into a path from the repository's working directory.
func (r *Report) WriteGitHub(w io.Writer, outPrefix string) {
	for _, c := range r.plan.Changes {
		var msg string
		switch c.Action {
		case Create:
			msg = "missing: refreshgen renders this file, but it is not on disk"
		case Update:
			msg = "modified: this file differs from what refreshgen renders"
		case Delete:
			msg = "stale: refreshgen no longer renders this file"
		case Conflict:
			msg = "conflict: " + c.Reason
		default:
			continue
		}
		ghactions.Annotate(w, "error",
			[]ghactions.Property{{Name: "file", Value: path.Join(outPrefix, c.Path)}, {Name: "title", Value: "refreshgen drift"}},
			fmt.Sprintf("%s. Run `%s` and commit the result.", msg, r.Fix))
	}
}
