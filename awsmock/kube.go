package awsmock

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/generator/kubernetes"
	"github.com/refreshgen/refreshgen/sim"
)

// kube is the part of a cluster's Kubernetes API the workflows use:
// persistent volume claims and volumes, and the workloads whose pods use
// the claims.
type kube struct {
	claims  map[string]*kubeObject // by namespace/name
	volumes map[string]*kubeObject // by name
	// users are the claims (namespace/name) a workload's pods mount: such a
	// claim goes, once deleted, only when no pod runs (kubernetes.io/
	// pvc-protection), which on a cluster scaled to zero nodes is at once.
	users   map[string]bool
	version int // resourceVersion
}

type kubeObject struct {
	body      map[string]any
	deletedAt time.Time // zero unless a deletion waits on a finalizer
}

func newKube() *kube {
	return &kube{claims: map[string]*kubeObject{}, volumes: map[string]*kubeObject{}, users: map[string]bool{}}
}

// kubeResponse is what eks:call returns.
func kubeResponse(code int, body map[string]any) map[string]any {
	text := map[int]string{200: "OK", 201: "Created"}[code]
	return map[string]any{"ResponseBody": body, "StatusCode": code, "StatusText": text,
		"Headers": map[string]any{"Content-Type": []any{"application/json"}}}
}

// kubeError fails an eks:call as Step Functions does for an HTTP error
// status: the error is EKS.<status>, the cause the API server's Status.
func kubeError(code int, reason, format string, args ...any) *sim.Failure {
	msg := fmt.Sprintf(format, args...)
	return failf(fmt.Sprintf("EKS.%d", code), "%s", jsonText(map[string]any{
		"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": msg, "reason": reason, "code": code,
	}))
}

// eksTarget resolves the cluster of an eks:call or eks:runJob and checks
// the endpoint and CA the call connects with are the cluster's.
func (w *World) eksTarget(r *request) (*eksCluster, *sim.Failure) {
	name, err := r.required("ClusterName")
	if err != nil {
		return nil, err
	}
	endpoint, _ := r.str("Endpoint")
	ca, _ := r.str("CertificateAuthority")
	c := r.acct.eks[name]
	if c == nil {
		return nil, failf(asl.ErrTaskFailed, "awsmock: no EKS cluster %s in account %s", name, r.acct.id)
	}
	if endpoint != c.endpoint || ca != c.ca {
		return nil, failf(asl.ErrTaskFailed, "Could not connect to the Kubernetes API of %s: the Endpoint or CertificateAuthority is not the cluster's", name)
	}
	return c, nil
}

// eksCall serves the Kubernetes API paths of persistent volumes and
// claims; any other path fails loudly.
func (w *World) eksCall(r *request) (any, *sim.Failure) {
	c, err := w.eksTarget(r)
	if err != nil {
		return nil, err
	}
	method, err := r.required("Method")
	if err != nil {
		return nil, err
	}
	path, err := r.required("Path")
	if err != nil {
		return nil, err
	}
	body, err := r.object("RequestBody")
	if err != nil {
		return nil, err
	}
	w.reap(c, r.now)
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 3 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "persistentvolumes":
		return w.kubeCollection(r, c, method, "persistentvolumes", "", body)
	case len(parts) == 4 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "persistentvolumes":
		return w.kubeItem(r, c, method, "persistentvolumes", "", parts[3])
	case len(parts) == 5 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "namespaces" && parts[4] == "persistentvolumeclaims":
		return w.kubeCollection(r, c, method, "persistentvolumeclaims", parts[3], body)
	case len(parts) == 6 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "namespaces" && parts[4] == "persistentvolumeclaims":
		return w.kubeItem(r, c, method, "persistentvolumeclaims", parts[3], parts[5])
	}
	return nil, failf(asl.ErrTaskFailed, "awsmock: no model for eks:call %s %s", method, path)
}

// store is the map of objects of resource, and the key of name in it.
func (k *kube) store(resource, namespace, name string) (map[string]*kubeObject, string) {
	if resource == "persistentvolumes" {
		return k.volumes, name
	}
	return k.claims, namespace + "/" + name
}

var kubeVerbs = map[string]string{"GET": "get", "DELETE": "delete", "POST": "create", "PUT": "update", "PATCH": "patch"}

