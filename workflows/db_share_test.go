package workflows

import (
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/sim"
)

// The tests of the AWS RAM workflows (db_share.go): which calls each
// machine makes under which role, then simulated runs against scripted
// RAM answers.

const (
	ramTestShareArn      = "arn:aws:ram:eu-west-1:111111111111:resource-share/6d1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
	ramTestInvitationArn = "arn:aws:ram:eu-west-1:111111111111:resource-share-invitation/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
)

// ramAssociations is a getResourceShareAssociations answer: one
// association per status given ("" gives none).
func ramAssociations(entity string, statuses ...string) sim.Result {
	list := []map[string]any{}
	for _, s := range statuses {
		if s == "" {
			continue
		}
		a := map[string]any{"ResourceShareArn": ramTestShareArn, "AssociatedEntity": entity, "Status": s}
		if s == "FAILED" {
			a["StatusMessage"] = "simulated failure"
		}
		list = append(list, a)
	}
	return answer(map[string]any{"ResourceShareAssociations": list})
}

func ramClusterAssociation(status string) sim.Result {
	return ramAssociations("arn:aws:rds:eu-west-1:111111111111:cluster:example-source", status)
}

func ramAccountAssociation(status string) sim.Result {
	return ramAssociations("333333333333", status)
}

// ramShares is a getResourceShares answer holding one share with the
// given status and tags (nil tags: no Tags field at all).
func ramShares(status string, tags []any) sim.Result {
	share := map[string]any{"ResourceShareArn": ramTestShareArn, "Name": "refreshgen-example-run",
		"OwningAccountId": "111111111111", "Status": status}
	if tags != nil {
		share["Tags"] = tags
	}
	return answer(map[string]any{"ResourceShares": []map[string]any{share}})
}

func ramNoShares() sim.Result { return answer(map[string]any{"ResourceShares": []any{}}) }

func ramInvitations(statuses ...string) sim.Result {
	list := []map[string]any{}
	for i, s := range statuses {
		arn := ramTestInvitationArn
		if i > 0 {
			arn += "-" + s
		}
		list = append(list, map[string]any{"ResourceShareInvitationArn": arn, "ResourceShareArn": ramTestShareArn, "Status": s})
	}
	return answer(map[string]any{"ResourceShareInvitations": list})
}

var ramCreated = answer(map[string]any{"ResourceShare": map[string]any{
	"ResourceShareArn": ramTestShareArn, "Name": "refreshgen-example-run", "Status": "ACTIVE"}})

// TestShareWorkflowsCallAs pins each machine's integrations and the role
// of each: the source role shares and deletes, the destination role only
// reads and accepts its own invitations.
func TestShareWorkflowsCallAs(t *testing.T) {
	want := map[string]map[string][]string{
		"share_cluster": {
			"ram:getResourceShares":             {roleSource},
			"ram:createResourceShare":           {roleSource},
			"ram:getResourceShareAssociations":  {roleSource, roleSource},
			"ram:getResourceShareInvitations":   {roleDestination},
			"ram:acceptResourceShareInvitation": {roleDestination},
		},
		"release_cluster_share": {
			"ram:getResourceShares":   {roleSource, roleSource},
			"ram:deleteResourceShare": {roleSource},
		},
	}
	for key, calls := range want {
		m := machineOf(t, GroupDB, key)
		wantCalls(t, m, calls)
		wantCanonicalErrors(t, m)
		if m.Workflow.Summary == "" || m.Definition.Comment == "" || m.Definition.TimeoutSeconds <= 0 || m.Workflow.example == nil {
			t.Errorf("%s needs a Summary, a Comment, a Timeout and an example", key)
		}
		// Every RAM call retries throttling and RAM's own server errors,
		// which its model names (so they are not Ram.RamException).
		for l := range m.Definition.Walk() {
			task, ok := l.State.(*asl.Task)
			if !ok {
				continue
			}
			var retried []string
			for _, r := range task.Retry {
				retried = append(retried, r.ErrorEquals...)
			}
			for _, e := range []string{"Ram.ThrottlingException", "Ram.ServerInternalException",
				"Ram.ServiceUnavailableException", "Ram.RamException", "Ram.SdkClientException"} {
				if !slices.Contains(retried, e) {
					t.Errorf("%s %s does not retry %s", key, l.At, e)
				}
			}
		}
	}
	// The guard: with ram:deleteResourceShare counted as destructive (it
	// may not be in the package's list yet), no path reaches it unguarded.
	if !destructive["ram:deleteResourceShare"] {
		destructive["ram:deleteResourceShare"] = true
		defer delete(destructive, "ram:deleteResourceShare")
	}
	if problems := checkGuards(machineOf(t, GroupDB, "release_cluster_share").Definition); len(problems) > 0 {
		t.Errorf("release_cluster_share: %v", problems)
	}
}

