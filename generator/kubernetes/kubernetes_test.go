package kubernetes_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/names"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

const exampleSpec = "../../examples/refresh.hcl"

var loadExample = sync.OnceValues(func() (*spec.Spec, error) {
	src, err := os.ReadFile(exampleSpec)
	if err != nil {
		return nil, err
	}
	res := spec.Load(exampleSpec, src, spec.Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(filepath.Dir(exampleSpec), rel))
	}})
	if res.Diagnostics.HasErrors() {
		return nil, res.Diagnostics
	}
	return res.Spec, nil
})

func example(t *testing.T) *spec.Spec {
	t.Helper()
	s, err := loadExample()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func render(t *testing.T, s *spec.Spec) []generator.File {
	t.Helper()
	files, err := kubernetes.Render(generator.Input{Spec: s, SpecPath: "../examples/refresh.hcl"})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// grant is one thing a Role or ClusterRole allows, or one thing a call
// needs: a verb on a resource of the core API group, in a namespace ("" for
// cluster scope), on one named object or on any ("*").
type grant struct{ resource, namespace, name, verb string }

// granted reads the rules of the RBAC documents; it fails on any rule that
// is not of the core API group or on any object of another kind.
func granted(t *testing.T, docs []map[string]any) []grant {
	t.Helper()
	var out []grant
	for _, d := range docs {
		kind, _ := d["kind"].(string)
		if kind != "ClusterRole" && kind != "Role" {
			continue
		}
		ns := ""
		if kind == "Role" {
			ns = str(t, field(t, d, "metadata", "namespace"))
		}
		for _, r := range d["rules"].([]any) {
			rule := r.(map[string]any)
			if g := strs(t, rule["apiGroups"]); !slices.Equal(g, []string{""}) {
				t.Errorf("%s rule on API groups %q, want the core group only", kind, g)
			}
			for k := range rule {
				if !slices.Contains([]string{"apiGroups", "resources", "resourceNames", "verbs"}, k) {
					t.Errorf("%s rule has %s", kind, k)
				}
			}
			objects := []string{"*"}
			if rule["resourceNames"] != nil {
				objects = strs(t, rule["resourceNames"])
			}
			for _, res := range strs(t, rule["resources"]) {
				for _, o := range objects {
					for _, v := range strs(t, rule["verbs"]) {
						out = append(out, grant{res, ns, o, v})
					}
				}
			}
		}
	}
	return sorted(out)
}

// needed is what the example's workflows do through eks:call in cluster
// c, by method and path, with the namespaces and claims the spec repoints
// in place of the run-time parts of the paths.
func needed(t *testing.T, s *spec.Spec, c kubernetes.Cluster) []grant {
	t.Helper()
	machines, err := workflows.Generate(s)
	if err != nil {
		t.Fatal(err)
	}
	role := names.New(s).AccountRoleARN(c.Account)
	var out []grant
	calls := 0
	for _, call := range workflows.Inventory(machines) {
		if call.Integration.Service != "eks" || call.Integration.Action != "call" ||
			!slices.Contains(call.Params["ClusterName"].Static, c.ClusterName) {
			continue
		}
		calls++
		if !slices.Equal(call.Role.Static, []string{role}) {
			t.Errorf("%s %s calls Kubernetes as %v, want the account role %s", call.Machine.Name, call.State, call.Role, role)
		}
		methods, paths := call.Params["Method"], call.Params["Path"]
		if methods.Unknown || paths.Unknown {
			t.Fatalf("%s %s: method or path unknown at generation time", call.Machine.Name, call.State)
		}
		for _, m := range methods.Static {
			for _, p := range paths.Static {
				out = append(out, apiGrants(t, c, m, p)...)
			}
		}
	}
	if calls == 0 {
		t.Fatalf("no eks:call in cluster %s", c.ClusterName)
	}
	return sorted(out)
}

// apiGrants maps one call to what Kubernetes authorizes it as.
func apiGrants(t *testing.T, c kubernetes.Cluster, method, path string) []grant {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	if !strings.HasPrefix(path, "/api/v1/") {
		t.Fatalf("%s %s: not the core API group", method, path)
	}
	namespaced := len(parts) >= 3 && parts[0] == "namespaces"
	if namespaced {
		if parts[1] != "*" {
			t.Fatalf("%s %s: a fixed namespace", method, path)
		}
		parts = parts[2:]
	}
	resource, named := parts[0], len(parts) == 2
	if len(parts) > 2 || named && parts[1] != "*" {
		t.Fatalf("%s %s: a path this test does not know", method, path)
	}
	verbs := map[[2]any]string{
		{"GET", true}: "get", {"GET", false}: "list", {"POST", false}: "create",
		{"DELETE", true}: "delete", {"DELETE", false}: "deletecollection",
		{"PUT", true}: "update", {"PATCH", true}: "patch",
	}
	verb, ok := verbs[[2]any{method, named}]
	if !ok {
		t.Fatalf("%s %s: a method this test does not know", method, path)
	}
	if !namespaced {
		return []grant{{resource, "", "*", verb}}
	}
	var out []grant
	for _, ns := range c.Namespaces {
		if !named {
			out = append(out, grant{resource, ns.Name, "*", verb})
			continue
		}
		for _, claim := range ns.Claims {
			out = append(out, grant{resource, ns.Name, claim, verb})
		}
	}
	return out
}

func sorted(gs []grant) []grant {
	slices.SortFunc(gs, func(a, b grant) int {
		return strings.Compare(a.resource+"\x00"+a.namespace+"\x00"+a.name+"\x00"+a.verb,
			b.resource+"\x00"+b.namespace+"\x00"+b.name+"\x00"+b.verb)
	})
	return slices.Compact(gs)
}

// TestExampleGrantsExactlyWhatManageStorageDoes reads the example's RBAC
// back and compares what it grants with every eks:call its workflows make:
// all of it, and nothing more.
func TestExampleGrantsExactlyWhatManageStorageDoes(t *testing.T) {
	s := example(t)
	clusters := kubernetes.Clusters(s)
	if len(clusters) != 1 || clusters[0].ClusterName != "staging-eks" || clusters[0].Account.Name != "staging" {
		t.Fatalf("clusters = %+v, want staging-eks of staging", clusters)
	}
	files := render(t, s)
	if len(files) != 1 {
		t.Fatalf("%d files, want 1", len(files))
	}
	f := files[0]
	if f.Path != "kubernetes/staging/staging-eks-rbac.yaml" || f.Kind != generator.KindKubernetes {
		t.Fatalf("file %s of kind %s, want kubernetes/staging/staging-eks-rbac.yaml of kind kubernetes", f.Path, f.Kind)
	}
	docs := parseYAML(t, f.Data)

	got, want := granted(t, docs), needed(t, s, clusters[0])
	if !slices.Equal(got, want) {
		t.Errorf("the RBAC grants\n  %v\nmanage_storage needs\n  %v", got, want)
	}
	// The example's needs, spelled out, so that a change of the workflow
	// shows here too.
	spelled := sorted([]grant{
		{"persistentvolumes", "", "*", "create"}, {"persistentvolumes", "", "*", "delete"}, {"persistentvolumes", "", "*", "get"},
		{"persistentvolumeclaims", "app", "media", "get"}, {"persistentvolumeclaims", "app", "media", "delete"},
		{"persistentvolumeclaims", "app", "*", "create"},
	})
	if !slices.Equal(got, spelled) {
		t.Errorf("the RBAC grants\n  %v\nwant\n  %v", got, spelled)
	}

	group := names.New(s).KubernetesGroup()
	if group != "myapp-refresh-storage" {
		t.Errorf("group %q, want myapp-refresh-storage", group)
	}
	wantObjects := []string{"ClusterRole//", "ClusterRoleBinding//ClusterRole", "Role/app/", "RoleBinding/app/Role"}
	var objects []string
	for _, d := range docs {
		kind := str(t, d["kind"])
		if v := str(t, d["apiVersion"]); v != "rbac.authorization.k8s.io/v1" {
			t.Errorf("%s apiVersion %s", kind, v)
		}
		if n := str(t, field(t, d, "metadata", "name")); n != group {
			t.Errorf("%s named %s, want %s", kind, n, group)
		}
		if l := field(t, d, "metadata", "labels"); len(l.(map[string]any)) != 1 || l.(map[string]any)["app.kubernetes.io/managed-by"] != "refreshgen" {
			t.Errorf("%s labels %v, want app.kubernetes.io/managed-by=refreshgen only", kind, l)
		}
		ns, _ := d["metadata"].(map[string]any)["namespace"].(string)
		ref := ""
		if strings.HasSuffix(kind, "Binding") {
			ref = str(t, field(t, d, "roleRef", "kind"))
			if n := str(t, field(t, d, "roleRef", "name")); n != group {
				t.Errorf("%s refers to %s, want %s", kind, n, group)
			}
			subjects := d["subjects"].([]any)
			want := map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}
			if len(subjects) != 1 || !equalMaps(subjects[0].(map[string]any), want) {
				t.Errorf("%s subjects %v, want only the group %s", kind, subjects, group)
			}
		}
		objects = append(objects, kind+"/"+ns+"/"+ref)
	}
	if !slices.Equal(objects, wantObjects) {
		t.Errorf("objects %v, want %v", objects, wantObjects)
	}

	text := string(f.Data)
	for _, want := range []string{
		"# Code generated by refreshgen from ../examples/refresh.hcl. DO NOT EDIT.\n",
		"#   kubectl apply -f kubernetes/staging/staging-eks-rbac.yaml\n",
		"refreshgen renders it from the spec",
		"but not create", "nor a list",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the RBAC lacks %q:\n%s", want, text)
		}
	}
}

