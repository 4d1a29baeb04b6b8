package cli

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/iam/iamcheck"
	"github.com/refreshgen/refreshgen/internal/validators"
)

// seedWorkflows are the workflows the README of the module refreshgen
// re-imagines lists (../shared/reference/seed-README.md), by group: its
// users find each of them, under the same name, in every rendered tree.
var seedWorkflows = map[string][]string{
	"db": {"configure_s3_integration", "create_instance", "create_manual_snapshot", "delete_cluster",
		"enable_master_secret", "ensure_cluster_available", "ensure_cluster_not_exists", "list_shared_snapshots",
		"rename_cluster", "restore_cluster", "rotate_secrets", "run_mysqldump_on_eks", "run_mysqlimport_on_eks",
		"run_sql_from_s3", "run_sql_lambda", "share_snapshot", "stop_cluster"},
	"efs": {"create_filesystem", "delete_filesystem", "get_subpath_and_store_in_ssm", "restore_from_backup",
		"setup_cross_account_replication", "wait_replication_complete"},
	"eks":   {"manage_storage", "scale_nodegroup_asg"},
	"utils": {"cleanup_and_stop", "notify", "prepare_refresh", "run_archive_job", "tag_resources"},
}

func TestSeedWorkflowsAreRendered(t *testing.T) {
	for group, keys := range seedWorkflows {
		for _, key := range keys {
			if !fileExists(filepath.Join("..", "out", "stepfunctions", group, key+".asl.json")) {
				t.Errorf("out/stepfunctions/%s/%s.asl.json is missing", group, key)
			}
		}
	}
}

// renderedTrees are the committed rendered trees: out/ and the golden
// cases' output folders.
func renderedTrees(t *testing.T) []string {
	trees := []string{filepath.Join("..", "out")}
	for _, name := range goldenCases(t) {
		for _, sub := range []string{"have", "want"} {
			if dir := filepath.Join(goldenDir, name, sub); fileExists(dir) {
				trees = append(trees, dir)
			}
		}
	}
	return trees
}

// filesUnder lists the files of the trees below a folder named under
// whose path ends with suffix, one per distinct content: the golden trees
// share most of their files, and the validators take seconds per file.
func filesUnder(t *testing.T, trees []string, under, suffix string) []string {
	var out []string
	seen := map[[sha256.Size]byte]bool{}
	for _, tree := range trees {
		err := filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
			rel, _ := filepath.Rel(tree, p)
			if err != nil || d.IsDir() || !strings.HasSuffix(p, suffix) || !strings.HasPrefix(rel, under+string(filepath.Separator)) {
				return err
			}
			data, err := os.ReadFile(p)
			if sum := sha256.Sum256(data); err == nil && !seen[sum] {
				seen[sum] = true
				out = append(out, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestRenderedStateMachinesPassASLCheck runs AWS's ASL language service
// and asl-validator (../shared/tools/asl-check) on every state machine of
// every committed tree, and wants no finding, warnings included.
func TestRenderedStateMachinesPassASLCheck(t *testing.T) {
	tool := validators.Require(t, "asl-check")
	files := filesUnder(t, renderedTrees(t), "stepfunctions", ".asl.json")
	if len(files) == 0 {
		t.Fatal("no state machine found")
	}
	out, err := exec.Command(tool, files...).CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	if want := "0 error findings, 0 warnings"; err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("asl-check found problems (want %q):\n%s", want, out)
	}
	t.Logf("%d files: %s", len(files), lastLine(string(out)))
}

// TestRenderedPoliciesPassIAMCheck runs iam-check's grammar, action and
// condition-key checks on every policy file of every committed tree.
func TestRenderedPoliciesPassIAMCheck(t *testing.T) {
	tool := iamcheck.Require(t)
	files := filesUnder(t, renderedTrees(t), "iam", ".json")
	if len(files) == 0 {
		t.Fatal("no policy found")
	}
	report, ok, err := tool.RunFiles(t.TempDir(), files...)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Fatalf("iam-check found problems:\n%s", report)
	}
	t.Logf("%d files: %s", len(files), lastLine(report))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// fileExists is true for a file or folder that is there.
func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
