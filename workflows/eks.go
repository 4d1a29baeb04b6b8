package workflows

import (
	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// The EKS workflows: scale the node groups of the consuming cluster around
// a refresh, and repoint a volume claim at the refreshed file system.

func eksWorkflows() []*Workflow {
	return []*Workflow{scaleNodegroups(), manageStorage()}
}

// exampleVolume is what the example inputs are made of: the first volume
// a refresh repoints and its cluster, or placeholders in the spec's first
// destination account when no refresh repoints any.
func exampleVolume(e *Env) (*spec.EKSCluster, *spec.Volume) {
	for _, r := range e.Spec.Refreshes {
		if r.EKS != nil && len(r.EKS.Volumes) > 0 {
			return r.EKS.Cluster, r.EKS.Volumes[0]
		}
	}
	_, _, fs := exampleCopy(e, "")
	return &spec.EKSCluster{Account: exampleAccount(e, spec.RoleDestination), ClusterName: "example", Nodegroups: []string{"workers"}},
		&spec.Volume{FileSystem: fs, Namespace: "example", Claim: "example"}
}

// nodegroupSizes is a node group's scaling configuration.
func nodegroupSizes() *Shape {
	return Obj(
		Req("Nodegroup", Str("the node group name")),
		Req("MinSize", Num("")),
		Req("DesiredSize", Num("")),
		Req("MaxSize", Num("")),
	)
}

// scaleNodegroups keeps the seed's name, scale_nodegroup_asg, but scales
// through the EKS API: EKS owns the Auto Scaling group of a managed node
// group, and changing the group underneath makes it drift from the node
// group's scaling configuration (seed §3.2). UpdateNodegroupConfig is the
// node group's own setting, and EKS drains the nodes it removes.
func scaleNodegroups() *Workflow {
	return &Workflow{
		Group: GroupEKS, Key: "scale_nodegroup_asg",
		Summary: "Scale the named managed node groups to zero, recording their sizes, or give them the sizes recorded.",
		Input: Obj(
			Req("Account", account()),
			Req("ClusterName", Str("")),
			Req("Nodegroups", List(Str("a managed node group; no other is touched"))),
			Opt("Sizes", List(nodegroupSizes())),
		),
		Output:  Obj(Req("Previous", List(nodegroupSizes()))),
		Timeout: 2 * 3600,
		build: func(e *Env) *asl.Machine {
			base := []asl.Member{asl.Field("Account", asl.Ref("$.Account")), asl.Field("ClusterName", asl.Ref("$.ClusterName"))}
			var s asl.States
			s.Add("HasSizes", &asl.Choice{
				Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Sizes", true), "Restore")},
				Default: "ScaleDown",
			})
			s.Add("ScaleDown", &asl.Map{
				Comment:        "Scale each node group to min 0 and desired 0; the maximum stays, as EKS wants it at least 1.",
				ItemsPath:      "$.Nodegroups",
				ItemSelector:   asl.Obj(append(base, asl.Field("Nodegroup", asl.Ref("$$.Map.Item.Value")))...),
				ItemProcessor:  &asl.Processor{StartAt: "DownDescribe", States: e.resizeStates("Down", true)},
				MaxConcurrency: 4,
				ResultPath:     asl.At("$.Previous"),
				Next:           "Output",
			})
			restore := merge(nil, e.resizeStates("Up", false))
			restore.Add("IsNamed", &asl.Choice{
				Choices: []asl.Rule{asl.When(asl.BooleanEquals("$.Named", true), "UpDescribe")},
				Default: "NotNamed",
			})
			restore.Add("NotNamed", &asl.Fail{
				Error:     ErrPreconditions,
				CausePath: asl.Format("The sizes name the node group {}, which is not in Nodegroups: refreshgen only scales the node groups it is given.", asl.Ref("$.Nodegroup")),
			})
			s.Add("Restore", &asl.Map{
				Comment:   "Give each node group the sizes recorded.",
				ItemsPath: "$.Sizes",
				ItemSelector: asl.Obj(append(base,
					asl.Field("Nodegroup", asl.Ref("$$.Map.Item.Value.Nodegroup")),
					asl.Field("Target", asl.Ref("$$.Map.Item.Value")),
					asl.Field("Named", asl.Call(asl.FnArrayContains, asl.Ref("$.Nodegroups"), asl.Ref("$$.Map.Item.Value.Nodegroup"))),
				)...),
				ItemProcessor:  &asl.Processor{StartAt: "IsNamed", States: restore},
				MaxConcurrency: 4,
				ResultPath:     asl.At("$.Previous"),
				Next:           "Output",
			})
			succeed(&s, "Output", asl.Obj(asl.Field("Previous", asl.Ref("$.Previous"))))
			return &asl.Machine{Comment: "Scale the named managed node groups through the EKS API.", StartAt: "HasSizes", States: s}
		},
		example: func(e *Env) map[string]any {
			c, _ := exampleVolume(e)
			return map[string]any{"Account": accountOf(e, c.Account), "ClusterName": c.ClusterName, "Nodegroups": c.Nodegroups}
		},
	}
}

// resizeStates give the node group $.Nodegroup the sizes at $.Target, or,
// toZero, min 0 and desired 0, and end with its sizes before. Their names
// start with p: state names are unique in a whole machine.
func (e *Env) resizeStates(p string, toZero bool) asl.States {
	ng := []asl.Member{asl.Field("ClusterName", asl.Ref("$.ClusterName")), asl.Field("NodegroupName", asl.Ref("$.Nodegroup"))}
	var s asl.States
	describe := e.call("eks", "describeNodegroup", "$.Account.RoleArn", asl.Obj(ng...))
	describe.ResultSelector = asl.Obj(
		asl.Field("MinSize", asl.Ref("$.Nodegroup.ScalingConfig.MinSize")),
		asl.Field("DesiredSize", asl.Ref("$.Nodegroup.ScalingConfig.DesiredSize")),
		asl.Field("MaxSize", asl.Ref("$.Nodegroup.ScalingConfig.MaxSize")),
	)
	describe.ResultPath, describe.Next = asl.At("$.Current"), p+"IsUnchanged"
	s.Add(p+"Describe", describe)
	if toZero {
		describe.Next = p + "ToZero"
		s.Add(p+"ToZero", &asl.Pass{
			Parameters: asl.Obj(asl.Field("MinSize", asl.Num(0)), asl.Field("DesiredSize", asl.Num(0)), asl.Field("MaxSize", asl.Ref("$.Current.MaxSize"))),
			ResultPath: asl.At("$.Target"),
			Next:       p + "IsUnchanged",
		})
	}
	s.Add(p+"IsUnchanged", &asl.Choice{
		Comment: "A second run finds the sizes set already: nothing to update.",
		Choices: []asl.Rule{asl.When(asl.And(
			asl.ComparePaths(asl.KindNumeric, "$.Current.MinSize", asl.Equals, "$.Target.MinSize"),
			asl.ComparePaths(asl.KindNumeric, "$.Current.DesiredSize", asl.Equals, "$.Target.DesiredSize"),
			asl.ComparePaths(asl.KindNumeric, "$.Current.MaxSize", asl.Equals, "$.Target.MaxSize"),
		), p+"Previous")},
		Default: p + "Update",
	})
	updated := poll{
		name: p + "WaitUpdate", status: "$.Progress.Status",
		action: e.call("eks", "describeUpdate", "$.Account.RoleArn", asl.Obj(
			asl.Field("Name", asl.Ref("$.ClusterName")),
			asl.Field("NodegroupName", asl.Ref("$.Nodegroup")),
			asl.Field("UpdateId", asl.Ref("$.Update.Id")),
		)),
		success: []string{"Successful"}, failure: []string{"Failed", "Cancelled"},
		attempts: 120, interval: 30, done: p + "Previous", what: "$.Nodegroup",
	}
	updated.action.ResultSelector = asl.Obj(asl.Field("Status", asl.Ref("$.Update.Status")))
	updated.action.ResultPath = asl.At("$.Progress")
	update := e.call("eks", "updateNodegroupConfig", "$.Account.RoleArn", asl.Obj(append(ng, asl.Field("ScalingConfig", asl.Obj(
		asl.Field("MinSize", asl.Ref("$.Target.MinSize")),
		asl.Field("MaxSize", asl.Ref("$.Target.MaxSize")),
		asl.Field("DesiredSize", asl.Ref("$.Target.DesiredSize")),
	)))...))
	update.Comment = "EKS refuses a second update while one is in progress (ResourceInUse): wait for it."
	update.Retry = append([]asl.Retrier{{ErrorEquals: []string{asl.SDKError("EKS", "ResourceInUseException")},
		IntervalSeconds: 30, MaxAttempts: 10, BackoffRate: 1.5, MaxDelaySeconds: 300}}, update.Retry...)
	update.ResultSelector = asl.Obj(asl.Field("Id", asl.Ref("$.Update.Id")))
	update.ResultPath, update.Next = asl.At("$.Update"), updated.entry()
	s.Add(p+"Update", update)
	s = merge(s, updated.states())
	s.Add(p+"Previous", &asl.Pass{
		Parameters: asl.Obj(
			asl.Field("Nodegroup", asl.Ref("$.Nodegroup")),
			asl.Field("MinSize", asl.Ref("$.Current.MinSize")),
			asl.Field("DesiredSize", asl.Ref("$.Current.DesiredSize")),
			asl.Field("MaxSize", asl.Ref("$.Current.MaxSize")),
		),
		End: true,
	})
	return s
}

// Kubernetes through eks:call. An HTTP error status fails the task with
// the error EKS.<status>.
const (
	errKubeNotFound = "EKS.404"
	errKubeConflict = "EKS.409" // AlreadyExists
)

// kubeTransient retries what the Kubernetes API server answers when it is
// busy or restarting.
var kubeTransient = []asl.Retrier{{
	ErrorEquals:     []string{"EKS.429", "EKS.500", "EKS.503"},
	IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: asl.JitterFull,
}}

// The label that marks the persistent volumes refreshgen creates, the only
// ones it deletes (a tag key such as refreshgen:managed is not a valid
// label key).
const (
	managedByLabel = "app.kubernetes.io/managed-by"
	managedByValue = "refreshgen"
)

// kube returns a Task that calls the Kubernetes API of the cluster whose
// endpoint and CA describeEKS put at $.EKS, as the role $.Account.RoleArn.
func (e *Env) kube(method string, path asl.Value, body *asl.Object) *asl.Task {
	params := asl.Obj(
		asl.Field("ClusterName", asl.Ref("$.ClusterName")),
		asl.Field("CertificateAuthority", asl.Ref("$.EKS.CertificateAuthority")),
		asl.Field("Endpoint", asl.Ref("$.EKS.Endpoint")),
		asl.Field("Method", asl.Str(method)),
		asl.Field("Path", path),
	)
	if body != nil {
		params.Members = append(params.Members, asl.Field("RequestBody", body))
	}
	return &asl.Task{
		Resource:    asl.EKSCall().ARN(e.Partition),
		Credentials: &asl.Credentials{RoleArn: asl.Ref("$.Account.RoleArn")},
		Parameters:  params,
		Retry:       kubeTransient,
	}
}

// boundTo returns the Choices that read the claim spec at specPath: bound
// to $.Volume.Name goes to same, bound to another volume to other, not
// bound to unbound. Two Choices, as comparing an absent volumeName would
// fail the execution.
func boundTo(name, specPath, same, other, unbound string) asl.States {
	var s asl.States
	s.Add(name, &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, specPath+".volumeName", true), name+"Volume")},
		Default: unbound,
	})
	s.Add(name+"Volume", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindString, specPath+".volumeName", asl.Equals, "$.Volume.Name"), same)},
		Default: other,
	})
	return s
}

