package terraform_test

import (
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/generator/kubernetes"
)

// TestAccessEntryMapsTheStorageGroup: where a refresh repoints volume
// claims, the access entry maps the destination role to the group the
// rendered RBAC binds; the access policies stay as the spec declares them.
func TestAccessEntryMapsTheStorageGroup(t *testing.T) {
	ex := exampleTree(t)
	staging := ex.in.Spec.Account("staging")
	main := ex.rootFile(t, staging, "main.tf")
	for _, want := range []string{
		"  eks_clusters = {\n    \"staging-eks\" = {\n      kubernetes_groups = [\"myapp-refresh-storage\"]\n    }\n  }\n",
		`policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"`,
	} {
		if !strings.Contains(main, want) {
			t.Errorf("deployments/staging/main.tf lacks %q:\n%s", want, main)
		}
	}
	if strings.Contains(main, "AmazonEKSClusterAdminPolicy") {
		t.Error("deployments/staging/main.tf grants cluster-admin")
	}
	for _, c := range kubernetes.Clusters(ex.in.Spec) {
		if ex.tree.File(kubernetes.Path(c)) == nil {
			t.Errorf("%s is missing from the tree", kubernetes.Path(c))
		}
	}
	eks := ex.tree.File("modules/destination-account/eks.tf")
	if eks == nil || !strings.Contains(string(eks.Data), "kubernetes_groups = each.value.kubernetes_groups\n") {
		t.Errorf("the access entry does not take the cluster's Kubernetes groups:\n%s", eks.Data)
	}

	ex, err := exampleVariant(t, `
    volume "media" {
      namespace = "app"
      claim     = "media"
    }
`, "")
	if err != nil {
		t.Fatal(err)
	}
	main = ex.rootFile(t, staging, "main.tf")
	if want := "  eks_clusters = {\n    \"staging-eks\" = {}\n  }\n"; !strings.Contains(main, want) {
		t.Errorf("without volumes, deployments/staging/main.tf lacks %q:\n%s", want, main)
	}
	for _, p := range ex.tree.Paths() {
		if strings.HasPrefix(p, "kubernetes/") {
			t.Errorf("without volumes, the tree has %s", p)
		}
	}
}
