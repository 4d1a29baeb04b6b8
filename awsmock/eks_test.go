package awsmock

import (
	"strings"
	"testing"
	"time"

	"github.com/refreshgen/refreshgen/spec"
)

// A node group update is InProgress, then Successful, and only then do
// the sizes change; EKS refuses a second update meanwhile, and one that
// changes nothing.
func TestNodegroupUpdate(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	ng := map[string]any{"ClusterName": "staging-eks", "NodegroupName": "workers"}
	sizes := func() any {
		return get(h.ok(staging, "aws-sdk:eks:describeNodegroup", ng), "Nodegroup", "ScalingConfig")
	}
	if s := sizes(); get(s, "DesiredSize") != jsonNumber(3) {
		t.Fatalf("seeded sizes: %v", s)
	}
	update := map[string]any{"ClusterName": "staging-eks", "NodegroupName": "workers",
		"ScalingConfig": map[string]any{"MinSize": 0, "DesiredSize": 0, "MaxSize": 6}}
	u := h.ok(staging, "aws-sdk:eks:updateNodegroupConfig", update)
	h.fails(staging, "aws-sdk:eks:updateNodegroupConfig", update, "Eks.ResourceInUseException")
	describe := map[string]any{"Name": "staging-eks", "NodegroupName": "workers", "UpdateId": get(u, "Update", "Id")}
	if st := get(h.ok(staging, "aws-sdk:eks:describeUpdate", describe), "Update", "Status"); st != "InProgress" || get(sizes(), "DesiredSize") != jsonNumber(3) {
		t.Errorf("in progress: %v %v", st, sizes())
	}
	h.after(5 * time.Minute)
	if st := get(h.ok(staging, "aws-sdk:eks:describeUpdate", describe), "Update", "Status"); st != "Successful" || get(sizes(), "DesiredSize") != jsonNumber(0) {
		t.Errorf("done: %v %v", st, sizes())
	}
	h.fails(staging, "aws-sdk:eks:updateNodegroupConfig", update, "Eks.InvalidParameterException")
	update["ScalingConfig"] = map[string]any{"MinSize": 0, "DesiredSize": 0, "MaxSize": 0}
	h.fails(staging, "aws-sdk:eks:updateNodegroupConfig", update, "Eks.InvalidParameterException")
	h.fails(staging, "aws-sdk:eks:describeNodegroup", map[string]any{"ClusterName": "staging-eks", "NodegroupName": "nope"}, "Eks.ResourceNotFoundException")
}

func jsonNumber(n int) any {
	var v any
	roundTrip(&testing.T{}, n, &v)
	return v
}

// kubeCall is an eks:call on the staging cluster.
func kubeCall(h *harness, role, method, path string, body map[string]any) (map[string]any, string) {
	h.t.Helper()
	c := h.w.byID["222222222222"].eks["staging-eks"]
	params := map[string]any{"ClusterName": "staging-eks", "Endpoint": c.endpoint, "CertificateAuthority": c.ca, "Method": method, "Path": path}
	if body != nil {
		params["RequestBody"] = body
	}
	out, err := h.call(role, "eks:call", params)
	if err != nil {
		return nil, err.Name
	}
	return out, ""
}

// The access policies of the spec and the storage RBAC refreshgen renders
// decide what the role may do: the example's namespace-scoped
// AmazonEKSEditPolicy reads claims, and the rendered RBAC lets the role
// get, create and delete persistent volumes (cluster-scoped).
func TestKubernetesAccess(t *testing.T) {
	h := newHarness(t, exampleSpec, Options{})
	staging := h.role("staging")
	claim, errName := kubeCall(h, staging, "GET", "/api/v1/namespaces/app/persistentvolumeclaims/media", nil)
	if errName != "" {
		t.Fatalf("GET claim: %s", errName)
	}
	volume := get(claim, "ResponseBody", "spec", "volumeName").(string)
	if _, errName := kubeCall(h, staging, "GET", "/api/v1/persistentvolumes/"+volume, nil); errName != "" {
		t.Errorf("GET volume through the storage RBAC: %q", errName)
	}
	if _, errName := kubeCall(h, staging, "GET", "/api/v1/namespaces/other/persistentvolumeclaims/media", nil); errName != "EKS.403" {
		t.Errorf("GET a claim of another namespace: %q, want EKS.403", errName)
	}
	if _, errName := kubeCall(h, "arn:aws:iam::222222222222:role/someone-else", "GET", "/api/v1/namespaces/app/persistentvolumeclaims/media", nil); errName != "EKS.401" {
		t.Errorf("a role without an access entry: %q, want EKS.401", errName)
	}
	if _, errName := kubeCall(h, staging, "GET", "/api/v1/namespaces/app/pods", nil); errName != "States.TaskFailed" {
		t.Errorf("an unmodelled path: %q", errName)
	}
}