func manageStorage() *Workflow {
	return &Workflow{
		Group: GroupEKS, Key: "manage_storage",
		Summary: "Repoint a persistent volume claim at a folder of an EFS file system through a new static volume; delete the volume it used if refreshgen made it.",
		Input: Obj(
			Req("Account", account()),
			Req("ClusterName", Str("")),
			Req("Namespace", Str("")),
			Req("Claim", Str("an existing claim whose pods are stopped")),
			Req("FileSystemId", Str("")),
			Req("Subpath", Str(`the folder of the file system the volume shows, "/" for its root`)),
			Req("RunToken", Str("unique per run: the new volume's name derives from it, so a retry of the run finds its volume")),
		),
		Output:  Obj(Req("VolumeName", Str("the persistent volume the claim is bound to"))),
		Timeout: 3600,
		build:   buildManageStorage,
		example: func(e *Env) map[string]any {
			c, v := exampleVolume(e)
			return map[string]any{
				"Account": accountOf(e, c.Account), "ClusterName": c.ClusterName, "Namespace": v.Namespace, "Claim": v.Claim,
				"FileSystemId": v.FileSystem.TargetFileSystemID, "Subpath": "/", "RunToken": "example-run",
			}
		},
	}
}

func buildManageStorage(e *Env) *asl.Machine {
	var s asl.States
	cluster := e.describeEKS("$.ClusterName", "$.Account.RoleArn")
	cluster.Next = "Name"
	s.Add("DescribeCluster", cluster)
	s.Add("Name", &asl.Pass{
		Comment: "<claim>-<MD5 of the run token>: lower-case letters, digits and -, a valid volume name (at most 63 characters for a claim of up to 30).",
		Parameters: asl.Obj(asl.Field("Name", asl.Format("{}-{}", asl.Ref("$.Claim"),
			asl.Call(asl.FnHash, asl.Ref("$.RunToken"), asl.Str("MD5"))))),
		ResultPath: asl.At("$.Volume"),
		Next:       "GetClaim",
	})
	s = merge(s, e.claimStates(), e.repointStates(), e.dropOldVolumeStates())
	succeed(&s, "Output", asl.Obj(asl.Field("VolumeName", asl.Ref("$.Volume.Name"))))
	return &asl.Machine{Comment: "Repoint a persistent volume claim at a folder of an EFS file system.", StartAt: "DescribeCluster", States: s}
}

