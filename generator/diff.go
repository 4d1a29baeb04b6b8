package generator

import (
	"fmt"
	"strings"
)

// The drift report shows text differences as unified diffs, computed here
// rather than by running diff(1), so check needs no external process.

const (
	diffContext = 3
	// maxEditDistance bounds the work of Myers' algorithm; beyond it the
	// files are shown as wholly replaced, which is what they almost are.
	maxEditDistance = 2000
)

type editKind byte

const (
	keep   editKind = ' '
	remove editKind = '-'
	insert editKind = '+'
)

type edit struct {
	kind editKind
	line string // with its newline, if it had one
}

// unifiedDiff returns the unified diff from old to new of the file at path,
// or "" when they are equal.
func unifiedDiff(path string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	edits := diffLines(splitLines(string(old)), splitLines(string(new)))
	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n", path, path)
	for _, h := range hunks(edits) {
		writeHunk(&b, edits, h)
	}
	return b.String()
}

// splitLines splits text into lines that keep their "\n"; a last line
// without one stays without, so a missing final newline shows in the diff.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines computes a shortest edit script from a to b with Myers' O(ND)
// algorithm, falling back to "replace everything" past maxEditDistance.
func diffLines(a, b []string) []edit {
	n, m := len(a), len(b)
	offset := n + m + 1
	v := make([]int, 2*offset+1)
	var trace [][]int
	for d := 0; d <= n+m; d++ {
		if d > maxEditDistance {
			return replaceAll(a, b)
		}
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				x = v[offset+k+1] // step down: an insertion
			} else {
				x = v[offset+k-1] + 1 // step right: a removal
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[offset+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, offset)
			}
		}
	}
	return replaceAll(a, b)
}

// backtrack walks the saved frontiers from the end to the start, emitting
// the edit script in reverse, then reverses it.
func backtrack(a, b []string, trace [][]int, offset int) []edit {
	x, y := len(a), len(b)
	var out []edit
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		k := x - y
		prevK := k - 1
		if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
			prevK = k + 1
		}
		prevX := v[offset+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			out = append(out, edit{keep, a[x-1]})
			x, y = x-1, y-1
		}
		if d > 0 {
			if x == prevX {
				out = append(out, edit{insert, b[y-1]})
			} else {
				out = append(out, edit{remove, a[x-1]})
			}
		}
		x, y = prevX, prevY
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func replaceAll(a, b []string) []edit {
	out := make([]edit, 0, len(a)+len(b))
	for _, l := range a {
		out = append(out, edit{remove, l})
	}
	for _, l := range b {
		out = append(out, edit{insert, l})
	}
	return out
}

type span struct{ start, end int }

// hunks groups changes with diffContext lines of context around them,
// merging groups whose context would touch.
func hunks(edits []edit) []span {
	var out []span
	for i := 0; i < len(edits); i++ {
		if edits[i].kind == keep {
			continue
		}
		start := max(0, i-diffContext)
		end := min(len(edits), i+1+diffContext)
		if len(out) > 0 && start <= out[len(out)-1].end {
			out[len(out)-1].end = end
		} else {
			out = append(out, span{start, end})
		}
	}
	return out
}

// writeHunk writes the hunk h of edits: its header, then each line with its
// prefix, marking a last line that has no newline.
func writeHunk(b *strings.Builder, edits []edit, h span) {
	oldStart, newStart := 1, 1
	for _, e := range edits[:h.start] {
		if e.kind != insert {
			oldStart++
		}
		if e.kind != remove {
			newStart++
		}
	}
	oldCount, newCount := 0, 0
	for _, e := range edits[h.start:h.end] {
		if e.kind != insert {
			oldCount++
		}
		if e.kind != remove {
			newCount++
		}
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldStart, oldCount), hunkRange(newStart, newCount))
	for _, e := range edits[h.start:h.end] {
		b.WriteByte(byte(e.kind))
		b.WriteString(e.line)
		if !strings.HasSuffix(e.line, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange writes a hunk's start,count the way diff -u does: an empty
// range starts at the line before it.
func hunkRange(start, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}
