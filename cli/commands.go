package cli

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/spec"
)

// command is one refreshgen subcommand.
type command struct {
	name    string
	aliases []string
	summary string
	// usage is the help text after the summary: synopsis, flags, examples.
	usage string
	flags func(fs *flag.FlagSet, o *options)
	run   func(e *Env, o *options) int
}

// commands returns the command table, in the order the help lists them.
func commands() []*command {
	return []*command{
		{name: "validate", summary: "Check refresh.hcl and report every problem found", usage: validateUsage, run: runValidate},
		{name: "render", aliases: []string{"generate"}, summary: "Render the output tree from refresh.hcl", usage: renderUsage, run: runRender,
			flags: func(fs *flag.FlagSet, o *options) {
				outFlag(fs, o)
				fs.BoolVar(&o.force, "force", false, "")
				fs.BoolVar(&o.dryRun, "dry-run", false, "")
				fs.BoolVar(&o.verbose, "v", false, "")
				fs.BoolVar(&o.verbose, "verbose", false, "")
			}},
		{name: "check", aliases: []string{"diff"}, summary: "Report how the output tree has drifted from refresh.hcl", usage: checkUsage, run: runCheck,
			flags: func(fs *flag.FlagSet, o *options) {
				outFlag(fs, o)
				fs.BoolVar(&o.noDiff, "no-diff", false, "")
			}},
		{name: "simulate", summary: "Run a refresh offline against a mocked AWS, with IAM in the loop", usage: simulateUsage, run: runSimulate,
			flags: func(fs *flag.FlagSet, o *options) {
				fs.StringVar(&o.refresh, "refresh", "", "")
				fs.StringVar(&o.workflow, "workflow", "", "")
				fs.StringVar(&o.scenario, "scenario", "", "")
				fs.Uint64Var(&o.seed, "seed", 1, "")
			}},
		{name: "init", summary: "Write a commented starter refresh.hcl", usage: initUsage, run: runInit,
			flags: func(fs *flag.FlagSet, o *options) { fs.StringVar(&o.name, "name", "myapp", "") }},
		{name: "schema", summary: "Print the JSON Schema of refresh.hcl", usage: schemaUsage, run: runSchema},
		{name: "version", summary: "Print refreshgen's version", usage: versionUsage, run: runVersion},
	}
}

func outFlag(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.out, "o", "", "")
	fs.StringVar(&o.out, "out", "", "")
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name || slices.Contains(c.aliases, name) {
			return c
		}
	}
	return nil
}

func commandSuggestion(name string) string {
	for _, c := range commands() {
		if strings.HasPrefix(c.name, name) || strings.HasPrefix(name, c.name) {
			return fmt.Sprintf(" Did you mean %q?", c.name)
		}
	}
	return ""
}

func (c *command) help() string {
	title := c.name
	if len(c.aliases) > 0 {
		title += " (alias: " + strings.Join(c.aliases, ", ") + ")"
	}
	return fmt.Sprintf("refreshgen %s: %s.\n\n%s\n%s", title, c.summary, strings.TrimSpace(c.usage), globalFlagsHelp)
}