// claimPath is the API path of the claim; volumePath, of the volume whose
// name is at namePath.
var claimPath = asl.Format("/api/v1/namespaces/{}/persistentvolumeclaims/{}", asl.Ref("$.Namespace"), asl.Ref("$.Claim"))

func volumePath(namePath string) asl.Value {
	return asl.Format("/api/v1/persistentvolumes/{}", asl.Ref(namePath))
}

// getClaim reads the claim's spec into <at>.Spec.
func (e *Env) getClaim(at string) *asl.Task {
	t := e.kube("GET", claimPath, nil)
	t.ResultSelector = asl.Obj(asl.Field("Spec", asl.Ref("$.ResponseBody.spec")))
	t.ResultPath = asl.At(at)
	return t
}

// claimFailure fails with errName and a cause that starts "The claim
// <namespace>/<name> " and goes on with cause, whose {} take args.
func claimFailure(errName, cause string, args ...asl.Arg) *asl.Fail {
	named := []asl.Arg{asl.Ref("$.Namespace"), asl.Ref("$.Claim")}
	return &asl.Fail{Error: errName, CausePath: asl.Format("The claim {}/{} "+cause, append(named, args...)...)}
}

// claimStates read the claim ($.Current.Spec) and the volume it is bound
// to ($.Old), and go on to CreateVolume, or to Output when the claim is
// bound to this run's volume already. Their entry is GetClaim.
func (e *Env) claimStates() asl.States {
	var s asl.States
	get := e.getClaim("$.Current")
	get.Next = "IsBound"
	get.Catch = catchTo("GetNewVolume", errKubeNotFound)
	s.Add("GetClaim", get)
	resume := e.kube("GET", volumePath("$.Volume.Name"), nil)
	resume.Comment = "No claim: an earlier try of this run deleted it and stopped. The volume that try made has the claim's size and access modes."
	resume.ResultSelector = asl.Obj(asl.Field("Spec", asl.Obj(
		asl.Field("accessModes", asl.Ref("$.ResponseBody.spec.accessModes")),
		asl.Field("resources", asl.Obj(asl.Field("requests", asl.Obj(asl.Field("storage", asl.Ref("$.ResponseBody.spec.capacity.storage")))))),
	)))
	resume.ResultPath, resume.Next = asl.At("$.Current"), "CreateClaim"
	resume.Catch = catchTo("NoClaim", errKubeNotFound)
	s.Add("GetNewVolume", resume)
	s.Add("NoClaim", claimFailure(ErrPreconditions, "does not exist."))
	s = merge(s, boundTo("IsBound", "$.Current.Spec", "Output", "GetOldVolume", "CreateVolume"))
	old := e.kube("GET", volumePath("$.Current.Spec.volumeName"), nil)
	old.ResultSelector = asl.Obj(
		asl.Field("Name", asl.Ref("$.ResponseBody.metadata.name")),
		asl.Field("Metadata", asl.Ref("$.ResponseBody.metadata")),
		asl.Field("ReclaimPolicy", asl.Ref("$.ResponseBody.spec.persistentVolumeReclaimPolicy")),
	)
	old.ResultPath, old.Next = asl.At("$.Old"), "OldIsKept"
	s.Add("GetOldVolume", old)
	s.Add("OldIsKept", &asl.Choice{
		Comment: "Kubernetes deletes a volume whose reclaim policy is Delete with its claim: refreshgen deletes nothing it did not make.",
		Choices: []asl.Rule{asl.When(asl.CompareString("$.Old.ReclaimPolicy", asl.Equals, "Delete"), "OldWouldGo")},
		Default: "CreateVolume",
	})
	s.Add("OldWouldGo", claimFailure(ErrPreconditions,
		"is bound to the volume {}, whose reclaim policy is Delete: deleting the claim would delete it. Set its persistentVolumeReclaimPolicy to Retain, then run again.",
		asl.Ref("$.Old.Name")))
	return s
}

