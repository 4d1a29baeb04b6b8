package simulate

import (
	"strings"
	"sync"
	"testing"

	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/sim"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/spec/spectest"
	"github.com/refreshgen/refreshgen/workflows"
)

// The specs the tests run: the example and the one with every feature.
const (
	exampleSpec = "../examples/refresh.hcl"
	goldenSpec  = "../testdata/golden/render-every-feature/refresh.hcl"
)

var specPaths = []string{exampleSpec, goldenSpec}

// estate is a spec with its machines and roles, generated once per test
// binary: the tests only read them.
type estate struct {
	path     string
	name     string // short(path)
	spec     *spec.Spec
	machines []workflows.Machine
	roles    []roles.Role
}

var (
	estatesMu sync.Mutex
	estates   = map[string]*estate{}
)

// load is the spec at path with its machines and roles.
func load(t testing.TB, path string) *estate {
	t.Helper()
	estatesMu.Lock()
	defer estatesMu.Unlock()
	name := short(path)
	if e := estates[name]; e != nil {
		return e
	}
	s := spectest.Load(t, path)
	ms, err := workflows.Generate(s)
	if err != nil {
		// The workflows' own tests report these; the simulation shows
		// what they do.
		t.Logf("generation problems (not the simulator's): %v", err)
	}
	rs, err := roles.Derive(s, ms)
	if err != nil {
		t.Fatalf("deriving the roles of %s: %v", path, err)
	}
	e := &estate{path: path, name: name, spec: s, machines: ms, roles: rs}
	estates[name] = e
	return e
}

// short names a spec in test names and tables: example or golden.
func short(path string) string {
	if path == goldenSpec {
		return "golden"
	}
	return "example"
}

// iamGap is an IAM refusal the simulation meets in a healthy run, caused
// by a known bug outside the simulator: the tests let the call through
// (Options.waive), so that the rest of the run is still checked, and fail
// once the gap is gone, so that the entry is removed with the fix.
type iamGap struct {
	spec   string // exampleSpec or goldenSpec; "" for both
	action string // the IAM action refused
	// resource is a part of the refused resource ARN ("" for any).
	resource string
	why      string
}

// knownIAMGaps are the refusals of the generated policies that AWS would
// not make, or that show a bug of the workflows, as of this writing.
var knownIAMGaps = []iamGap{
	{spec: goldenSpec, action: "elasticfilesystem:DeleteReplicationConfiguration",
		why: "finish_replication deletes the replication as the destination role (the source role's guardrails deny every " +
			"elasticfilesystem:Delete*), naming the source file system by its ID, as the API requires; AWS documents deleting " +
			"from the destination but not which file system ARN it authorises: the policies grant the target's, the Authorizer " +
			"reads the source's ID as a file system of the destination account"},
}

// gapOf returns the known gap a refusal is, or nil.
func gapOf(path string, f *sim.Failure) *iamGap {
	for i, g := range knownIAMGaps {
		if (g.spec == "" || g.spec == path) && strings.Contains(f.Cause, "perform: "+g.action+" ") &&
			(g.resource == "" || strings.Contains(f.Cause, g.resource)) {
			return &knownIAMGaps[i]
		}
	}
	return nil
}

// gaps records the known IAM gaps a run met.
type gaps struct {
	path string
	mu   sync.Mutex
	met  map[*iamGap]int
}

func newGaps(path string) *gaps { return &gaps{path: path, met: map[*iamGap]int{}} }

// waive lets a known gap through.
func (g *gaps) waive(_ sim.Call, f *sim.Failure) bool {
	gap := gapOf(g.path, f)
	if gap == nil {
		return false
	}
	g.mu.Lock()
	g.met[gap]++
	g.mu.Unlock()
	return true
}

// run runs a refresh of e with the known IAM gaps waived.
func (e *estate) run(t testing.TB, refresh string, opts Options) (*Result, *gaps) {
	t.Helper()
	g := newGaps(e.path)
	opts.Refresh, opts.waive = refresh, g.waive
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	res, err := Run(e.spec, e.machines, e.roles, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, g
}

// outcome is a run's end in one line.
func outcome(x *sim.Execution) string {
	s := string(x.Status)
	if x.Error != "" {
		s += " " + x.Error
	}
	if x.Cause != "" {
		s += ": " + truncate(x.Cause, 300)
	}
	return s
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
