// Package kubernetes renders the Kubernetes RBAC that lets a destination
// role repoint volume claims, one YAML file per EKS cluster where a
// refresh repoints any.
//
// The destination role reaches a cluster through an EKS access entry. EKS
// access policies mirror the view, edit, admin and cluster-admin roles,
// and only cluster-admin reaches persistent volumes, which are
// cluster-scoped. So the access entry also maps the role to a Kubernetes
// group (names.KubernetesGroup; the Terraform renderer adds it), and the
// objects rendered here grant that group exactly the calls the
// manage_storage workflow makes through eks:call, and nothing else.
// Terraform does not apply them: it would need credentials inside every
// cluster. People apply them with kubectl.
package kubernetes

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
)

// What manage_storage does through eks:call, as Kubernetes authorizes it
// (the core API group, ""):
//
//	GET    /api/v1/persistentvolumes/<name>                       get
//	POST   /api/v1/persistentvolumes                              create
//	DELETE /api/v1/persistentvolumes/<name>                       delete
//	GET    /api/v1/namespaces/<ns>/persistentvolumeclaims/<claim> get
//	DELETE /api/v1/namespaces/<ns>/persistentvolumeclaims/<claim> delete
//	POST   /api/v1/namespaces/<ns>/persistentvolumeclaims         create
//
// Nothing lists, watches, updates or patches. The tests check these
// tables against every eks:call of the example's workflows.
var (
	// VolumeVerbs are granted on every persistent volume: the volumes
	// manage_storage creates are named after the run, and the one it reads
	// is whatever the claim was bound to.
	VolumeVerbs = []string{"create", "delete", "get"}
	// ClaimVerbs are granted on the claims the spec names (resourceNames).
	ClaimVerbs = []string{"delete", "get"}
	// ClaimCreateVerbs are granted on every claim of the namespace: a
	// create cannot be limited by resourceNames.
	ClaimCreateVerbs = []string{"create"}
)

// Cluster is one EKS cluster whose claims refreshes repoint.
type Cluster struct {
	Account     *spec.Account
	ClusterName string
	Namespaces  []Namespace // sorted by name
}

// Namespace is the claims repointed in one namespace.
type Namespace struct {
	Name   string
	Claims []string // sorted, each once
}

// Clusters lists the EKS clusters some refresh repoints a volume claim in,
// by account and cluster name (two eks blocks naming one cluster are one
// cluster). The Terraform renderer maps the account role to the group in
// exactly these.
func Clusters(s *spec.Spec) []Cluster {
	type key struct{ account, cluster string }
	claims := map[key]map[string][]string{}
	accounts := map[string]*spec.Account{}
	for _, r := range s.Refreshes {
		if r.EKS == nil {
			continue
		}
		c := r.EKS.Cluster
		k := key{c.Account.Name, c.ClusterName}
		for _, v := range r.EKS.Volumes {
			if claims[k] == nil {
				claims[k] = map[string][]string{}
				accounts[k.account] = c.Account
			}
			claims[k][v.Namespace] = append(claims[k][v.Namespace], v.Claim)
		}
	}
	out := make([]Cluster, 0, len(claims))
	for k, byNS := range claims {
		c := Cluster{Account: accounts[k.account], ClusterName: k.cluster}
		for ns, cs := range byNS {
			slices.Sort(cs)
			c.Namespaces = append(c.Namespaces, Namespace{Name: ns, Claims: slices.Compact(cs)})
		}
		slices.SortFunc(c.Namespaces, func(a, b Namespace) int { return strings.Compare(a.Name, b.Name) })
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Cluster) int {
		return cmp.Or(strings.Compare(a.Account.Name, b.Account.Name), strings.Compare(a.ClusterName, b.ClusterName))
	})
	return out
}

// Path is where the RBAC of a cluster lands. The account's folder keeps
// apart clusters of one name in two accounts (cluster names are only
// unique within an account).
func Path(c Cluster) string {
	return "kubernetes/" + c.Account.Name + "/" + c.ClusterName + "-rbac.yaml"
}

