package workflows

import (
	"fmt"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/spec"
)

// The AWS RAM workflows of the db group: a cross-account Aurora clone
// (clone_cluster, strategy "clone") needs the source account to share the
// cluster with the destination account through AWS RAM, and the
// destination to accept the invitation when the two accounts are not in
// one AWS Organization with RAM sharing enabled (Aurora User Guide,
// Cross-account cloning with AWS RAM and Amazon Aurora). share_cluster
// does that; release_cluster_share takes it back.

func dbShareWorkflows() []*Workflow {
	return []*Workflow{shareCluster(), releaseClusterShare()}
}

// The RAM errors the share workflows handle (RAM API Reference; the
// shapes of the service's API model).
var (
	errRAMUnknownResource    = asl.SDKError(asl.ServiceID("ram"), "UnknownResourceException")
	errRAMInvalidStateChange = asl.SDKError(asl.ServiceID("ram"), "InvalidStateTransitionException")
	errRAMInvitationAccepted = asl.SDKError(asl.ServiceID("ram"), "ResourceShareInvitationAlreadyAcceptedException")
)

// statusIs is a JSONPath filter keeping the elements whose Status is
// status. Each filter holds one comparison: Step Functions' JSONPath
// (Jayway) would take "||" and "!=", but the ASL validators refreshgen's
// output is checked with do not.
func statusIs(status string) string { return "[?(@.Status == '" + status + "')]" }

// Polling bounds of share_cluster: RAM associates within seconds; the
// account's association waits for the invitation, which the workflow
// accepts itself.
const (
	ramPollInterval      = 10
	ramClusterAttempts   = 60 // 10 minutes
	ramPrincipalAttempts = 90 // 15 minutes
)

// associations returns a Task listing, as the source role, the
// associations of type kind (RESOURCE or PRINCIPAL) of the share at
// $.Share.Arn, narrowed by filter. The result at resultPath holds them all
// (All, for a failure's cause) and sorted by status (RAM API Reference,
// ResourceShareAssociation): ASSOCIATING becomes ASSOCIATED, while
// FAILED, DISASSOCIATING and DISASSOCIATED never do (an invitation that
// expires disassociates its principal, AWS RAM User Guide, Accepting and
// rejecting resource share invitations). Each list is empty when no
// association has that status, so the Choice after it only tests
// presence and never compares a field that may be missing.
func (e *Env) associations(kind, resultPath string, filter ...asl.Member) *asl.Task {
	t := e.call("ram", "getResourceShareAssociations", "$.Source.RoleArn", asl.Obj(append([]asl.Member{
		asl.Field("AssociationType", asl.Str(kind)),
		asl.Field("ResourceShareArns", asl.Call(asl.FnArray, asl.Ref("$.Share.Arn"))),
	}, filter...)...))
	list := "$.ResourceShareAssociations"
	t.ResultSelector = asl.Obj(
		asl.Field("All", asl.Ref(list+"[*]")),
		asl.Field("Associated", asl.Ref(list+statusIs("ASSOCIATED"))),
		asl.Field("Associating", asl.Ref(list+statusIs("ASSOCIATING"))),
		asl.Field("Failed", asl.Ref(list+statusIs("FAILED"))),
		asl.Field("Disassociating", asl.Ref(list+statusIs("DISASSOCIATING"))),
		asl.Field("Disassociated", asl.Ref(list+statusIs("DISASSOCIATED"))),
	)
	t.ResultPath = asl.At(resultPath)
	return t
}

// deadEnd is the rule sending an association result at path that holds a
// status which never becomes ASSOCIATED to next.
func deadEnd(path, next string) asl.Rule {
	var present []asl.Condition
	for _, list := range []string{"Failed", "Disassociating", "Disassociated"} {
		present = append(present, asl.TypeTest(asl.IsPresent, path+"."+list+"[0]", true))
	}
	return asl.When(asl.Or(present...), next)
}