func (w *World) kubeItem(r *request, c *eksCluster, method, resource, namespace, name string) (any, *sim.Failure) {
	verb, ok := kubeVerbs[method]
	if !ok || verb == "create" {
		return nil, kubeError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")
	}
	if err := w.authorize(r, c, verb, resource, namespace, name); err != nil {
		return nil, err
	}
	objs, key := c.kube.store(resource, namespace, name)
	o, ok := objs[key]
	if !ok {
		return nil, kubeError(404, "NotFound", "%s %q not found", resource, name)
	}
	switch verb {
	case "get":
		return kubeResponse(200, o.body), nil
	case "delete":
		if resource == "persistentvolumeclaims" {
			if o.deletedAt.IsZero() {
				o.deletedAt = r.now
				meta := maps.Clone(o.body["metadata"].(map[string]any))
				meta["deletionTimestamp"] = isoSeconds(r.now)
				meta["finalizers"] = []any{"kubernetes.io/pvc-protection"}
				o.body = withField(o.body, "metadata", meta)
			}
			w.reap(c, r.now)
			return kubeResponse(200, o.body), nil
		}
		delete(objs, key)
		return kubeResponse(200, o.body), nil
	}
	return nil, failf(asl.ErrTaskFailed, "awsmock: no model for eks:call %s on %s", method, resource)
}