func TestShareCluster(t *testing.T) {
	in := exampleInput(t, GroupDB, "share_cluster", nil)
	src, dst := in["Source"].(map[string]any), in["Destination"].(map[string]any)
	run := func(t *testing.T, answers map[string][]sim.Result) *sim.Execution {
		t.Helper()
		return simulate(t, GroupDB, "share_cluster", in, answers)
	}

	t.Run("creates the share, waits for the cluster and the account", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"FindShare":   {ramNoShares()},
			"Create":      {ramCreated},
			"WaitCluster": {ramClusterAssociation(""), ramClusterAssociation("ASSOCIATING"), ramClusterAssociation("ASSOCIATED")},
			"WaitAccount": {ramAccountAssociation("ASSOCIATED")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"ResourceShareArn":"`+ramTestShareArn+`"}`)
		create := callsIn(x, "Create")
		if len(create) != 1 || create[0].RoleArn != src["RoleArn"] {
			t.Fatalf("create calls: %+v", create)
		}
		params := create[0].Parameters.(map[string]any)
		token := params["ClientToken"]
		delete(params, "ClientToken")
		wantJSON(t, "create", params, asJSON(t, map[string]any{
			"AllowExternalPrincipals": true, "Name": in["ShareName"], "Principals": []any{dst["AccountId"]},
			"ResourceArns": []any{in["ClusterArn"]}, "Tags": in["Tags"],
		}))
		if token != "run-1" {
			t.Errorf("client token %v, want the execution's name", token)
		}
		cluster := callsIn(x, "WaitCluster")
		wantJSON(t, "cluster association query", cluster[0].Parameters, asJSON(t, map[string]any{
			"AssociationType": "RESOURCE", "ResourceArn": in["ClusterArn"], "ResourceShareArns": []string{ramTestShareArn}}))
		account := callsIn(x, "WaitAccount")
		wantJSON(t, "account association query", account[0].Parameters, asJSON(t, map[string]any{
			"AssociationType": "PRINCIPAL", "Principal": dst["AccountId"], "ResourceShareArns": []string{ramTestShareArn}}))
		if len(cluster) != 3 || len(account) != 1 || account[0].RoleArn != src["RoleArn"] {
			t.Errorf("polls: %d cluster, %d account (%+v)", len(cluster), len(account), account)
		}
		if n := len(callsIn(x, "Invitations")); n != 0 {
			t.Errorf("looked for invitations %d times in one organization", n)
		}
	})

	t.Run("a rerun reuses refreshgen's active share of that name", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"FindShare":   {ramShares("ACTIVE", resourceTags(true))},
			"WaitCluster": {ramClusterAssociation("ASSOCIATED")},
			"WaitAccount": {ramAccountAssociation("ASSOCIATED")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"ResourceShareArn":"`+ramTestShareArn+`"}`)
		if n := len(callsIn(x, "Create")); n != 0 {
			t.Errorf("created %d shares", n)
		}
		tag := exampleSpec(t).Project.ManagedTag
		find := callsIn(x, "FindShare")[0]
		wantJSON(t, "find", find.Parameters, asJSON(t, map[string]any{
			"Name": in["ShareName"], "ResourceOwner": "SELF", "ResourceShareStatus": "ACTIVE",
			"TagFilters": []any{map[string]any{"TagKey": tag.Key, "TagValues": []string{tag.Value}}},
		}))
		if find.RoleArn != src["RoleArn"] {
			t.Errorf("find made as %s", find.RoleArn)
		}
	})

	t.Run("the destination accepts a pending invitation", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"FindShare":   {ramNoShares()},
			"Create":      {ramCreated},
			"WaitCluster": {ramClusterAssociation("ASSOCIATED")},
			"WaitAccount": {ramAccountAssociation("ASSOCIATING"), ramAccountAssociation("ASSOCIATING"),
				ramAccountAssociation("ASSOCIATING"), ramAccountAssociation("ASSOCIATED")},
			// Not listed yet, then pending (next to an old accepted one),
			// then accepted.
			"Invitations": {ramInvitations(), ramInvitations("PENDING", "ACCEPTED"), ramInvitations("ACCEPTED")},
			"Accept":      {answer(map[string]any{"ResourceShareInvitation": map[string]any{"Status": "ACCEPTED"}})},
		})
		wantStatus(t, x, sim.Succeeded, "")
		accept := callsIn(x, "Accept")
		if len(accept) != 1 || accept[0].RoleArn != dst["RoleArn"] {
			t.Fatalf("accept calls: %+v", accept)
		}
		wantJSON(t, "accept", accept[0].Parameters, `{"ResourceShareInvitationArn":"`+ramTestInvitationArn+`"}`)
		invitations := callsIn(x, "Invitations")
		if len(invitations) != 3 || invitations[0].RoleArn != dst["RoleArn"] {
			t.Fatalf("invitation calls: %+v", invitations)
		}
		wantJSON(t, "invitations", invitations[0].Parameters, `{"ResourceShareArns":["`+ramTestShareArn+`"]}`)
	})

	t.Run("an invitation a retry already accepted is fine", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"FindShare":   {ramNoShares()},
			"Create":      {ramCreated},
			"WaitCluster": {ramClusterAssociation("ASSOCIATED")},
			"WaitAccount": {ramAccountAssociation("ASSOCIATING"), ramAccountAssociation("ASSOCIATED")},
			"Invitations": {ramInvitations("PENDING")},
			"Accept":      {failure("Ram.ResourceShareInvitationAlreadyAcceptedException")},
		})
		wantStatus(t, x, sim.Succeeded, "")
	})

	for _, c := range []struct{ state, status string }{
		{"WaitAccount", "FAILED"}, {"WaitAccount", "DISASSOCIATED"}, {"WaitCluster", "FAILED"},
	} {
		t.Run("a "+c.status+" association in "+c.state+" fails at once, naming the share", func(t *testing.T) {
			answers := map[string][]sim.Result{
				"FindShare":   {ramNoShares()},
				"Create":      {ramCreated},
				"WaitCluster": {ramClusterAssociation("ASSOCIATED")},
				"WaitAccount": {ramAccountAssociation("ASSOCIATING")},
				"Invitations": {ramInvitations()},
			}
			if c.state == "WaitCluster" {
				answers[c.state] = []sim.Result{ramClusterAssociation("ASSOCIATING"), ramClusterAssociation(c.status)}
			} else {
				answers[c.state] = []sim.Result{ramAccountAssociation("ASSOCIATING"), ramAccountAssociation(c.status)}
			}
			x := run(t, answers)
			wantStatus(t, x, sim.Failed, ErrInvalidState)
			if n := len(callsIn(x, c.state)); n != 2 {
				t.Errorf("polled %d times", n)
			}
			for _, want := range []string{"refreshgen-example-run", ramTestShareArn, c.status} {
				if !strings.Contains(x.Cause, want) {
					t.Errorf("cause %q does not mention %s", x.Cause, want)
				}
			}
		})
	}

	t.Run("an invitation that never comes exhausts the bounded loop", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"FindShare":   {ramNoShares()},
			"Create":      {ramCreated},
			"WaitCluster": {ramClusterAssociation("ASSOCIATED")},
			"WaitAccount": {ramAccountAssociation("ASSOCIATING")},
			"Invitations": {ramInvitations()},
		})
		wantStatus(t, x, sim.Failed, asl.ErrPollTimeout)
		if n := len(callsIn(x, "WaitAccount")); n != ramPrincipalAttempts {
			t.Errorf("polled %d times, want %d", n, ramPrincipalAttempts)
		}
		if n := len(callsIn(x, "Invitations")); n != ramPrincipalAttempts-1 {
			t.Errorf("looked for invitations %d times, want %d", n, ramPrincipalAttempts-1)
		}
	})

	t.Run("a cluster never associated exhausts its loop too", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"FindShare":   {ramNoShares()},
			"Create":      {ramCreated},
			"WaitCluster": {ramClusterAssociation("ASSOCIATING")},
		})
		wantStatus(t, x, sim.Failed, asl.ErrPollTimeout)
		if n := len(callsIn(x, "WaitCluster")); n != ramClusterAttempts {
			t.Errorf("polled %d times, want %d", n, ramClusterAttempts)
		}
	})

	t.Run("throttling is retried", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"FindShare":   {failure("Ram.ThrottlingException"), ramNoShares()},
			"Create":      {failure("Ram.ServiceUnavailableException"), ramCreated},
			"WaitCluster": {ramClusterAssociation("ASSOCIATED")},
			"WaitAccount": {ramAccountAssociation("ASSOCIATED")},
		})
		wantStatus(t, x, sim.Succeeded, "")
		create := callsIn(x, "Create")
		if len(create) != 2 || param(create[0], "ClientToken") != param(create[1], "ClientToken") {
			t.Errorf("a retried create must send the same client token: %+v", create)
		}
	})
}

