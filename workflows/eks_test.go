package workflows

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/sim"
)

// nodegroup is a describeNodegroup answer.
func nodegroup(min, desired, max int) sim.Result {
	return answer(map[string]any{"Nodegroup": map[string]any{"ScalingConfig": map[string]any{"MinSize": min, "DesiredSize": desired, "MaxSize": max}}})
}

func TestScaleNodegroups(t *testing.T) {
	// The EKS API only, never the Auto Scaling group underneath.
	wantCalls(t, machineOf(t, GroupEKS, "scale_nodegroup_asg"), map[string][]string{
		"eks:describeNodegroup": repeated(roleAccount, 2), "eks:updateNodegroupConfig": repeated(roleAccount, 2),
		"eks:describeUpdate": repeated(roleAccount, 2),
	})
	update := answer(map[string]any{"Update": map[string]any{"Id": "u-1", "Status": "InProgress"}})
	status := func(s string) sim.Result {
		return answer(map[string]any{"Update": map[string]any{"Id": "u-1", "Status": s}})
	}

	t.Run("scales the named groups to zero and records their sizes", func(t *testing.T) {
		x := simulateExample(t, GroupEKS, "scale_nodegroup_asg", map[string]any{"Nodegroups": []string{"workers", "batch"}}, map[string][]sim.Result{
			"DownDescribe":   {nodegroup(2, 3, 6), nodegroup(0, 0, 4)}, // batch is down already
			"DownUpdate":     {update},
			"DownWaitUpdate": {status("InProgress"), status("Successful")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		calls := callsIn(x, "DownUpdate")
		if len(calls) != 1 {
			t.Fatalf("%d updates, want 1: a group at zero already is left alone", len(calls))
		}
		if got, want := asJSON(t, calls[0].Parameters), `{"ClusterName":"staging-eks","NodegroupName":"workers","ScalingConfig":{"DesiredSize":0,"MaxSize":6,"MinSize":0}}`; got != want {
			t.Errorf("updateNodegroupConfig\n got %s\nwant %s", got, want)
		}
		out := asJSON(t, x.Output)
		if want := `{"Previous":[{"DesiredSize":3,"MaxSize":6,"MinSize":2,"Nodegroup":"workers"},{"DesiredSize":0,"MaxSize":4,"MinSize":0,"Nodegroup":"batch"}]}`; out != want {
			t.Errorf("output\n got %s\nwant %s", out, want)
		}
	})
	t.Run("gives back the sizes recorded", func(t *testing.T) {
		sizes := []any{map[string]any{"Nodegroup": "workers", "MinSize": 2, "DesiredSize": 3, "MaxSize": 6}}
		x := simulateExample(t, GroupEKS, "scale_nodegroup_asg", map[string]any{"Sizes": sizes}, map[string][]sim.Result{
			"UpDescribe":   {nodegroup(0, 0, 6)},
			"UpUpdate":     {update},
			"UpWaitUpdate": {status("Successful")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		if got := asJSON(t, callsIn(x, "UpUpdate")[0].Parameters); !strings.Contains(got, `"ScalingConfig":{"DesiredSize":3,"MaxSize":6,"MinSize":2}`) {
			t.Errorf("updateNodegroupConfig %s", got)
		}
	})
	t.Run("touches only the named groups", func(t *testing.T) {
		sizes := []any{map[string]any{"Nodegroup": "other", "MinSize": 1, "DesiredSize": 1, "MaxSize": 1}}
		x := simulateExample(t, GroupEKS, "scale_nodegroup_asg", map[string]any{"Sizes": sizes}, nil)
		wantStatus(t, x, sim.Failed, ErrPreconditions)
		if len(x.Calls) != 0 {
			t.Errorf("%d calls, want none", len(x.Calls))
		}
	})
	t.Run("a failed update fails", func(t *testing.T) {
		x := simulateExample(t, GroupEKS, "scale_nodegroup_asg", nil, map[string][]sim.Result{
			"DownDescribe": {nodegroup(1, 1, 2)}, "DownUpdate": {update}, "DownWaitUpdate": {status("Failed")},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
	})
}

// The Kubernetes objects manage_storage meets, as eks:call returns them.
func claimBody(volume string) sim.Result {
	spec := map[string]any{"accessModes": []any{"ReadWriteMany"}, "resources": map[string]any{"requests": map[string]any{"storage": "5Gi"}}}
	if volume != "" {
		spec["volumeName"] = volume
	}
	return answer(map[string]any{"ResponseBody": map[string]any{"spec": spec}})
}

func volumeBody(name, policy string, ours bool) sim.Result {
	metadata := map[string]any{"name": name}
	if ours {
		metadata["labels"] = map[string]any{managedByLabel: managedByValue}
	}
	return answer(map[string]any{"ResponseBody": map[string]any{"metadata": metadata, "spec": map[string]any{
		"persistentVolumeReclaimPolicy": policy, "accessModes": []any{"ReadWriteMany"}, "capacity": map[string]any{"storage": "5Gi"}}}})
}

// kubeOK is what the Kubernetes API answers a create or a delete.
var kubeOK = answer(map[string]any{"ResponseBody": map[string]any{}})

func TestManageStorage(t *testing.T) {
	wantCalls(t, machineOf(t, GroupEKS, "manage_storage"), map[string][]string{
		"eks:describeCluster": {roleAccount}, "eks:call": repeated(roleAccount, 9),
	})
	sum := md5.Sum([]byte("example-run"))
	volume := "media-" + hex.EncodeToString(sum[:])
	tests := []struct {
		name    string
		answers map[string][]sim.Result
		status  sim.Status
		err     string
		writes  []string // the eks:call states that change something, in order
	}{
		{"repoints the claim and drops refreshgen's old volume", map[string][]sim.Result{
			"GetClaim":        {claimBody("media-old")},
			"GetOldVolume":    {volumeBody("media-old", "Retain", true)},
			"CreateVolume":    {kubeOK},
			"DeleteClaim":     {kubeOK},
			"WaitClaimGone":   {claimBody("media-old"), failure(errKubeNotFound)},
			"CreateClaim":     {kubeOK},
			"DeleteOldVolume": {kubeOK},
		}, sim.Succeeded, "", []string{"CreateVolume", "DeleteClaim", "CreateClaim", "DeleteOldVolume"}},
		{"keeps a volume it did not make", map[string][]sim.Result{
			"GetClaim":      {claimBody("pvc-1234")},
			"GetOldVolume":  {volumeBody("pvc-1234", "Retain", false)},
			"CreateVolume":  {kubeOK},
			"DeleteClaim":   {kubeOK},
			"WaitClaimGone": {failure(errKubeNotFound)},
			"CreateClaim":   {kubeOK},
		}, sim.Succeeded, "", []string{"CreateVolume", "DeleteClaim", "CreateClaim"}},
		{"refuses to delete a claim whose volume would go with it", map[string][]sim.Result{
			"GetClaim":     {claimBody("pvc-1234")},
			"GetOldVolume": {volumeBody("pvc-1234", "Delete", false)},
		}, sim.Failed, ErrPreconditions, nil},
		{"a second run finds the claim repointed", map[string][]sim.Result{
			"GetClaim": {claimBody(volume)},
		}, sim.Succeeded, "", nil},
		{"a retry after the claim was deleted re-creates it from the volume", map[string][]sim.Result{
			"GetClaim":     {failure(errKubeNotFound)},
			"GetNewVolume": {volumeBody(volume, "Retain", true)},
			"CreateClaim":  {kubeOK},
		}, sim.Succeeded, "", []string{"CreateClaim"}},
		{"a retry that finds everything created goes on", map[string][]sim.Result{
			"GetClaim":      {claimBody("")},
			"CreateVolume":  {failure(errKubeConflict)},
			"DeleteClaim":   {failure(errKubeNotFound)},
			"WaitClaimGone": {failure(errKubeNotFound)},
			"CreateClaim":   {failure(errKubeConflict)},
			"GetNewClaim":   {claimBody(volume)},
		}, sim.Succeeded, "", []string{"CreateVolume", "DeleteClaim", "CreateClaim"}},
		{"a claim re-created by someone else", map[string][]sim.Result{
			"GetClaim":      {claimBody("")},
			"CreateVolume":  {kubeOK},
			"DeleteClaim":   {kubeOK},
			"WaitClaimGone": {failure(errKubeNotFound)},
			"CreateClaim":   {failure(errKubeConflict)},
			"GetNewClaim":   {claimBody("")},
		}, sim.Failed, ErrAlreadyExists, []string{"CreateVolume", "DeleteClaim", "CreateClaim"}},
		{"a claim still in use", map[string][]sim.Result{
			"GetClaim":      {claimBody("")},
			"CreateVolume":  {kubeOK},
			"DeleteClaim":   {kubeOK},
			"WaitClaimGone": {claimBody("")},
		}, sim.Failed, "Refresh.PollTimeout", []string{"CreateVolume", "DeleteClaim"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.answers["DescribeCluster"] = []sim.Result{eksAnswer}
			x := simulateExample(t, GroupEKS, "manage_storage", nil, tt.answers)
			wantStatus(t, x, tt.status, tt.err)
			var writes []string
			for _, c := range x.Calls {
				if method := c.Parameters.(map[string]any)["Method"]; method == "POST" || method == "DELETE" {
					writes = append(writes, c.State)
				}
			}
			if strings.Join(writes, " ") != strings.Join(tt.writes, " ") {
				t.Errorf("writes %v, want %v", writes, tt.writes)
			}
			if tt.status == sim.Succeeded && x.Output.(map[string]any)["VolumeName"] != volume {
				t.Errorf("output %v, want VolumeName %s", x.Output, volume)
			}
		})
	}
}

// TestManageStorageManifests pins the volume and the claim refreshgen
// creates: a static EFS volume kept on release and reserved for the
// claim, and the claim bound to it.
func TestManageStorageManifests(t *testing.T) {
	x := simulateExample(t, GroupEKS, "manage_storage", map[string]any{"Subpath": "aws-backup-restore_2026-01-04T03-00-00Z"}, map[string][]sim.Result{
		"DescribeCluster": {eksAnswer},
		"GetClaim":        {claimBody("")}, "CreateVolume": {kubeOK}, "DeleteClaim": {kubeOK}, "WaitClaimGone": {failure(errKubeNotFound)}, "CreateClaim": {kubeOK},
	})
	wantStatus(t, x, sim.Succeeded, "")
	name := x.Output.(map[string]any)["VolumeName"].(string)
	pv := asJSON(t, callsIn(x, "CreateVolume")[0].Parameters.(map[string]any)["RequestBody"])
	if want := `{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"labels":{"app.kubernetes.io/managed-by":"refreshgen"},"name":"` + name + `"},` +
		`"spec":{"accessModes":["ReadWriteMany"],"capacity":{"storage":"5Gi"},"claimRef":{"name":"media","namespace":"app"},` +
		`"csi":{"driver":"efs.csi.aws.com","volumeHandle":"fs-0fedcba9876543210:aws-backup-restore_2026-01-04T03-00-00Z"},` +
		`"persistentVolumeReclaimPolicy":"Retain","storageClassName":""}}`; pv != want {
		t.Errorf("volume\n got %s\nwant %s", pv, want)
	}
	pvc := asJSON(t, callsIn(x, "CreateClaim")[0].Parameters.(map[string]any)["RequestBody"])
	if want := `{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"media","namespace":"app"},` +
		`"spec":{"accessModes":["ReadWriteMany"],"resources":{"requests":{"storage":"5Gi"}},"storageClassName":"","volumeName":"` + name + `"}}`; pvc != want {
		t.Errorf("claim\n got %s\nwant %s", pvc, want)
	}
	if len(name) > 63 {
		t.Errorf("volume name %s is longer than 63 characters", name)
	}
}