// A claim in use goes only once no node runs its pods; a new volume and
// claim bind.
func TestRepointClaim(t *testing.T) {
	s := loadSpec(t, exampleSpec)
	s.EKSClusters[0].AccessPolicies = []*spec.AccessPolicy{{Name: "admin", PolicyARN: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"}}
	w := New(s, Options{})
	h := &harness{t: t, s: s, w: w, now: w.Start()}
	staging := h.role("staging")
	claimPath := "/api/v1/namespaces/app/persistentvolumeclaims/media"
	old, _ := kubeCall(h, staging, "GET", claimPath, nil)
	if _, errName := kubeCall(h, staging, "DELETE", claimPath, nil); errName != "" {
		t.Fatal(errName)
	}
	h.after(time.Minute)
	if c, errName := kubeCall(h, staging, "GET", claimPath, nil); errName != "" || get(c, "ResponseBody", "metadata", "deletionTimestamp") == nil {
		t.Fatalf("a claim pods use stays Terminating: %v %s", c, errName)
	}
	for _, ng := range []string{"workers"} {
		h.ok(staging, "aws-sdk:eks:updateNodegroupConfig", map[string]any{"ClusterName": "staging-eks", "NodegroupName": ng,
			"ScalingConfig": map[string]any{"MinSize": 0, "DesiredSize": 0}})
	}
	h.after(5 * time.Minute)
	if _, errName := kubeCall(h, staging, "GET", claimPath, nil); errName != "EKS.404" {
		t.Fatalf("the claim once no node runs its pods: %q", errName)
	}
	oldVolume, _ := kubeCall(h, staging, "GET", "/api/v1/persistentvolumes/"+get(old, "ResponseBody", "spec", "volumeName").(string), nil)
	if get(oldVolume, "ResponseBody", "status", "phase") != "Released" {
		t.Errorf("the old volume: %v", get(oldVolume, "ResponseBody", "status"))
	}
	pv := map[string]any{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": map[string]any{"name": "media-new"},
		"spec": map[string]any{"capacity": map[string]any{"storage": "5Gi"}, "accessModes": []any{"ReadWriteMany"},
			"claimRef": map[string]any{"namespace": "app", "name": "media"},
			"csi":      map[string]any{"driver": "efs.csi.aws.com", "volumeHandle": "fs-0fedcba9876543210:/"}}}
	if _, errName := kubeCall(h, staging, "POST", "/api/v1/persistentvolumes", pv); errName != "" {
		t.Fatal(errName)
	}
	if _, errName := kubeCall(h, staging, "POST", "/api/v1/persistentvolumes", pv); errName != "EKS.409" {
		t.Errorf("a second POST: %q", errName)
	}
	pvc := map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": "media", "namespace": "app"},
		"spec": map[string]any{"accessModes": []any{"ReadWriteMany"}, "volumeName": "media-new", "storageClassName": "",
			"resources": map[string]any{"requests": map[string]any{"storage": "5Gi"}}}}
	if _, errName := kubeCall(h, staging, "POST", "/api/v1/namespaces/app/persistentvolumeclaims", pvc); errName != "" {
		t.Fatal(errName)
	}
	c, _ := kubeCall(h, staging, "GET", claimPath, nil)
	if get(c, "ResponseBody", "status", "phase") != "Bound" || get(c, "StatusCode") != jsonNumber(200) {
		t.Errorf("the new claim: %v", c)
	}
	delete(pvc["spec"].(map[string]any), "accessModes")
	pvc["metadata"] = map[string]any{"name": "other"}
	if _, errName := kubeCall(h, staging, "POST", "/api/v1/namespaces/app/persistentvolumeclaims", pvc); errName != "EKS.422" {
		t.Errorf("an invalid claim: %q", errName)
	}
}

// A Job needs a node to run on.
func TestRunJob(t *testing.T) {
	s := loadSpec(t, exampleSpec)
	s.EKSClusters[0].AccessPolicies = []*spec.AccessPolicy{{Name: "admin", PolicyARN: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"}}
	w := New(s, Options{})
	h := &harness{t: t, s: s, w: w, now: w.Start()}
	staging := h.role("staging")
	c := w.byID["222222222222"].eks["staging-eks"]
	job := map[string]any{"ClusterName": "staging-eks", "Endpoint": c.endpoint, "CertificateAuthority": c.ca, "Namespace": "app",
		"Job": map[string]any{"metadata": map[string]any{"name": "dump-1"}, "spec": map[string]any{"activeDeadlineSeconds": 3600,
			"template": map[string]any{"spec": map[string]any{"volumes": []any{map[string]any{"name": "data",
				"persistentVolumeClaim": map[string]any{"claimName": "media"}}}}}}}}
	out := h.ok(staging, "eks:runJob.sync", job)
	if get(out, "ResponseBody", "status", "succeeded") != jsonNumber(1) {
		t.Errorf("job: %v", out)
	}
	h.ok(staging, "aws-sdk:eks:updateNodegroupConfig", map[string]any{"ClusterName": "staging-eks", "NodegroupName": "workers",
		"ScalingConfig": map[string]any{"MinSize": 0, "DesiredSize": 0}})
	h.after(5 * time.Minute)
	if err := h.fails(staging, "eks:runJob.sync", job, "States.TaskFailed"); !strings.Contains(err.Cause, "no nodes") {
		t.Errorf("cause %q", err.Cause)
	}
}