// TestRenderingIsDeterministic renders twice, and renders volumes declared
// in another order, and wants the same bytes.
func TestRenderingIsDeterministic(t *testing.T) {
	s := example(t)
	if a, b := render(t, s), render(t, s); !slices.EqualFunc(a, b, sameFile) {
		t.Error("two renderings of the example differ")
	}
	one, other := storageSpec(false), storageSpec(true)
	a, b := render(t, one), render(t, other)
	if !slices.EqualFunc(a, b, sameFile) {
		t.Errorf("the order of the volumes changes the rendering:\n%s\n----\n%s", a[0].Data, b[0].Data)
	}
	var paths []string
	for _, f := range a {
		paths = append(paths, f.Path)
	}
	if want := []string{"kubernetes/dev/apps-rbac.yaml", "kubernetes/staging/apps-rbac.yaml"}; !slices.Equal(paths, want) {
		t.Fatalf("paths %v, want %v", paths, want)
	}
	docs := parseYAML(t, a[1].Data)
	var namespaces []string
	for _, d := range docs {
		if str(t, d["kind"]) == "Role" {
			namespaces = append(namespaces, str(t, field(t, d, "metadata", "namespace")))
		}
	}
	if want := []string{"123", "no", "web"}; !slices.Equal(namespaces, want) {
		t.Errorf("Role namespaces %v, want %v", namespaces, want)
	}
	got := granted(t, docs)
	for _, want := range []grant{{"persistentvolumeclaims", "web", "a", "get"}, {"persistentvolumeclaims", "web", "b.c", "delete"},
		{"persistentvolumeclaims", "123", "true", "get"}, {"persistentvolumeclaims", "no", "0x1", "get"}} {
		if !slices.Contains(got, want) {
			t.Errorf("the RBAC does not grant %v:\n%s", want, a[1].Data)
		}
	}
}