// Render returns the RBAC of every cluster whose claims refreshes repoint.
func Render(in generator.Input) ([]generator.File, error) {
	n := names.New(in.Spec)
	var files []generator.File
	for _, c := range Clusters(in.Spec) {
		files = append(files, generator.File{
			Path: Path(c),
			Kind: generator.KindKubernetes,
			Data: RBAC(c, n.KubernetesGroup(), n.AccountRoleARN(c.Account), in.SpecPath),
		})
	}
	return files, nil
}

// The label of every object refreshgen renders, the one its volumes carry.
const (
	managedByLabel = "app.kubernetes.io/managed-by"
	managedByValue = "refreshgen"
	rbacAPIVersion = "rbac.authorization.k8s.io/v1"
	rbacAPIGroup   = "rbac.authorization.k8s.io"
)

// RBAC is the YAML of one cluster: a ClusterRole on persistent volumes and
// its ClusterRoleBinding to group, then a Role on the claims of each
// namespace and its RoleBinding. Every object is named after the group.
// roleARN is the role the access entry maps to group (for the comment);
// specPath is the spec as the output folder sees it.
func RBAC(c Cluster, group, roleARN, specPath string) []byte {
	w := &writer{}
	w.comment(
		fmt.Sprintf("Code generated by refreshgen from %s. DO NOT EDIT.", specPath),
		"",
		fmt.Sprintf("Kubernetes RBAC of the EKS cluster %s, account %s (%s).", c.ClusterName, c.Account.Name, c.Account.ID),
		"refreshgen renders it from the spec's eks volume blocks. The access entry of",
		roleARN,
		fmt.Sprintf("(Terraform, %s) maps that role to the Kubernetes group", generator.RootDir(c.Account)),
		group+", and these objects grant the group exactly what the",
		"manage_storage workflow does when it repoints a claim at a refreshed file",
		"system: EKS access policies reach persistent volumes only with cluster-admin.",
		"",
		"Apply it from the output folder, as someone who may manage RBAC in the cluster:",
		"  kubectl apply -f "+Path(c),
		"and again after each render that changes it (kubectl apply does not delete",
		"an object a new rendering drops: delete that by hand).",
	)
	labels := [][2]string{{managedByLabel, managedByValue}}

	w.document(
		"Persistent volumes are cluster-scoped, and resourceNames cannot narrow this",
		"rule: manage_storage names each volume it creates after the claim and the run",
		"(<claim>-<MD5 of the run token>), and reads the volume a claim was bound to,",
		"whatever its name. It deletes only the volumes labelled",
		managedByLabel+"="+managedByValue+", a check RBAC cannot express.",
		"Nothing lists, watches, updates or patches volumes.",
	)
	w.kv(0, "apiVersion", rbacAPIVersion)
	w.kv(0, "kind", "ClusterRole")
	w.metadata(group, "", labels)
	w.key(0, "rules")
	w.rule([]string{"persistentvolumes"}, nil, VolumeVerbs)

	w.document()
	w.kv(0, "apiVersion", rbacAPIVersion)
	w.kv(0, "kind", "ClusterRoleBinding")
	w.metadata(group, "", labels)
	w.roleRef("ClusterRole", group)
	w.subjects(group)

	for _, ns := range c.Namespaces {
		w.document(
			"The claims refreshes repoint in namespace "+ns.Name+". resourceNames can limit",
			"get, delete, patch and update to named objects, but not create (Kubernetes",
			"authorizes a create before the new object's name is known) nor a list: so",
			"get and delete are limited to these claims, create is granted on every claim",
			"of the namespace, and list, which manage_storage never uses (it reads each",
			"claim by name), is not granted. Nothing watches, updates or patches claims.",
		)
		w.kv(0, "apiVersion", rbacAPIVersion)
		w.kv(0, "kind", "Role")
		w.metadata(group, ns.Name, labels)
		w.key(0, "rules")
		w.rule([]string{"persistentvolumeclaims"}, ns.Claims, ClaimVerbs)
		w.rule([]string{"persistentvolumeclaims"}, nil, ClaimCreateVerbs)

		w.document()
		w.kv(0, "apiVersion", rbacAPIVersion)
		w.kv(0, "kind", "RoleBinding")
		w.metadata(group, ns.Name, labels)
		w.roleRef("Role", group)
		w.subjects(group)
	}
	return []byte(w.b.String())
}