func mainHelp() string {
	var b strings.Builder
	b.WriteString("refreshgen renders, from one refresh.hcl, everything that copies production\n")
	b.WriteString("Aurora clusters and EFS file systems into non-production AWS accounts.\n\n")
	b.WriteString("Usage: refreshgen <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	b.WriteString("\n" + globalFlagsHelp + "\n" + exitCodesHelp)
	b.WriteString("\nRun 'refreshgen <command> --help' for a command's flags and examples.\n")
	return b.String()
}

const globalFlagsHelp = `Global flags:
  -c, --config PATH   the spec to read (default ./refresh.hcl)
  --format FORMAT     how to report: text (default), json or github (workflow annotations)
  --no-color          never colour the output (colour is used on terminals only)
  -h, --help          show this help
`

const exitCodesHelp = `Exit codes:
  0  success (check: the rendered tree is up to date)
  1  check: the rendered tree has drifted; simulate: the run did not end as expected
  2  the input is wrong: the spec, a flag, or a file refreshgen does not own
  3  the environment failed: I/O, a missing toolchain, or a bug in refreshgen
`

const validateUsage = `
Usage: refreshgen validate [-c PATH] [--format text|json|github]

Parses the spec, applies its JSON Schema and every semantic rule, and reports
all problems at once, each at its file:line:col with how to fix it. Nothing is
written. Exits 0 when the spec is valid and 2 when it is not.

Examples:
  refreshgen validate
  refreshgen validate -c examples/refresh.hcl
  refreshgen validate --format json | jq '.diagnostics[].summary'
  refreshgen validate --format github     # annotations in a GitHub workflow
`

const renderUsage = `
Usage: refreshgen render [-c PATH] [-o DIR] [--force] [--dry-run] [-v]

Renders the spec and makes the output folder match it: writes nothing unless
the spec is valid and the whole tree rendered; writes each file to a temporary
file and renames it into place; leaves unchanged files (and their mtimes)
alone; deletes files it rendered before and no longer does (only those its
manifest lists) and the folders that leaves empty; writes the manifest last.
It refuses to overwrite a file it did not write, or to delete one edited by
hand, unless --force; an identical file is adopted silently.

The output folder is output_dir from the spec, relative to the spec's folder
(default "out"); -o overrides it, relative to the working directory.

Flags:
  -o, --out DIR   render into DIR instead of output_dir
  --force         overwrite files refreshgen does not own, delete edited stale files
  --dry-run       print what would change and write nothing
  -v, --verbose   list every file created, updated or deleted

Examples:
  refreshgen render -c examples/refresh.hcl
  refreshgen render --dry-run
  refreshgen generate -o /tmp/preview
`

const checkUsage = `
Usage: refreshgen check [-c PATH] [-o DIR] [--no-diff] [--format text|json|github]

Renders the spec in memory and compares it with the output folder, changing
nothing. It lists each drifted file as A (missing), M (modified, with a
unified diff, or an entry list for zips), D (stale: still on disk but no
longer rendered) or C (a file refreshgen does not own is in the way), lists
files that are not refreshgen's as information, and ends with the command that
fixes the drift. Exits 0 when up to date, 1 on drift, 2 when the spec is
invalid, 3 on an environment failure.

Flags:
  -o, --out DIR   compare with DIR instead of output_dir
  --no-diff       list the drifted files without their differences

Examples:
  refreshgen check -c examples/refresh.hcl
  refreshgen diff --format json | jq .modified
  refreshgen check --format github     # annotations in a GitHub workflow
`

const initUsage = `
Usage: refreshgen init [-c PATH] [--name PROJECT]

Writes a commented starter spec to PATH (default ./refresh.hcl), ready for
'refreshgen validate'. It never overwrites a file: if PATH exists it exits 2.

Flags:
  --name PROJECT   the project block's name (default myapp)

Examples:
  refreshgen init
  refreshgen init -c infra/refresh.hcl --name billing
`

const schemaUsage = `
Usage: refreshgen schema

Prints the JSON Schema (draft 2020-12) that refresh.hcl is validated with, in
the shape of HCL's JSON syntax. Editors and CI tools can use it directly.

Examples:
  refreshgen schema > refresh.schema.json
`

const versionUsage = `
Usage: refreshgen version

Prints refreshgen's version and the Go toolchain it was built with. Pin the
version a spec needs with refreshgen { required_version = ">= 0.1" }.

Examples:
  refreshgen version
`

func runSchema(e *Env, _ *options) int {
	if _, err := e.Stdout.Write(spec.Schema); err != nil {
		return ExitInternal
	}
	return ExitOK
}

func runVersion(e *Env, _ *options) int {
	fmt.Fprintln(e.Stdout, versionString())
	return ExitOK
}