func shareCluster() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "share_cluster",
		Summary: "Share a source Aurora cluster with a destination account through AWS RAM, for a cross-account clone, " +
			"and accept the invitation as the destination when there is one.",
		Input: Obj(
			Req("Source", account()),
			Req("Destination", account()),
			Req("ClusterArn", Str("the ARN of the source cluster to share")),
			Req("ShareName", Str("the resource share's name; a rerun reuses refreshgen's active share of that name")),
			Req("Tags", tags()),
		),
		Output:  Obj(Req("ResourceShareArn", Str("the resource share, for release_cluster_share"))),
		Timeout: 3600,
		build:   buildShareCluster,
		example: func(e *Env) map[string]any {
			source := e.Spec.AccountsWithRole(spec.RoleSource)[0]
			tag := e.ManagedTag()
			return map[string]any{
				"Source":      accountOf(e, exampleAccount(e, spec.RoleSource)),
				"Destination": accountOf(e, exampleAccount(e, spec.RoleDestination)),
				"ClusterArn":  e.ARN("rds", source.ID, "cluster:example-source"),
				"ShareName":   "refreshgen-example-run",
				"Tags":        []map[string]any{{"Key": tag.Key, "Value": tag.Value}},
			}
		},
	}
}

// buildShareCluster: find or create the share (source role), wait until
// the cluster is associated with it, then until the destination account
// is, accepting the destination's invitation (destination role) while
// the account's association waits for one.
func buildShareCluster(e *Env) *asl.Machine {
	tag := e.ManagedTag()
	// Only a share refreshgen made (the managed tag) and that is ACTIVE
	// is reused: RAM does not keep names unique, and filters on the
	// server so that nothing else is ever picked.
	find := e.call("ram", "getResourceShares", "$.Source.RoleArn", asl.Obj(
		asl.Field("ResourceOwner", asl.Str("SELF")),
		asl.Field("Name", asl.Ref("$.ShareName")),
		asl.Field("ResourceShareStatus", asl.Str("ACTIVE")),
		asl.Field("TagFilters", asl.Array{asl.Obj(
			asl.Field("TagKey", asl.Str(tag.Key)),
			asl.Field("TagValues", asl.Array{asl.Str(tag.Value)}),
		)}),
	))
	find.ResultSelector = asl.Obj(asl.Field("Arns", asl.Ref("$.ResourceShares[*].ResourceShareArn")))
	find.ResultPath, find.Next = asl.At("$.Found"), "Existing"

	// The rules run in order: the attempt bound comes before the rule that
	// sends a waiting association to the invitation, or an invitation that
	// never comes would keep the loop going past its bound.
	principal := poll{
		name: "WaitAccount", attempts: ramPrincipalAttempts, interval: ramPollInterval,
		action: e.associations("PRINCIPAL", "$.AccountAssociation", asl.Field("Principal", asl.Ref("$.Destination.AccountId"))),
		extraExit: []asl.Rule{
			asl.When(asl.TypeTest(asl.IsPresent, "$.AccountAssociation.Associated[0]", true), "Output"),
			deadEnd("$.AccountAssociation", "AccountNotShared"),
			asl.When(asl.CompareNumber("$.PollWaitAccount.Attempt", asl.GreaterThanEquals, ramPrincipalAttempts), "WaitAccountTimedOut"),
			asl.When(asl.TypeTest(asl.IsPresent, "$.AccountAssociation.Associating[0]", true), "Invitations"),
		},
	}

	cluster := poll{
		name: "WaitCluster", attempts: ramClusterAttempts, interval: ramPollInterval,
		action: e.associations("RESOURCE", "$.ClusterAssociation", asl.Field("ResourceArn", asl.Ref("$.ClusterArn"))),
		extraExit: []asl.Rule{
			asl.When(asl.TypeTest(asl.IsPresent, "$.ClusterAssociation.Associated[0]", true), principal.entry()),
			deadEnd("$.ClusterAssociation", "ClusterNotShared"),
		},
	}
	create := e.call("ram", "createResourceShare", "$.Source.RoleArn", asl.Obj(
		asl.Field("Name", asl.Ref("$.ShareName")),
		asl.Field("ResourceArns", asl.Call(asl.FnArray, asl.Ref("$.ClusterArn"))),
		asl.Field("Principals", asl.Call(asl.FnArray, asl.Ref("$.Destination.AccountId"))),
		// The destination may be outside the source's organization.
		asl.Field("AllowExternalPrincipals", asl.Bool(true)),
		asl.Field("Tags", asl.Ref("$.Tags")),
		// The same token on every retry of this execution: a retried
		// create returns the first share instead of making a second one.
		asl.Field("ClientToken", asl.Ref("$$.Execution.Name")),
	))
	create.ResultSelector = asl.Obj(asl.Field("Arn", asl.Ref("$.ResourceShare.ResourceShareArn")))
	create.ResultPath, create.Next = asl.At("$.Share"), cluster.entry()

	invitations := e.call("ram", "getResourceShareInvitations", "$.Destination.RoleArn", asl.Obj(
		asl.Field("ResourceShareArns", asl.Call(asl.FnArray, asl.Ref("$.Share.Arn"))),
	))
	invitations.Comment = "The destination's invitations to this share, if the accounts do not share an organization."
	invitations.ResultSelector = asl.Obj(asl.Field("Pending",
		asl.Ref("$.ResourceShareInvitations"+statusIs("PENDING")+".ResourceShareInvitationArn")))
	invitations.ResultPath, invitations.Next = asl.At("$.Invitations"), "Pending"

	accept := e.call("ram", "acceptResourceShareInvitation", "$.Destination.RoleArn", asl.Obj(
		asl.Field("ResourceShareInvitationArn", asl.Ref("$.Invitations.Pending[0]")),
	))
	accept.Catch = []asl.Catcher{{ErrorEquals: []string{errRAMInvitationAccepted}, ResultPath: asl.Discard(), Next: "WaitAccountWait"}}
	accept.ResultPath, accept.Next = asl.Discard(), "WaitAccountWait"

	var s asl.States
	s.Add("FindShare", find)
	s.Add("Existing", &asl.Choice{
		Comment: "Reuse refreshgen's active share of this name (a rerun); otherwise create one.",
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Found.Arns[0]", true), "Reuse")},
		Default: "Create",
	})
	s.Add("Reuse", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Arn", asl.Ref("$.Found.Arns[0]"))),
		ResultPath: asl.At("$.Share"),
		Next:       cluster.entry(),
	})
	s.Add("Create", create)
	s = merge(s, cluster.states(), principal.states())
	s.Add("Invitations", invitations)
	s.Add("Pending", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Invitations.Pending[0]", true), "Accept")},
		Default: "WaitAccountWait",
	})
	s.Add("Accept", accept)
	s.Add("ClusterNotShared", &asl.Fail{
		Comment: "RAM could not add the cluster to the share.",
		Error:   ErrInvalidState,
		CausePath: asl.Format("Resource share {} ({}) cannot share cluster {}: {}",
			asl.Ref("$.ShareName"), asl.Ref("$.Share.Arn"), asl.Ref("$.ClusterArn"),
			asl.Call(asl.FnJsonToString, asl.Ref("$.ClusterAssociation.All"))),
	})
	s.Add("AccountNotShared", &asl.Fail{
		Comment: "RAM could not share with the account, or its invitation was rejected or expired.",
		Error:   ErrInvalidState,
		CausePath: asl.Format("Resource share {} ({}) cannot share with account {}: {}",
			asl.Ref("$.ShareName"), asl.Ref("$.Share.Arn"), asl.Ref("$.Destination.AccountId"),
			asl.Call(asl.FnJsonToString, asl.Ref("$.AccountAssociation.All"))),
	})
	succeed(&s, "Output", asl.Obj(asl.Field("ResourceShareArn", asl.Ref("$.Share.Arn"))))
	return &asl.Machine{
		Comment: "Share a source cluster with a destination account through AWS RAM and accept the invitation.",
		StartAt: "FindShare", States: s,
	}
}

