// Package cli is refreshgen's command line: flag parsing, the commands, and
// how their results reach the user. It holds no business logic; it calls
// spec (the language) and generator (the rendered tree).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
)

// Version is refreshgen's release version, checked against a spec's
// refreshgen { required_version }.
const Version = "0.1.0"

// Exit codes follow diff(1): 0 same, 1 different, 2 trouble with the input;
// refreshgen adds 3 for trouble with the environment.
const (
	ExitOK       = 0 // success; check: the tree is up to date
	ExitDrift    = 1 // check: the tree has drifted; simulate: the run did not end as expected
	ExitInput    = 2 // the user's input is wrong: spec, flags, ownership conflict
	ExitInternal = 3 // environment or internal failure: I/O, missing toolchain, bug
)

// Env is everything a command may touch outside its arguments. Run builds
// one from the process; tests build their own.
type Env struct {
	Dir    string // working directory that relative paths resolve against
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Bundles provides the Lambda bundles; nil builds them with the go
	// command on PATH (a new bundles.Builder per command). Commands that
	// share one Builder build each bundle once.
	Bundles BundleProvider
}

// BundleProvider provides the Lambda bundles of a render, given the
// output folder as it was (whose bundles may be reused).
type BundleProvider interface {
	Provider(prev *generator.Snapshot) func(generator.LambdaBundle) (zip []byte, inputs string, err error)
}

// Run runs refreshgen with the process's working directory and environment
// and returns the exit code.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "refreshgen: cannot read the working directory: %v\n", err)
		return ExitInternal
	}
	return (&Env{Dir: dir, Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}).Run(args)
}

// Run runs one refreshgen command line and returns its exit code. A panic
// is reported as an internal error (exit 3), never as a crash.
func (e *Env) Run(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.Stderr, "refreshgen: internal error: %v\nThis is a bug in refreshgen; please report it with the command you ran.\n", r)
			code = ExitInternal
		}
	}()
	name, rest := splitCommand(args)
	if name == "" {
		if hasHelpFlag(rest) {
			fmt.Fprint(e.Stdout, mainHelp())
			return ExitOK
		}
		fmt.Fprint(e.Stderr, mainHelp())
		return ExitInput
	}
	cmd := findCommand(name)
	if cmd == nil {
		return e.usageError("unknown command %q.%s Run 'refreshgen --help' for the list of commands.", name, commandSuggestion(name))
	}
	opts := &options{config: "refresh.hcl", format: "text"}
	fs := newFlagSet(cmd, opts)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.Stdout, cmd.help())
			return ExitOK
		}
		return e.usageError("%s: %v. Run 'refreshgen %s --help' for its flags.", cmd.name, err, cmd.name)
	}
	if fs.NArg() > 0 {
		return e.usageError("%s takes no arguments, but got %q. Run 'refreshgen %s --help'.", cmd.name, fs.Arg(0), cmd.name)
	}
	if !slices.Contains([]string{"text", "json", "github"}, opts.format) {
		return e.usageError("--format must be text, json or github, not %q.", opts.format)
	}
	return cmd.run(e, opts)
}

func (e *Env) usageError(format string, args ...any) int {
	fmt.Fprintf(e.Stderr, "refreshgen: "+format+"\n", args...)
	return ExitInput
}

// options are the parsed flags; each command reads the ones it declares.
type options struct {
	config  string
	format  string
	noColor bool
	out     string
	force   bool
	dryRun  bool
	noDiff  bool
	verbose bool
	name    string
	// simulate
	refresh  string
	workflow string
	scenario string
	seed     uint64
}

// valueFlags are the flags that take a value; splitCommand needs them to
// tell a flag's value from the command name.
var valueFlags = []string{"c", "config", "format", "o", "out", "name", "refresh", "workflow", "scenario", "seed"}

// splitCommand finds the command among the arguments, so global flags may
// come before or after it: refreshgen -c x.hcl validate == refreshgen validate -c x.hcl.
func splitCommand(args []string) (string, []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return a, append(slices.Clone(args[:i]), args[i+1:]...)
		}
		name := strings.TrimLeft(a, "-")
		if !strings.Contains(name, "=") && slices.Contains(valueFlags, name) {
			i++ // skip the flag's value
		}
	}
	return "", args
}

func hasHelpFlag(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "--help" || a == "-help" })
}

// newFlagSet declares the global flags and the command's own.
func newFlagSet(cmd *command, o *options) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are worded by usageError
	fs.StringVar(&o.config, "c", o.config, "")
	fs.StringVar(&o.config, "config", o.config, "")
	fs.StringVar(&o.format, "format", o.format, "")
	fs.BoolVar(&o.noColor, "no-color", false, "")
	if cmd.flags != nil {
		cmd.flags(fs, o)
	}
	return fs
}

// path resolves a user-given path against the working directory.
func (e *Env) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.Dir, p)
}

// color reports whether to write colour: only to a terminal, and never when
// the user or the NO_COLOR convention turned it off.
func (e *Env) color(o *options, w io.Writer) bool {
	if o.noColor || e.Getenv("NO_COLOR") != "" || e.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

func versionString() string {
	return fmt.Sprintf("refreshgen %s (%s %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