func TestReleaseClusterShare(t *testing.T) {
	in := exampleInput(t, GroupDB, "release_cluster_share", nil)
	src := in["Source"].(map[string]any)
	run := func(t *testing.T, answers map[string][]sim.Result) *sim.Execution {
		t.Helper()
		return simulate(t, GroupDB, "release_cluster_share", in, answers)
	}

	t.Run("deletes refreshgen's share", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"Describe": {ramShares("ACTIVE", resourceTags(true))},
			"Delete":   {answer(map[string]any{"ReturnValue": true})},
		})
		wantStatus(t, x, sim.Succeeded, "")
		wantJSON(t, "output", x.Output, `{"Released":true}`)
		wantJSON(t, "describe", callsIn(x, "Describe")[0].Parameters,
			`{"Name":"refreshgen-example-run","ResourceOwner":"SELF"}`)
		del := callsIn(x, "Delete")
		if len(del) != 1 || del[0].RoleArn != src["RoleArn"] || param(del[0], "ResourceShareArn") != ramTestShareArn {
			t.Fatalf("delete calls: %+v", del)
		}
	})

	for name, tags := range map[string][]any{
		"an untagged share":               nil,
		"a share with no tag":             {},
		"a share without the managed tag": resourceTags(false),
		"a share with another value":      {map[string]any{"Key": managedTag["Key"], "Value": "no"}},
	} {
		t.Run(name+" is left alone", func(t *testing.T) {
			x := run(t, map[string][]sim.Result{"Describe": {ramShares("ACTIVE", tags)}})
			wantStatus(t, x, sim.Failed, ErrNotManaged)
			if len(x.Calls) != 1 || !strings.Contains(x.Cause, "refreshgen-example-run") {
				t.Errorf("calls %v, cause %q", x.Calls, x.Cause)
			}
		})
	}

	for name, answers := range map[string]map[string][]sim.Result{
		"a deleted share":           {"Describe": {ramShares("DELETED", resourceTags(true))}},
		"a share being deleted":     {"Describe": {ramShares("DELETING", resourceTags(true))}},
		"a share RAM lists no more": {"Describe": {ramNoShares()}},
		"a share RAM does not know": {"Describe": {failure("Ram.UnknownResourceException")}},
		"a share deleted meanwhile": {"Describe": {ramShares("ACTIVE", resourceTags(true))},
			"Delete": {failure("Ram.UnknownResourceException")}},
		"a share someone else is deleting": {"Describe": {ramShares("ACTIVE", resourceTags(true))},
			"Delete": {failure("Ram.InvalidStateTransitionException")}, "Recheck": {ramShares("DELETING", resourceTags(true))}},
	} {
		t.Run(name+" is already released", func(t *testing.T) {
			x := run(t, answers)
			wantStatus(t, x, sim.Succeeded, "")
			wantJSON(t, "output", x.Output, `{"Released":false}`)
		})
	}

	t.Run("a share RAM will not delete fails clearly", func(t *testing.T) {
		x := run(t, map[string][]sim.Result{
			"Describe": {ramShares("ACTIVE", resourceTags(true))},
			"Delete":   {failure("Ram.InvalidStateTransitionException")},
			"Recheck":  {ramShares("ACTIVE", resourceTags(true))},
		})
		wantStatus(t, x, sim.Failed, ErrInvalidState)
		if !strings.Contains(x.Cause, "refreshgen-example-run") {
			t.Errorf("cause %q", x.Cause)
		}
	})
}
