package generator

import (
	"bytes"
	"cmp"
	"io/fs"
	"slices"
)

// Action is what render does to one path, and what check reports.
type Action string

// The actions of a plan.
const (
	Create    Action = "create"    // rendered, absent on disk (check: A)
	Update    Action = "update"    // rendered, owned, different on disk (check: M)
	Unchanged Action = "unchanged" // rendered, same bytes and mode on disk
	Adopt     Action = "adopt"     // rendered, not owned, but already identical on disk
	Delete    Action = "delete"    // owned before, no longer rendered (check: D)
	Conflict  Action = "conflict"  // rendered, but a file refreshgen does not own is in the way (check: C)
	Unmanaged Action = "unmanaged" // on disk, never owned, not rendered: left alone
)

// Change is the plan for one path.
type Change struct {
	Path   string
	Action Action
	Kind   Kind
	// Old is the file on disk (nil if none); New is the rendered file (nil
	// for deletions and unmanaged files).
	Old *DiskFile
	New *File
	// Reason explains a conflict, or a deletion of a file edited since
	// refreshgen wrote it (which render refuses without --force).
	Reason string
}

// Plan compares a rendered tree with the output folder.
type Plan struct {
	Changes []Change // every path, sorted, the manifest last
}

// NewPlan compares the rendered tree (to which it adds the new manifest)
// with the snapshot of the output folder.
func NewPlan(t *Tree, disk *Snapshot) *Plan {
	owned := map[string]ManifestEntry{}
	if disk.Manifest != nil {
		for _, e := range disk.Manifest.Files {
			owned[e.Path] = e
		}
	}
	// A file identical to the one on disk has that file's digest.
	sum := func(f *File) string {
		if old, ok := disk.Files[f.Path]; ok && bytes.Equal(old.Data, f.Data) {
			return old.SHA256
		}
		return digest(f.Data)
	}
	manifest := File{Path: ManifestName, Kind: KindManifest, Mode: ModeFile, Data: t.manifest(sum).Bytes()}
	var changes []Change
	for _, p := range t.Paths() {
		_, isOwned := owned[p]
		changes = append(changes, planRendered(t.files[p], disk, isOwned))
	}
	for p, entry := range owned {
		if t.files[p] == nil {
			if c, ok := planStale(p, entry, disk); ok {
				changes = append(changes, c)
			}
		}
	}
	for p, f := range disk.Files {
		_, isOwned := owned[p]
		if t.files[p] == nil && !isOwned && p != ManifestName {
			changes = append(changes, planUnowned(p, f))
		}
	}
	slices.SortFunc(changes, func(a, b Change) int { return cmp.Compare(a.Path, b.Path) })
	changes = append(changes, planRendered(&manifest, disk, true))
	return &Plan{Changes: changes}
}

// planRendered decides what to do with one rendered file.
func planRendered(f *File, disk *Snapshot, owned bool) Change {
	c := Change{Path: f.Path, Kind: f.Kind, New: f}
	if blocker := disk.blockedBy(f.Path); blocker != "" {
		c.Action, c.Reason = Conflict, blocker+" is a file where refreshgen needs a folder"
		return c
	}
	if disk.Dirs[f.Path] || disk.Others[f.Path] {
		c.Action, c.Reason = Conflict, "a folder or link is where refreshgen writes a file"
		return c
	}
	old, exists := disk.Files[f.Path]
	if !exists {
		c.Action = Create
		return c
	}
	c.Old = &old
	same := bytes.Equal(old.Data, f.Data) && old.Mode == f.Mode.Perm()
	switch {
	case same && owned:
		c.Action = Unchanged
	case same:
		c.Action = Adopt
	case owned:
		c.Action = Update
	default:
		c.Action, c.Reason = Conflict, "the file was not written by refreshgen"
	}
	return c
}

// planStale plans an owned file that is no longer rendered. A file already
// gone needs nothing; one edited since refreshgen wrote it is deleted only
// with --force, so a hand edit is never lost silently.
func planStale(p string, entry ManifestEntry, disk *Snapshot) (Change, bool) {
	old, exists := disk.Files[p]
	if !exists {
		return Change{}, false
	}
	c := Change{Path: p, Action: Delete, Kind: entry.Kind, Old: &old}
	if old.SHA256 != entry.SHA256 {
		c.Reason = "it was edited since refreshgen wrote it"
	}
	return c, true
}

// planUnowned plans a file on disk that refreshgen never wrote and does not
// render: a leftover temporary file of an interrupted render is removed,
// anything else is the user's and is left alone.
func planUnowned(p string, f DiskFile) Change {
	old := f
	if isTemp(p) {
		return Change{Path: p, Action: Delete, Old: &old}
	}
	return Change{Path: p, Action: Unmanaged, Old: &old}
}

// Select returns the changes with one of the given actions.
func (p *Plan) Select(actions ...Action) []Change {
	var out []Change
	for _, c := range p.Changes {
		if slices.Contains(actions, c.Action) {
			out = append(out, c)
		}
	}
	return out
}

// Refusals are the changes render will not make: without --force, files
// in the way that refreshgen does not own and stale files edited by hand;
// even with --force, a folder or link where a file belongs (refreshgen
// never deletes a folder it did not create).
func (p *Plan) Refusals(force bool) []Change {
	var out []Change
	for _, c := range p.Changes {
		blocked := c.Action == Conflict && c.Old == nil
		forceable := c.Action == Conflict || (c.Action == Delete && c.Reason != "")
		if blocked || (forceable && !force) {
			out = append(out, c)
		}
	}
	return out
}

// UpToDate reports whether the output folder already is the rendered tree.
func (p *Plan) UpToDate() bool {
	return len(p.Select(Create, Update, Delete, Conflict)) == 0
}

// mode returns the file mode render writes for a change.
func (c Change) mode() fs.FileMode {
	if c.New == nil {
		return ModeFile
	}
	return c.New.Mode.Perm()
}
