package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/refreshgen/refreshgen"
	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/bundles"
	"github.com/refreshgen/refreshgen/generator/render"
	"github.com/refreshgen/refreshgen/spec"
)

// output is the folder a command renders into.
type output struct {
	abs     string // absolute path
	display string // as the user would write it from the working directory
}

// prepare runs everything render and check share: load the spec, resolve and
// vet the output folder, render the tree and read the folder. It writes
// nothing. On failure it has reported why and returns the exit code.
func (e *Env) prepare(o *options) (*spec.Spec, output, *generator.Plan, int) {
	go asl.CompileSchema() // on the other core, while the spec loads: the render's checks need it
	s, _, code := e.loadSpec(o)
	if s == nil {
		return nil, output{}, nil, code
	}
	out := e.outputOf(o, s)
	if d := checkOutputDir(e.path(o.config), out); d != nil {
		e.report(o, nil, hcl.Diagnostics{d})
		return nil, output{}, nil, ExitInput
	}
	snap, err := generator.ReadSnapshot(out.abs)
	var merr *generator.ManifestError
	if errors.As(err, &merr) {
		e.report(o, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unreadable manifest",
			Detail: fmt.Sprintf("%s. refreshgen uses the manifest to tell its files from yours, so it changes nothing without it. "+
				"Restore %s from version control, or delete it: the next render then adopts identical files and asks before overwriting others.",
				err, filepath.Join(out.display, generator.ManifestName))}})
		return nil, output{}, nil, ExitInput
	}
	if err != nil {
		e.report(o, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the output folder", Detail: err.Error() + "."}})
		return nil, output{}, nil, ExitInternal
	}
	// The folder is read first: the bundles it holds are reused, not rebuilt.
	bundler := e.Bundles
	if bundler == nil {
		bundler = bundles.NewBuilder(refreshgen.Sources)
	}
	tree, err := render.Tree(generator.Input{Spec: s, SpecPath: specFromOutput(e.path(o.config), out.abs), Bundle: bundler.Provider(snap)})
	if err != nil {
		e.report(o, nil, hcl.Diagnostics{renderFailure(err)})
		return nil, output{}, nil, ExitInternal
	}
	return s, out, generator.NewPlan(tree, snap), ExitOK
}

// renderFailure words why rendering failed: the go command missing or
// failing is trouble with the environment, anything else a bug.
func renderFailure(err error) *hcl.Diagnostic {
	var noGo *bundles.NoGoError
	var build *bundles.BuildError
	switch {
	case errors.As(err, &noGo):
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Go not found",
			Detail: noGo.Error() + ". Install Go 1.26 or later (https://go.dev/dl/), make sure the go command is on PATH, and run the command again."}
	case errors.As(err, &build):
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot build the Lambda helpers",
			Detail: build.Error() + "\nA failed download needs network access to GOPROXY (or the module cache); a Go older than 1.26 needs an upgrade."}
	}
	return internal(err)
}

func internal(err error) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Internal error",
		Detail: err.Error() + ". This is a bug in refreshgen; please report it."}
}

// outputOf resolves the output folder: -o is relative to the working
// directory like any path typed in a shell; output_dir is relative to the
// spec's folder, so the spec renders to the same place from anywhere.
func (e *Env) outputOf(o *options, s *spec.Spec) output {
	if o.out != "" {
		return output{abs: e.path(o.out), display: folderName(o.out)}
	}
	rel := filepath.FromSlash(s.OutputDir)
	return output{
		abs:     filepath.Join(filepath.Dir(e.path(o.config)), rel),
		display: folderName(filepath.Join(filepath.Dir(o.config), rel)),
	}
}

// specFromOutput is the spec's path relative to the output folder, the one
// spelling of it that does not depend on the working directory.
func specFromOutput(specPath, outDir string) string {
	rel, err := filepath.Rel(realPath(outDir), realPath(specPath))
	if err != nil {
		return filepath.Base(specPath)
	}
	return filepath.ToSlash(rel)
}

// folderName shows a folder path the way people write one: clean, with a
// trailing separator.
func folderName(p string) string {
	return strings.TrimSuffix(filepath.Clean(p), string(filepath.Separator)) + string(filepath.Separator)
}

