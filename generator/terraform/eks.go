package terraform

import (
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/spec"
)

func eksVariables() []*hclwrite.Block {
	association := objectOf(
		field{"cluster_name", tString()}, field{"policy_arn", tString()},
		field{"scope_type", tString()}, field{"namespaces", optional(listOf(tString()))},
	)
	return []*hclwrite.Block{
		variable("eks_clusters", "EKS clusters where the account role gets an access entry, by cluster name, with the Kubernetes groups the entry maps the role to: where refreshes repoint volume claims, the group the RBAC rendered under kubernetes/ grants; elsewhere none.",
			mapOf(objectOf(field{"kubernetes_groups", optional(setOf(tString()))})), mapping(nil)),
		variable("eks_access_policies", `EKS access policies of the account role, by "<cluster>/<policy>": the cluster, the policy's ARN, its scope type (cluster or namespace) and, for namespace scope, the namespaces.`,
			mapOf(association), mapping(nil)),
	}
}

// eksResources let the account role into the clusters: a STANDARD access
// entry each, with the access policies the spec grants at their scope and,
// where refreshes repoint volume claims, the Kubernetes group the rendered
// RBAC binds (no access policy short of cluster-admin reaches volumes).
func eksResources() []*hclwrite.Block {
	return []*hclwrite.Block{eksAccessEntry(), eksAccessPolicyAssociation()}
}

func eksOutputs() []outputDef {
	return []outputDef{
		{"eks_access_entry_arns", "ARNs of the account role's EKS access entries, by cluster.",
			forObject("cluster", "entry", ref("aws_eks_access_entry.this"), ident("cluster"), ref("entry.access_entry_arn"), nil)},
	}
}

func eksAccessEntry() *hclwrite.Block {
	return resource("aws_eks_access_entry", "this", forEach(ref("var.eks_clusters")),
		attr("cluster_name", ref("each.key")),
		attr("principal_arn", ref("local.role_arn")),
		attr("type", str("STANDARD")),
		attr("kubernetes_groups", ref("each.value.kubernetes_groups")),
	)
}

func eksAccessPolicyAssociation() *hclwrite.Block {
	entry := func(attribute string) expr {
		return get(index(ref("aws_eks_access_entry.this"), ref("each.value.cluster_name")), attribute)
	}
	return resource("aws_eks_access_policy_association", "this", forEach(ref("var.eks_access_policies")),
		attr("cluster_name", entry("cluster_name")),
		attr("principal_arn", entry("principal_arn")),
		attr("policy_arn", ref("each.value.policy_arn")),
		blank(),
		child(nested("access_scope", attr("type", ref("each.value.scope_type")), attr("namespaces", ref("each.value.namespaces")))),
	)
}

// eksArgs grant the account role the access policies of the EKS clusters
// of account a; no namespaces means cluster scope. In the clusters where
// refreshes repoint volume claims, the access entry maps the role to the
// group the rendered RBAC grants.
func (r *renderer) eksArgs(a *spec.Account) []item {
	storage := map[string]bool{}
	for _, c := range kubernetes.Clusters(r.spec) {
		if c.Account == a {
			storage[c.ClusterName] = true
		}
	}
	var clusters, policies []entry
	seen := map[string]bool{}
	for _, c := range r.spec.EKSClusters {
		if c.Account != a {
			continue
		}
		if !seen[c.ClusterName] { // two eks blocks may name one cluster: one entry
			seen[c.ClusterName] = true
			var fields []field
			if storage[c.ClusterName] {
				fields = append(fields, field{"kubernetes_groups", strs([]string{r.names.KubernetesGroup()})})
			}
			clusters = append(clusters, entry{c.ClusterName, object(fields...)})
		}
		for _, p := range c.AccessPolicies {
			fields := []field{{"cluster_name", str(c.ClusterName)}, {"policy_arn", str(p.PolicyARN)}, {"scope_type", str("cluster")}}
			if len(p.Namespaces) > 0 {
				fields[2] = field{"scope_type", str("namespace")}
				fields = append(fields, field{"namespaces", strs(p.Namespaces)})
			}
			policies = append(policies, entry{c.ClusterName + "/" + p.Name, object(fields...)})
		}
	}
	if len(clusters) == 0 {
		return nil
	}
	return []item{attr("eks_clusters", mapping(clusters)), attr("eks_access_policies", mapping(policies))}
}