// storageSpec is two destinations, each with a cluster named apps whose
// claims two refreshes repoint, the volumes declared in one order or the
// reverse. Namespaces and claims that YAML would read as numbers or
// booleans test the quoting.
func storageSpec(reverse bool) *spec.Spec {
	s := &spec.Spec{Project: spec.Project{Prefix: "acme", Naming: spec.NamingKebab, Partition: "aws", Region: "eu-west-1"}}
	for _, name := range []string{"dev", "staging"} {
		a := &spec.Account{Name: name, ID: "222222222222", Role: spec.RoleDestination}
		c := &spec.EKSCluster{Name: name, Account: a, ClusterName: "apps"}
		s.Accounts, s.EKSClusters = append(s.Accounts, a), append(s.EKSClusters, c)
		vols := [][]*spec.Volume{
			{{Namespace: "web", Claim: "b.c"}, {Namespace: "123", Claim: "true"}, {Namespace: "web", Claim: "a"}},
			{{Namespace: "no", Claim: "0x1"}, {Namespace: "web", Claim: "a"}},
		}
		for i, vs := range vols {
			if reverse {
				vs = slices.Clone(vs)
				slices.Reverse(vs)
			}
			s.Refreshes = append(s.Refreshes, &spec.Refresh{Name: name + string(rune('a'+i)), Destination: a, EKS: &spec.EKSUsage{Cluster: c, Volumes: vs}})
		}
	}
	if reverse {
		slices.Reverse(s.Refreshes)
	}
	return s
}

// TestNoVolumesNoRBAC: a cluster whose claims no refresh repoints needs
// nothing beyond its access policies.
func TestNoVolumesNoRBAC(t *testing.T) {
	s := storageSpec(false)
	for _, r := range s.Refreshes {
		r.EKS.Volumes = nil
	}
	if files := render(t, s); len(files) != 0 {
		t.Errorf("%d files, want none", len(files))
	}
}

func sameFile(a, b generator.File) bool {
	return a.Path == b.Path && a.Kind == b.Kind && bytes.Equal(a.Data, b.Data)
}