// repointStates create this run's volume, delete the claim once no pod
// uses it, create it again bound to the volume and go to OldIsOurs. A
// create that finds its object there (409) goes on: a retry of the run.
// Their entry is CreateVolume.
func (e *Env) repointStates() asl.States {
	var s asl.States
	create := e.kube("POST", asl.Str("/api/v1/persistentvolumes"), volumeManifest())
	create.ResultPath, create.Next = asl.Discard(), "DeleteClaim"
	create.Catch = catchTo("DeleteClaim", errKubeConflict)
	s.Add("CreateVolume", create)
	gone := poll{name: "WaitClaimGone", action: e.kube("GET", claimPath, nil), attempts: 60, interval: 10}
	gone.action.Comment = "The claim goes once no pod uses it (its kubernetes.io/pvc-protection finalizer)."
	gone.action.ResultPath = asl.Discard()
	gone.action.Catch = catchTo("CreateClaim", errKubeNotFound)
	del := e.kube("DELETE", claimPath, nil)
	del.ResultPath, del.Next = asl.Discard(), gone.entry()
	del.Catch = catchTo(gone.entry(), errKubeNotFound)
	s.Add("DeleteClaim", del)
	s = merge(s, gone.states())
	recreate := e.kube("POST", asl.Format("/api/v1/namespaces/{}/persistentvolumeclaims", asl.Ref("$.Namespace")), claimManifest())
	recreate.ResultPath, recreate.Next = asl.Discard(), "OldIsOurs"
	recreate.Catch = catchTo("GetNewClaim", errKubeConflict)
	s.Add("CreateClaim", recreate)
	check := e.getClaim("$.Recreated")
	check.Comment = "The claim exists already: an earlier try of this run made it, or something else did (a controller, a GitOps sync)."
	check.Next = "IsRebound"
	s.Add("GetNewClaim", check)
	s = merge(s, boundTo("IsRebound", "$.Recreated.Spec", "OldIsOurs", "ClaimTaken", "ClaimTaken"))
	s.Add("ClaimTaken", claimFailure(ErrAlreadyExists,
		"was created again, not bound to {}, before refreshgen could: stop what creates it and run again.",
		asl.Ref("$.Volume.Name")))
	return s
}