// checkOutputDir refuses output folders where render could damage files
// that are not its own: the spec's folder, a folder containing it, or the
// root of a repository.
func checkOutputDir(specPath string, out output) *hcl.Diagnostic {
	specDir := realPath(filepath.Dir(specPath))
	dir := realPath(out.abs)
	refuse := func(why string) *hcl.Diagnostic {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsafe output folder",
			Detail: fmt.Sprintf("The output folder %s %s. refreshgen deletes the files it no longer renders there, so it needs a folder of its own: set output_dir in the spec's refreshgen block (or pass -o) to a subfolder such as \"out\".", out.display, why)}
	}
	switch {
	case dir == specDir:
		return refuse("is the spec's own folder")
	case isWithin(specDir, dir):
		return refuse("contains the spec's folder")
	case exists(filepath.Join(dir, ".git")):
		return refuse("is the root of a repository")
	}
	return nil
}

// realPath resolves symbolic links in the part of p that exists, so two
// spellings of one folder compare equal.
func realPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(parent), filepath.Base(p))
}

// isWithin reports whether p is inside dir (or is dir).
func isWithin(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil || !errors.Is(err, fs.ErrNotExist)
}

func runRender(e *Env, o *options) int {
	s, out, plan, code := e.prepare(o)
	if s == nil {
		return code
	}
	if o.dryRun {
		e.printPlan(o, out, plan, true)
		if len(plan.Refusals(o.force)) > 0 {
			return ExitInput
		}
		return ExitOK
	}
	err := generator.Apply(out.abs, plan, o.force)
	var refused *generator.RefusedError
	if errors.As(err, &refused) {
		e.report(o, nil, hcl.Diagnostics{refusal(out, refused)})
		return ExitInput
	}
	if err != nil {
		e.report(o, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Render failed part-way",
			Detail: fmt.Sprintf("%v. The files written so far are complete (each was renamed into place) and the previous manifest still lists what to clean up: fix the cause and run render again.", err)}})
		return ExitInternal
	}
	e.printPlan(o, out, plan, false)
	return ExitOK
}

// refusal words the files render will not touch without --force.
func refusal(out output, r *generator.RefusedError) *hcl.Diagnostic {
	var b strings.Builder
	b.WriteString("refreshgen stopped before writing anything; these paths are in the way:\n")
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "  %s (%s)\n", filepath.Join(out.display, filepath.FromSlash(c.Path)), c.Reason)
	}
	b.WriteString("Move them away, or run render again with --force to replace the files (--force never replaces a folder or a link).")
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Files in the way", Detail: b.String()}
}

// printPlan reports what render did (or, in a dry run, would do).
func (e *Env) printPlan(o *options, out output, plan *generator.Plan, dryRun bool) {
	created, updated, deleted := plan.Select(generator.Create), plan.Select(generator.Update, generator.Conflict), plan.Select(generator.Delete)
	unchanged := len(plan.Select(generator.Unchanged, generator.Adopt))
	if o.format == "json" {
		writeJSON(e.Stdout, map[string]any{
			"output_dir": out.display, "dry_run": dryRun,
			"created": paths(created), "updated": paths(updated), "deleted": paths(deleted), "unchanged": unchanged,
		})
		return
	}
	verb := "Rendered"
	if dryRun {
		verb = "Would render"
	}
	fmt.Fprintf(e.Stdout, "%s %s from %s: %d created, %d updated, %d deleted, %d unchanged.\n",
		verb, out.display, o.config, len(created), len(updated), len(deleted), unchanged)
	if dryRun || o.verbose {
		for _, group := range []struct {
			sign    string
			changes []generator.Change
		}{{"+", created}, {"~", updated}, {"-", deleted}} {
			for _, c := range group.changes {
				fmt.Fprintf(e.Stdout, "  %s %s\n", group.sign, c.Path)
			}
		}
	}
}

func paths(changes []generator.Change) []string {
	out := []string{}
	for _, c := range changes {
		out = append(out, c.Path)
	}
	return out
}

func runCheck(e *Env, o *options) int {
	s, out, plan, code := e.prepare(o)
	if s == nil {
		return code
	}
	report := generator.NewReport(plan, out.display, fixCommand(o))
	switch o.format {
	case "json":
		writeJSON(e.Stdout, report)
	case "github":
		report.WriteGitHub(e.Stdout, filepath.ToSlash(out.display))
	default:
		report.WriteText(e.Stdout, o.config, o.noDiff)
	}
	if !report.UpToDate {
		return ExitDrift
	}
	return ExitOK
}

// fixCommand is the exact command that makes the output folder current.
func fixCommand(o *options) string {
	cmd := "refreshgen render -c " + shellQuote(o.config)
	if o.out != "" {
		cmd += " -o " + shellQuote(o.out)
	}
	return cmd
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