func releaseClusterShare() *Workflow {
	return &Workflow{
		Group: GroupDB, Key: "release_cluster_share",
		Summary: "Stop sharing a source cluster: delete refreshgen's AWS RAM resource share (the cluster itself is untouched).",
		Input: Obj(
			Req("Source", account()),
			Req("ShareName", Str("the name share_cluster was given: known before the share exists, so a cleanup after a failure can release it")),
		),
		Output:  Obj(Req("Released", Boolean("false when the share was already gone"))),
		Timeout: 900,
		build:   buildReleaseClusterShare,
		example: func(e *Env) map[string]any {
			return map[string]any{
				"Source":    accountOf(e, exampleAccount(e, spec.RoleSource)),
				"ShareName": "refreshgen-example-run",
			}
		},
	}
}

// describeShare returns a Task reading, as the source role, the source
// account's shares named $.ShareName into $.Found: Shares lists their
// ARNs (empty when RAM lists none), Deleted and Deleting those in these
// states, and Tags their tags (a wildcard: a share without tags gives [],
// never a missing field). The name carries the run's token, so it names
// one share of one run. A share RAM no longer knows goes to gone.
func (e *Env) describeShare(gone string) *asl.Task {
	t := e.call("ram", "getResourceShares", "$.Source.RoleArn", asl.Obj(
		asl.Field("ResourceOwner", asl.Str("SELF")),
		asl.Field("Name", asl.Ref("$.ShareName")),
	))
	list := "$.ResourceShares"
	t.ResultSelector = asl.Obj(
		asl.Field("Shares", asl.Ref(list+"[*].ResourceShareArn")),
		asl.Field("Deleted", asl.Ref(list+statusIs("DELETED")+".ResourceShareArn")),
		asl.Field("Deleting", asl.Ref(list+statusIs("DELETING")+".ResourceShareArn")),
		asl.Field("Tags", asl.Ref(list+"[*].Tags[*]")),
	)
	t.ResultPath = asl.At("$.Found")
	t.Catch = []asl.Catcher{{ErrorEquals: []string{errRAMUnknownResource}, ResultPath: asl.Discard(), Next: gone}}
	return t
}

