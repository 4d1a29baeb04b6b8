package spec

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Defaults of the language, documented in the README's reference.
const (
	DefaultOutputDir     = "out"
	DefaultTimeout       = 6 * time.Hour
	DefaultManagedTagKey = "refreshgen:managed"
)

// builder turns the decoded document into the model: it fills in defaults,
// resolves references, reports duplicate names and undeclared references,
// and sorts every collection. Values the schema rejects are carried over as
// they are; Load discards the model when any diagnostic is an error.
type builder struct {
	files    *fileReader
	filename string
	diags    hcl.Diagnostics

	accounts map[string]*Account
	auroras  map[string]*Aurora
	efs      map[string]*FileSystem
	eks      map[string]*EKSCluster
}

func (b *builder) build(doc *document) *Spec {
	s := &Spec{Filename: b.filename, OutputDir: DefaultOutputDir}
	if doc.Settings != nil && doc.Settings.OutputDir != nil {
		s.OutputDir = *doc.Settings.OutputDir
	}
	b.buildProject(s, doc.Project)
	b.accounts = declare(b, "account", doc.Accounts, func(a *accountBlock) (string, hcl.Range) { return a.Name, a.DefRange }, b.account)
	b.auroras = declare(b, "aurora", doc.Auroras, func(a *auroraBlock) (string, hcl.Range) { return a.Name, a.DefRange }, b.aurora)
	b.efs = declare(b, "efs", doc.FileSystems, func(f *efsBlock) (string, hcl.Range) { return f.Name, f.DefRange }, b.fileSystem)
	b.eks = declare(b, "eks", doc.EKSClusters, func(e *eksBlock) (string, hcl.Range) { return e.Name, e.DefRange }, b.eksCluster)
	refreshes := declare(b, "refresh", doc.Refreshes, func(r *refreshBlock) (string, hcl.Range) { return r.Name, r.DefRange }, b.refresh)

	s.Accounts = sortedValues(b.accounts)
	s.Auroras = sortedValues(b.auroras)
	s.FileSystems = sortedValues(b.efs)
	s.EKSClusters = sortedValues(b.eks)
	s.Refreshes = sortedValues(refreshes)
	return s
}

// declare builds every block of one type, keyed by name; a second block
// with a name already taken is reported and left out.
func declare[B any, M any](b *builder, kind string, blocks []B, id func(B) (string, hcl.Range), build func(B) M) map[string]M {
	out := map[string]M{}
	first := map[string]hcl.Range{}
	for _, blk := range blocks {
		name, rng := id(blk)
		if prev, dup := first[name]; dup {
			b.duplicate(kind, name, prev, rng)
			continue
		}
		first[name] = rng
		out[name] = build(blk)
	}
	return out
}

func (b *builder) duplicate(kind, name string, prev, rng hcl.Range) {
	b.diags = append(b.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Duplicate %s %q", kind, name),
		Detail: fmt.Sprintf("%s %s named %q is already declared at %s. Names must be unique: rename one of them.",
			capitalize(article(kind)), kind, name, prev.String()),
		Subject: rng.Ptr(),
	})
}

// named is anything with a Name, so collections can be sorted by it.
type named interface{ name() string }

func (a *Account) name() string        { return a.Name }
func (a *Aurora) name() string         { return a.Name }
func (f *FileSystem) name() string     { return f.Name }
func (e *EKSCluster) name() string     { return e.Name }
func (r *Refresh) name() string        { return r.Name }
func (d *Database) name() string       { return d.Name }
func (f *FileSystemCopy) name() string { return f.Name }
func (p *AccessPolicy) name() string   { return p.Name }
func (v *Volume) name() string         { return v.FileSystem.Name }

func sortedValues[M named](m map[string]M) []M {
	out := make([]M, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b M) int { return cmp.Compare(a.name(), b.name()) })
	return out
}

// ref resolves a reference such as account.production against the declared
// names of its kind. A malformed reference is left to the schema; an
// undeclared one is reported here with the closest declared name.
func ref[M any](b *builder, expr hcl.Expression, kind string, declared map[string]M) (M, bool) {
	var zero M
	trav, diags := hcl.AbsTraversalForExpr(expr)
	if diags.HasErrors() || len(trav) != 2 || trav.RootName() != kind {
		return zero, false
	}
	step, ok := trav[1].(hcl.TraverseAttr)
	if !ok {
		return zero, false
	}
	if v, ok := declared[step.Name]; ok {
		return v, true
	}
	names := make([]string, 0, len(declared))
	for n := range declared {
		names = append(names, n)
	}
	slices.Sort(names)
	detail := fmt.Sprintf("There is no %s block named %q.", kind, step.Name)
	if s := nameSuggestion(step.Name, names); s != "" {
		detail += fmt.Sprintf(" Did you mean %s.%s?", kind, s)
	} else if len(names) > 0 {
		detail += fmt.Sprintf(" Declared: %s.", joinQuoted(names))
	}
	detail += fmt.Sprintf(" Declare it with %s %s %q block, or fix the reference.", article(kind), kind, step.Name)
	b.diags = append(b.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Reference to undeclared %s", kind),
		Detail:   detail,
		Subject:  expr.Range().Ptr(),
	})
	return zero, false
}

// article returns "a" or "an" for a block type name.
func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