// writer writes the small subset of YAML the RBAC needs: block mappings,
// block sequences of mappings, and flow sequences of double-quoted
// strings, two spaces an indent, keys in the order written.
type writer struct {
	b strings.Builder
}

// comment writes "# " lines; a line break inside a line (a spec path may
// hold one) cannot end the comment early.
func (w *writer) comment(lines ...string) {
	for _, l := range lines {
		l = strings.NewReplacer("\n", " ", "\r", " ").Replace(l)
		if l == "" {
			w.b.WriteString("#\n")
			continue
		}
		w.b.WriteString("# " + l + "\n")
	}
}

// document starts a YAML document, with an optional comment above it.
func (w *writer) document(about ...string) {
	w.b.WriteString("---\n")
	w.comment(about...)
}

func (w *writer) indent(level int) { w.b.WriteString(strings.Repeat("  ", level)) }

// key writes "key:" and leaves its value to the next lines.
func (w *writer) key(level int, k string) {
	w.indent(level)
	w.b.WriteString(scalar(k) + ":\n")
}

func (w *writer) kv(level int, k, v string) {
	w.indent(level)
	w.b.WriteString(scalar(k) + ": " + scalar(v) + "\n")
}

func (w *writer) list(level int, k string, vs []string) {
	w.indent(level)
	w.b.WriteString(scalar(k) + ": " + flow(vs) + "\n")
}

func (w *writer) metadata(name, namespace string, labels [][2]string) {
	w.key(0, "metadata")
	w.kv(1, "name", name)
	if namespace != "" {
		w.kv(1, "namespace", namespace)
	}
	w.key(1, "labels")
	for _, l := range labels {
		w.kv(2, l[0], l[1])
	}
}

// rule is one PolicyRule of the core API group; no resourceNames means
// every object of the resources.
func (w *writer) rule(resources, resourceNames, verbs []string) {
	w.b.WriteString("  - apiGroups: " + flow([]string{""}) + "\n")
	w.list(2, "resources", resources)
	if len(resourceNames) > 0 {
		w.list(2, "resourceNames", resourceNames)
	}
	w.list(2, "verbs", verbs)
}

func (w *writer) roleRef(kind, name string) {
	w.key(0, "roleRef")
	w.kv(1, "apiGroup", rbacAPIGroup)
	w.kv(1, "kind", kind)
	w.kv(1, "name", name)
}

func (w *writer) subjects(group string) {
	w.key(0, "subjects")
	w.b.WriteString("  - apiGroup: " + scalar(rbacAPIGroup) + "\n")
	w.kv(2, "kind", "Group")
	w.kv(2, "name", group)
}

// plain matches the strings written without quotes: they start with a
// letter and hold nothing YAML reads as syntax.
var plain = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9./_-]*$`)

// yamlWords are plain strings that YAML 1.1 readers take for booleans or
// null.
var yamlWords = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
	"true": true, "false": true, "null": true,
}

// scalar writes s plain when that reads back as the same string, and
// double-quoted otherwise (a claim named 123 or no stays a string).
func scalar(s string) string {
	if plain.MatchString(s) && !yamlWords[strings.ToLower(s)] {
		return s
	}
	return quoted(s)
}

// quoted is s as a double-quoted YAML string: JSON's escapes are YAML's.
func quoted(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

// flow is a flow sequence of double-quoted strings.
func flow(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = quoted(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