// dropOldVolumeStates delete the volume the claim was bound to ($.Old)
// when refreshgen made it (its label), and go to Output. Their entry is
// OldIsOurs.
func (e *Env) dropOldVolumeStates() asl.States {
	label := "$.Old.Metadata.labels['" + managedByLabel + "']"
	var s asl.States
	s.Add("OldIsOurs", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.And(asl.TypeTest(asl.IsPresent, "$.Old", true), asl.TypeTest(asl.IsPresent, label, true)), "OldLabel")},
		Default: "Output",
	})
	s.Add("OldLabel", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.CompareString(label, asl.Equals, managedByValue), "DeleteOldVolume")},
		Default: "Output",
	})
	// Its reclaim policy is Retain: deleting the volume leaves the data.
	drop := e.kube("DELETE", volumePath("$.Old.Name"), nil)
	drop.ResultPath, drop.Next = asl.Discard(), "Output"
	drop.Catch = catchTo("Output", errKubeNotFound)
	s.Add("DeleteOldVolume", drop)
	return s
}

// volumeManifest is the new static volume on the EFS CSI driver: the
// claim's size and access modes, kept on release (Retain), reserved for
// the claim (claimRef) so that no other claim binds it first.
func volumeManifest() *asl.Object {
	return asl.Obj(
		asl.Field("apiVersion", asl.Str("v1")),
		asl.Field("kind", asl.Str("PersistentVolume")),
		asl.Field("metadata", asl.Obj(
			asl.Field("name", asl.Ref("$.Volume.Name")),
			asl.Field("labels", asl.Obj(asl.Field(managedByLabel, asl.Str(managedByValue)))),
		)),
		asl.Field("spec", asl.Obj(
			asl.Field("capacity", asl.Obj(asl.Field("storage", asl.Ref("$.Current.Spec.resources.requests.storage")))),
			asl.Field("accessModes", asl.Ref("$.Current.Spec.accessModes")),
			asl.Field("persistentVolumeReclaimPolicy", asl.Str("Retain")),
			asl.Field("storageClassName", asl.Str("")),
			asl.Field("claimRef", asl.Obj(asl.Field("namespace", asl.Ref("$.Namespace")), asl.Field("name", asl.Ref("$.Claim")))),
			asl.Field("csi", asl.Obj(
				asl.Field("driver", asl.Str("efs.csi.aws.com")),
				asl.Field("volumeHandle", asl.Format("{}:{}", asl.Ref("$.FileSystemId"), asl.Ref("$.Subpath"))),
			)),
		)),
	)
}

// claimManifest is the claim again, with its name, size and access modes,
// bound to the new volume (volumeName; no storage class, so that no
// provisioner takes it).
func claimManifest() *asl.Object {
	return asl.Obj(
		asl.Field("apiVersion", asl.Str("v1")),
		asl.Field("kind", asl.Str("PersistentVolumeClaim")),
		asl.Field("metadata", asl.Obj(asl.Field("name", asl.Ref("$.Claim")), asl.Field("namespace", asl.Ref("$.Namespace")))),
		asl.Field("spec", asl.Obj(
			asl.Field("accessModes", asl.Ref("$.Current.Spec.accessModes")),
			asl.Field("resources", asl.Obj(asl.Field("requests", asl.Obj(asl.Field("storage", asl.Ref("$.Current.Spec.resources.requests.storage")))))),
			asl.Field("storageClassName", asl.Str("")),
			asl.Field("volumeName", asl.Ref("$.Volume.Name")),
		)),
	)
}