func equalMaps(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func field(t *testing.T, d map[string]any, keys ...string) any {
	t.Helper()
	var v any = d
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no mapping at %s", k)
		}
		v = m[k]
	}
	return v
}

func str(t *testing.T, v any) string {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%v is not a string", v)
	}
	return s
}

func strs(t *testing.T, v any) []string {
	t.Helper()
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("%v is not a list", v)
	}
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = str(t, e)
	}
	return out
}

// parseYAML reads the subset of YAML the renderer writes, strictly: "---"
// documents of block mappings, block sequences of mappings, plain or
// double-quoted scalars and flow sequences of double-quoted strings (JSON
// arrays), two spaces an indent. Anything else fails the test, so the
// assertions above read exactly what kubectl would.
func parseYAML(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	text := string(data)
	if !strings.HasSuffix(text, "\n") {
		t.Fatal("the YAML does not end with a line break")
	}
	var docs []map[string]any
	var lines []yline
	flush := func() {
		if len(lines) > 0 {
			p := &yparser{t: t, lines: lines}
			docs = append(docs, p.mapping(0))
			if p.i != len(lines) {
				t.Fatalf("unparsed YAML from %q", lines[p.i].text)
			}
		}
		lines = nil
	}
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		trimmed := strings.TrimLeft(l, " ")
		switch {
		case l == "---":
			flush()
		case strings.HasPrefix(trimmed, "#"):
		case trimmed == "":
			t.Fatalf("an empty line in the YAML")
		case strings.HasSuffix(l, " "):
			t.Fatalf("trailing space in %q", l)
		default:
			lines = append(lines, yline{len(l) - len(trimmed), trimmed})
		}
	}
	flush()
	return docs
}

type yline struct {
	indent int
	text   string
}

type yparser struct {
	t     *testing.T
	lines []yline
	i     int
}

func (p *yparser) mapping(indent int) map[string]any {
	m := map[string]any{}
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && !strings.HasPrefix(p.lines[p.i].text, "- ") {
		l := p.lines[p.i]
		p.i++
		k, v, ok := strings.Cut(l.text, ":")
		if !ok {
			p.t.Fatalf("no key in %q", l.text)
		}
		key := p.scalar(k)
		if _, dup := m[key]; dup {
			p.t.Fatalf("key %s twice", key)
		}
		switch {
		case v != "":
			if !strings.HasPrefix(v, " ") {
				p.t.Fatalf("no space after the colon in %q", l.text)
			}
			m[key] = p.value(strings.TrimPrefix(v, " "))
		case p.i < len(p.lines) && p.lines[p.i].indent == indent+2 && strings.HasPrefix(p.lines[p.i].text, "- "):
			m[key] = p.sequence(indent + 2)
		case p.i < len(p.lines) && p.lines[p.i].indent == indent+2:
			m[key] = p.mapping(indent + 2)
		default:
			p.t.Fatalf("%s has no value", key)
		}
	}
	if p.i < len(p.lines) && p.lines[p.i].indent > indent {
		p.t.Fatalf("unexpected indentation at %q", p.lines[p.i].text)
	}
	return m
}

func (p *yparser) sequence(indent int) []any {
	var out []any
	for p.i < len(p.lines) && p.lines[p.i].indent == indent && strings.HasPrefix(p.lines[p.i].text, "- ") {
		p.lines[p.i] = yline{indent + 2, strings.TrimPrefix(p.lines[p.i].text, "- ")}
		out = append(out, p.mapping(indent+2))
	}
	return out
}

func (p *yparser) value(v string) any {
	if strings.HasPrefix(v, "[") {
		var l []string
		if err := json.Unmarshal([]byte(v), &l); err != nil {
			p.t.Fatalf("flow sequence %s: %v", v, err)
		}
		out := make([]any, len(l))
		for i, s := range l {
			out[i] = s
		}
		return out
	}
	return p.scalar(v)
}

// plainWords are plain scalars YAML would read as something else.
var plainWords = []string{"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}

func (p *yparser) scalar(v string) string {
	if strings.HasPrefix(v, `"`) {
		var s string
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			p.t.Fatalf("quoted scalar %s: %v", v, err)
		}
		return s
	}
	if v == "" || strings.ContainsAny(v, `:#[]{},&*!|>'"%@`+"`") || strings.ContainsAny(v[:1], "-0123456789.+ ") ||
		slices.Contains(plainWords, strings.ToLower(v)) {
		p.t.Fatalf("plain scalar %q would not read back as that string", v)
	}
	return v
}