func (w *World) kubeCollection(r *request, c *eksCluster, method, resource, namespace string, body map[string]any) (any, *sim.Failure) {
	if method != "POST" {
		return nil, failf(asl.ErrTaskFailed, "awsmock: no model for eks:call %s on the %s collection", method, resource)
	}
	if body == nil {
		return nil, kubeError(400, "BadRequest", "the request body is empty")
	}
	meta, _ := body["metadata"].(map[string]any)
	name, _ := meta["name"].(string)
	if err := w.authorize(r, c, "create", resource, namespace, name); err != nil {
		return nil, err
	}
	kind := map[string]string{"persistentvolumes": "PersistentVolume", "persistentvolumeclaims": "PersistentVolumeClaim"}[resource]
	if body["kind"] != kind || body["apiVersion"] != "v1" {
		return nil, kubeError(400, "BadRequest", "the body is not a v1 %s", kind)
	}
	if ns, _ := meta["namespace"].(string); namespace != "" && ns != "" && ns != namespace {
		return nil, kubeError(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request")
	}
	if problems := validateKube(resource, name, body); len(problems) > 0 {
		return nil, kubeError(422, "Invalid", "%s %q is invalid: %s", kind, name, strings.Join(problems, ", "))
	}
	objs, key := c.kube.store(resource, namespace, name)
	if _, ok := objs[key]; ok {
		return nil, kubeError(409, "AlreadyExists", "%s %q already exists", resource, name)
	}
	c.kube.version++
	meta = maps.Clone(meta)
	meta["uid"], meta["resourceVersion"], meta["creationTimestamp"] = w.uuid(), fmt.Sprint(c.kube.version), isoSeconds(r.now)
	if namespace != "" {
		meta["namespace"] = namespace
	}
	o := &kubeObject{body: withField(body, "metadata", meta)}
	objs[key] = o
	w.bind(c)
	return kubeResponse(201, objs[key].body), nil
}

// validateKube checks what the API server requires of a volume or claim.
func validateKube(resource, name string, body map[string]any) []string {
	var problems []string
	spec, _ := body["spec"].(map[string]any)
	if name == "" {
		problems = append(problems, "metadata.name: Required value")
	}
	if modes, _ := spec["accessModes"].([]any); len(modes) == 0 {
		problems = append(problems, "spec.accessModes: Required value")
	}
	if resource == "persistentvolumes" {
		capacity, _ := spec["capacity"].(map[string]any)
		if _, ok := capacity["storage"].(string); !ok {
			problems = append(problems, "spec.capacity.storage: Required value")
		}
		if _, ok := spec["csi"].(map[string]any); !ok {
			problems = append(problems, "spec: Required value: must specify a volume type")
		}
		return problems
	}
	resources, _ := spec["resources"].(map[string]any)
	requests, _ := resources["requests"].(map[string]any)
	if _, ok := requests["storage"].(string); !ok {
		problems = append(problems, "spec.resources.requests.storage: Required value")
	}
	return problems
}

// reap removes the deleted claims nothing holds any more: their pods are
// gone (no node runs them) and the release time has passed. A volume
// whose claim went is Released (its reclaim policy is Retain).
func (w *World) reap(c *eksCluster, t time.Time) {
	for key, o := range c.kube.claims {
		if o.deletedAt.IsZero() || t.Before(o.deletedAt.Add(w.clock.d(DurClaimRelease))) {
			continue
		}
		if c.kube.users[key] && w.nodes(c, t) > 0 {
			continue
		}
		delete(c.kube.claims, key)
		for _, v := range c.kube.volumes {
			ref, _ := field(v.body, "spec", "claimRef").(map[string]any)
			if ref != nil && fmt.Sprint(ref["namespace"], "/", ref["name"]) == key && ref["uid"] == field(o.body, "metadata", "uid") {
				v.body = withField(v.body, "status", map[string]any{"phase": "Released"})
			}
		}
	}
}

// bind binds each claim that names a volume (spec.volumeName) to it when
// the volume is free or reserved for the claim, as the volume controller
// does.
func (w *World) bind(c *eksCluster) {
	for key, claim := range c.kube.claims {
		name, _ := field(claim.body, "spec", "volumeName").(string)
		v := c.kube.volumes[name]
		if name == "" || v == nil || !claim.deletedAt.IsZero() {
			continue
		}
		ns, claimName, _ := strings.Cut(key, "/")
		ref, _ := field(v.body, "spec", "claimRef").(map[string]any)
		if ref != nil && (ref["namespace"] != ns || ref["name"] != claimName) {
			continue
		}
		newRef := map[string]any{"kind": "PersistentVolumeClaim", "namespace": ns, "name": claimName, "uid": field(claim.body, "metadata", "uid")}
		v.body = withField(withField(v.body, "spec", withField(field(v.body, "spec").(map[string]any), "claimRef", newRef)),
			"status", map[string]any{"phase": "Bound"})
		claim.body = withField(claim.body, "status", map[string]any{"phase": "Bound",
			"accessModes": field(claim.body, "spec", "accessModes"), "capacity": field(v.body, "spec", "capacity")})
	}
}

// field reads a nested field of a JSON object, nil when absent.
func field(obj map[string]any, path ...string) any {
	var v any = obj
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// withField returns a copy of obj with key set: objects handed out in
// responses are never changed afterwards.
func withField(obj map[string]any, key string, value any) map[string]any {
	out := maps.Clone(obj)
	out[key] = value
	return out
}

// isoSeconds is how Kubernetes writes times.
func isoSeconds(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// The access policies of EKS access entries, as far as the objects the
// workflows touch go (EKS User Guide, Review access policy permissions):
// they mirror the Kubernetes user-facing roles cluster-admin, admin,
// edit and view, and persistent volumes, which are cluster-scoped, are in
// none but cluster-admin (and, read-only, AmazonEKSAdminViewPolicy).
var accessPolicies = map[string]struct{ namespaced, clusterScoped []string }{
	"AmazonEKSClusterAdminPolicy": {namespaced: allVerbs, clusterScoped: allVerbs},
	"AmazonEKSAdminPolicy":        {namespaced: allVerbs},
	"AmazonEKSEditPolicy":         {namespaced: allVerbs},
	"AmazonEKSViewPolicy":         {namespaced: readVerbs},
	"AmazonEKSAdminViewPolicy":    {namespaced: readVerbs, clusterScoped: readVerbs},
}

var (
	allVerbs  = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"}
	readVerbs = []string{"get", "list", "watch"}
)

// clusterScoped are the resources without a namespace.
var clusterScoped = []string{"persistentvolumes", "namespaces", "nodes"}

// authorize applies the access policies of the calling role's access
// entry: a principal without one is not authenticated (401), one whose
// policies do not allow the verb is forbidden (403).
func (w *World) authorize(r *request, c *eksCluster, verb, resource, namespace, name string) *sim.Failure {
	principal := r.role
	policies, ok := c.access[principal]
	if !ok {
		return kubeError(401, "Unauthorized", "Unauthorized: %s has no access entry on cluster %s", principal, c.name)
	}
	scoped := slices.Contains(clusterScoped, resource)
	if principal == c.rbacRole && rbacAllows(c.rbac, verb, resource, namespace, name) {
		return nil
	}
	for _, p := range policies {
		rules, ok := accessPolicies[p.arn[strings.LastIndexByte(p.arn, '/')+1:]]
		if !ok {
			continue
		}
		switch {
		case scoped && len(p.namespaces) == 0 && slices.Contains(rules.clusterScoped, verb):
			return nil
		case !scoped && inNamespaces(namespace, p.namespaces) && slices.Contains(rules.namespaced, verb):
			return nil
		}
	}
	user := strings.Replace(strings.Replace(principal, ":iam::", ":sts::", 1), ":role/", ":assumed-role/", 1)
	where := "at the cluster scope"
	if !scoped {
		where = fmt.Sprintf("in the namespace %q", namespace)
	}
	return kubeError(403, "Forbidden", "%s %q is forbidden: User %q cannot %s resource %q in API group \"\" %s",
		resource, name, user, verb, resource, where)
}

// inNamespaces reports whether a namespace-scoped policy covers ns (no
// namespaces: cluster scope; a trailing * matches a prefix).
func inNamespaces(ns string, namespaces []string) bool {
	if len(namespaces) == 0 {
		return true
	}
	for _, n := range namespaces {
		if n == ns || strings.HasSuffix(n, "*") && strings.HasPrefix(ns, strings.TrimSuffix(n, "*")) {
			return true
		}
	}
	return false
}

// runJob runs a Kubernetes Job and waits for it (eks:runJob.sync). Its pod
// needs a node and its claims: without them it stays Pending until the
// Job's activeDeadlineSeconds, and the Job fails.
func (w *World) runJob(r *request) (any, *sim.Failure) {
	c, err := w.eksTarget(r)
	if err != nil {
		return nil, err
	}
	namespace, err := r.required("Namespace")
	if err != nil {
		return nil, err
	}
	job, err := r.object("Job")
	if err != nil {
		return nil, err
	}
	if job == nil {
		return nil, r.missing("Job")
	}
	name, _ := field(job, "metadata", "name").(string)
	if err := w.authorize(r, c, "create", "jobs", namespace, name); err != nil {
		return nil, err
	}
	w.reap(c, r.now)
	deadline, _ := toFloat(field(job, "spec", "activeDeadlineSeconds"))
	var missing []string
	volumes, _ := field(job, "spec", "template", "spec", "volumes").([]any)
	for _, v := range volumes {
		if claim, ok := field(v.(map[string]any), "persistentVolumeClaim", "claimName").(string); ok {
			if _, ok := c.kube.claims[namespace+"/"+claim]; !ok {
				missing = append(missing, claim)
			}
		}
	}
	run := w.clock.d(DurJob)
	reason := ""
	switch {
	case w.nodes(c, r.now) == 0:
		reason = "its pod could not be scheduled: the cluster has no nodes"
	case len(missing) > 0:
		reason = fmt.Sprintf("its pod is Pending: persistentvolumeclaim %q not found", missing[0])
	case deadline > 0 && run > time.Duration(deadline)*time.Second:
		reason = "it ran past its activeDeadlineSeconds"
	}
	status := map[string]any{"startTime": isoSeconds(r.now)}
	if reason != "" {
		// Without a deadline the Job waits until the Task times out.
		r.duration = 24 * time.Hour
		if deadline > 0 {
			r.duration = time.Duration(deadline) * time.Second
		}
		status["failed"] = 1
		status["conditions"] = []any{map[string]any{"type": "Failed", "status": "True", "reason": "DeadlineExceeded", "message": reason}}
		return nil, failf(asl.ErrTaskFailed, "%s", jsonText(map[string]any{"Job": name, "Status": status, "Reason": "The Job failed: " + reason}))
	}
	r.duration = run
	status["succeeded"] = 1
	status["completionTime"] = isoSeconds(r.now.Add(run))
	status["conditions"] = []any{map[string]any{"type": "Complete", "status": "True"}}
	return kubeResponse(200, withField(job, "status", status)), nil
}

// rbacAllows reports whether the rendered storage RBAC of a cluster grants
// verb on the named object: any persistent volume, a claim the spec names,
// or the creation of a claim in a namespace with repointed claims.
func rbacAllows(c *kubernetes.Cluster, verb, resource, namespace, name string) bool {
	if c == nil {
		return false
	}
	switch resource {
	case "persistentvolumes":
		return slices.Contains(kubernetes.VolumeVerbs, verb)
	case "persistentvolumeclaims":
		for _, ns := range c.Namespaces {
			if ns.Name != namespace {
				continue
			}
			return slices.Contains(kubernetes.ClaimCreateVerbs, verb) ||
				slices.Contains(kubernetes.ClaimVerbs, verb) && slices.Contains(ns.Claims, name)
		}
	}
	return false
}
