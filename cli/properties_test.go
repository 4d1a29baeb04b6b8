package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/spec/spectest"
)

// The properties below hold for every golden case whose spec is valid: the
// rendering is deterministic, render then check agrees, a second render
// changes nothing, and an interrupted render converges.

// validCases returns the golden cases with a valid spec.
func validCases(t *testing.T) []string {
	var out []string
	for _, name := range goldenCases(t) {
		if !strings.HasPrefix(name, "invalid-") && fileExists(filepath.Join(goldenDir, name, "refresh.hcl")) {
			out = append(out, name)
		}
	}
	return out
}

// inputCopy copies a case's inputs (not its expected files, not have/) into a
// fresh folder and returns it.
func inputCopy(t *testing.T, name string) string {
	dir := t.TempDir()
	copyTree(t, filepath.Join(goldenDir, name), dir, isInput)
	return dir
}

// run runs a command line in dir and returns its exit code and output.
func run(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	env := &Env{Dir: dir, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }, Bundles: fakeBundles{}}
	return env.Run(args), out.String()
}

func mustRun(t *testing.T, dir string, want int, args ...string) string {
	t.Helper()
	code, out := run(t, dir, args...)
	if code != want {
		t.Fatalf("refreshgen %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}

func TestRenderIsDeterministic(t *testing.T) {
	for _, name := range validCases(t) {
		t.Run(name, func(t *testing.T) {
			dir := inputCopy(t, name)
			mustRun(t, dir, ExitOK, "render", "-o", "a")
			mustRun(t, dir, ExitOK, "render", "-o", "b")
			compareTrees(t, filepath.Join(dir, "a"), filepath.Join(dir, "b"), "two renders of one spec differ")
		})
	}
}

// TestRenderIgnoresGOMAXPROCS renders every case with one processor and
// with all of them; the bytes must not depend on scheduling.
func TestRenderIgnoresGOMAXPROCS(t *testing.T) {
	for _, name := range validCases(t) {
		dir := inputCopy(t, name)
		prev := runtime.GOMAXPROCS(1)
		mustRun(t, dir, ExitOK, "render", "-o", "one")
		runtime.GOMAXPROCS(prev)
		mustRun(t, dir, ExitOK, "render", "-o", "all")
		compareTrees(t, filepath.Join(dir, "one"), filepath.Join(dir, "all"), name+": GOMAXPROCS changes the output")
	}
}

func TestRenderThenCheckAgrees(t *testing.T) {
	for _, name := range validCases(t) {
		t.Run(name, func(t *testing.T) {
			dir := inputCopy(t, name)
			mustRun(t, dir, ExitOK, "render")
			mustRun(t, dir, ExitOK, "check")
		})
	}
}

// TestSecondRenderChangesNothing renders twice: the second run must write
// nothing, so every file keeps its modification time.
func TestSecondRenderChangesNothing(t *testing.T) {
	for _, name := range validCases(t) {
		t.Run(name, func(t *testing.T) {
			dir := inputCopy(t, name)
			mustRun(t, dir, ExitOK, "render")
			out := filepath.Join(dir, "out")
			old := time.Now().Add(-time.Hour).Truncate(time.Second)
			setMtimes(t, out, old)
			msg := mustRun(t, dir, ExitOK, "render")
			if !strings.Contains(msg, " 0 created, 0 updated, 0 deleted") {
				t.Errorf("second render changed something: %s", msg)
			}
			for p, mtime := range mtimes(t, out) {
				if !mtime.Equal(old) {
					t.Errorf("%s was rewritten (mtime %v)", p, mtime)
				}
			}
		})
	}
}

// TestInterruptedRenderConverges leaves the output folder the way a render
// that crashed part-way would (apply writes creates and updates first, then
// deletions, then the manifest; a crash can also leave a temporary file)
// and checks that the next render reaches the same tree as a clean one.
func TestInterruptedRenderConverges(t *testing.T) {
	for _, name := range validCases(t) {
		t.Run(name, func(t *testing.T) {
			dir := inputCopy(t, name)
			mustRun(t, dir, ExitOK, "render", "-o", "clean")
			_, _, plan, code := (&Env{Dir: dir, Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: os.Getenv, Bundles: fakeBundles{}}).
				prepare(&options{config: "refresh.hcl", format: "text", out: "crashed"})
			if code != ExitOK {
				t.Fatalf("prepare: exit %d", code)
			}
			writes := plan.Select(generator.Create, generator.Update)
			for _, c := range writes[:len(writes)/2] { // half the files made it
				target := filepath.Join(dir, "crashed", filepath.FromSlash(c.Path))
				if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(target, c.New.Data, c.New.Mode); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(filepath.Join(dir, "crashed"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "crashed", ".refreshgen-tmp-123"), []byte("half"), 0o600); err != nil {
				t.Fatal(err)
			}
			mustRun(t, dir, ExitOK, "render", "-o", "crashed")
			mustRun(t, dir, ExitOK, "check", "-o", "crashed")
			compareTrees(t, filepath.Join(dir, "clean"), filepath.Join(dir, "crashed"), "an interrupted render did not converge")
		})
	}
}

// TestCommittedOutputIsCurrent is the project eating its own dog food: the
// committed out/ must be exactly what examples/refresh.hcl renders.
func TestCommittedOutputIsCurrent(t *testing.T) {
	var buf bytes.Buffer
	env := &Env{Dir: "..", Stdin: strings.NewReader(""), Stdout: &buf, Stderr: &buf, Getenv: func(string) string { return "" }, Bundles: testBundles}
	code, out := env.Run([]string{"check", "-c", "examples/refresh.hcl"}), buf.String()
	if code != ExitOK {
		t.Fatalf("out/ has drifted from examples/refresh.hcl; run: go run ./cmd/refreshgen render -c examples/refresh.hcl\n%s", out)
	}
}

// TestRemovingARefreshRemovesOnlyItsFiles is the acceptance scenario: drop
// the example's last refresh and render again. Its own files go (its
// orchestrator, the orchestrator's role, its SQL); a file that named the
// refresh or its destination account may change (a policy granting on its
// resources, the Terraform root that deploys them); every other file keeps
// its bytes and its mtime, and nothing rendered still names what went.
func TestRemovingARefreshRemovesOnlyItsFiles(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, "../examples", dir, func(string) bool { return true })
	mustRun(t, dir, ExitOK, "render", "-o", "out")
	out := filepath.Join(dir, "out")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	setMtimes(t, out, old)
	before := listTree(t, out)

	src, err := os.ReadFile(filepath.Join(dir, "refresh.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	last := strings.LastIndex(string(src), "\nrefresh \"")
	removed := strings.Split(string(src[last+len("\nrefresh \""):]), "\"")[0]
	s := spectest.Load(t, filepath.Join(dir, "refresh.hcl"))
	i := slices.IndexFunc(s.Refreshes, func(r *spec.Refresh) bool { return r.Name == removed })
	dst := s.Refreshes[i].Destination
	if err := os.WriteFile(filepath.Join(dir, "refresh.hcl"), src[:last+1], 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, ExitOK, "render", "-o", "out")
	after := listTree(t, out)
	times := mtimes(t, out)

	n := names.New(s)
	own := []string{"stepfunctions/orchestrator/" + removed + ".asl.json", "sql/" + removed + "/",
		"/" + n.OrchestratorRole(&spec.Refresh{Name: removed}) + "/"}
	// What named the refresh, or its destination (which no refresh uses
	// any more, so that its roles go too), may change or go.
	mentions := regexp.MustCompile(`\b(` + regexp.QuoteMeta(removed) + `|` + dst.ID + `)\b`)
	for p, f := range before {
		_, kept := after[p]
		switch {
		case slices.ContainsFunc(own, func(o string) bool { return strings.Contains("/"+p, o) }):
			if kept {
				t.Errorf("%s of the removed refresh %q is still there", p, removed)
			}
		case mentions.Match(f.data) || strings.HasPrefix(p, "iam/"+dst.Name+"/") || strings.HasPrefix(p, "deployments/"+dst.Name+"/"):
		case !kept || !bytes.Equal(after[p].data, f.data) || !times[p].Equal(old):
			t.Errorf("%s changed although it never named refresh %q", p, removed)
		}
	}
	for p, f := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s appeared", p)
		}
		if bytes.Contains(f.data, []byte(n.OrchestratorRole(&spec.Refresh{Name: removed}))) {
			t.Errorf("%s still names the removed refresh's orchestrator role", p)
		}
	}
}

func setMtimes(t *testing.T, root string, mtime time.Time) {
	t.Helper()
	for p := range listTree(t, root) {
		if err := os.Chtimes(filepath.Join(root, p), mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
}

func mtimes(t *testing.T, root string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	for p := range listTree(t, root) {
		info, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		out[p] = info.ModTime()
	}
	return out
}