// shareGone are the rules of a Choice after describeShare that send a
// share that is gone, or going, to next.
func shareGone(next string) []asl.Rule {
	return []asl.Rule{
		asl.When(asl.TypeTest(asl.IsPresent, "$.Found.Shares[0]", false), next),
		asl.When(asl.TypeTest(asl.IsPresent, "$.Found.Deleted[0]", true), next),
		asl.When(asl.TypeTest(asl.IsPresent, "$.Found.Deleting[0]", true), next),
	}
}

// buildReleaseClusterShare deletes the share behind the managed-tag
// guard. Deleting a share stops the sharing only; the cluster stays
// (RAM API Reference, DeleteResourceShare).
func buildReleaseClusterShare(e *Env) *asl.Machine {
	describe := e.describeShare("AlreadyGone")
	describe.Next = "Exists"
	del := e.call("ram", "deleteResourceShare", "$.Source.RoleArn", asl.Obj(
		asl.Field("ResourceShareArn", asl.Ref("$.Found.Shares[0]")),
		// A retry of this execution's delete is the same request.
		asl.Field("ClientToken", asl.Ref("$$.Execution.Name")),
	))
	del.Catch = []asl.Catcher{
		{ErrorEquals: []string{errRAMUnknownResource}, ResultPath: asl.Discard(), Next: "AlreadyGone"},
		// Refused in its current state: someone else may be deleting it.
		{ErrorEquals: []string{errRAMInvalidStateChange}, ResultPath: asl.At("$.Refused"), Next: "Recheck"},
	}
	del.ResultPath, del.Next = asl.Discard(), "Released"
	recheck := e.describeShare("AlreadyGone")
	recheck.Next = "StillThere"

	var s asl.States
	s.Add("Describe", describe)
	s.Add("Exists", &asl.Choice{
		Comment: "A share that is gone, or being deleted, is released already; any other is deleted if refreshgen made it.",
		Choices: shareGone("AlreadyGone"),
		Default: "Guard",
	})
	s = merge(s, e.requireManaged("Guard", "$.Found.Tags", "$.ShareName", "Delete"))
	s.Add("Delete", del)
	s.Add("Recheck", recheck)
	s.Add("StillThere", &asl.Choice{
		Choices: shareGone("AlreadyGone"),
		Default: "NotReleased",
	})
	s.Add("NotReleased", &asl.Fail{
		Error: ErrInvalidState,
		CausePath: asl.Format(fmt.Sprintf("Resource share {} cannot be deleted in its current state (%s): {}", errRAMInvalidStateChange),
			asl.Ref("$.ShareName"), asl.Ref("$.Refused.Cause")),
	})
	s.Add("AlreadyGone", &asl.Pass{Parameters: asl.Obj(asl.Field("Released", asl.Bool(false))), Next: "Done"})
	succeed(&s, "Released", asl.Obj(asl.Field("Released", asl.Bool(true))))
	return &asl.Machine{Comment: "Delete refreshgen's AWS RAM share of a source cluster.", StartAt: "Describe", States: s}
}
