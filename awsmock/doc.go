// Package awsmock is a mocked AWS for the simulator (package sim): a
// World answers every call the generated workflows make, as Step
// Functions' integrations return them, so that a refresh runs end to end
// offline, and a scenario file injects faults into it.
//
// # The healthy estate
//
// New(spec, Options) builds a deterministic, in-memory model of the
// accounts of a spec, as they stand before the first refresh (see seed.go
// for the full list): the source clusters, available and encrypted with
// the spec's keys, with a week of daily automated snapshots; the source
// file systems and their recovery points; each refresh's target cluster,
// without the managed tag until refreshgen adopts it; the target file
// systems, backup vaults, secrets, SQL scripts and Lambda helpers of the
// destinations; the EKS clusters with their node groups, the access
// entry of the destination role (the spec's access policies) and the
// claims the volumes name, bound and in use; the run-history table and
// the topics of the orchestrator account.
//
// The World implements sim.Executor. A call acts in the account of its
// Credentials.RoleArn, or in the orchestrator account when it runs as the
// state machine's role. Calls change the state as AWS would (a snapshot is
// created, shared, restored from; a cluster renamed, stopped, deleted; a
// grant made and revoked; a volume claim deleted and bound again), and
// resources move through their statuses with simulated time: a status is
// computed from the time of the call that reads it (creating, then
// available; InProgress, then Successful). Clock lists the durations.
//
// Responses have the shape of the aws-sdk integrations (the Java SDK v2
// member names in PascalCase, DbClusters[0].Status, timestamps as ISO 8601
// strings) and of the optimized ones (lambda:invoke's Payload, eks:call's
// ResponseBody). Errors are sim.Failure values named as Step Functions
// names them: Rds.DbClusterNotFoundException for the modelled error
// shapes, the service's base exception (Rds.RdsException) with the error
// code in the cause for the others, EKS.<status> for a Kubernetes error,
// the function's errorType for a Lambda helper's. The model is faithful to
// AWS, not to the workflows: it checks what AWS checks (a snapshot shared
// before a restore, a KMS grant to the restoring role, a cluster available
// before a change, no instance left before a cluster goes, Kubernetes RBAC
// of the access policies, the parameters an API takes). A call it has no
// model for fails with States.TaskFailed "awsmock: no model for
// <service>:<action>", and a parameter the API does not take with
// States.Runtime, so that gaps show.
//
// Every call is recorded: Timeline lists them in time order (state,
// service:action, account, role, outcome, the fault that answered, the
// parameters and output), CallsPerAccount counts them. Deny records a call
// that IAM refused before it reached AWS (package simulate checks IAM
// first). Read-only views show what a run left behind: Clusters,
// Snapshots, Grants, Shares, FileSystems, Nodegroups, Item and Published;
// Tags gives a resource's tags by ARN, as IAM reads them for
// aws:ResourceTag conditions.
//
// Options.Example runs a library workflow on its own: the World also holds
// what the workflow's example input names and expects to find
// (example-cluster, a shared example-snapshot with its KMS grant,
// example-eks with the input's claim...), made with the model's own rules,
// and starts after the times the input names.
//
// # Scenario files
//
// A scenario is a JSON file (ParseScenario, LoadScenario):
//
//	{
//	  "description": "RDS throttles the first two snapshot copies",
//	  "expect": {"status": "SUCCEEDED", "error": "...", "cause": "..."},
//	  "clock": {
//	    "start": "2026-11-29T03:00:00Z",
//	    "latency": "300ms",
//	    "durations": {"cluster-create": "40m"}
//	  },
//	  "faults": [
//	    {"service": "rds", "action": "copyDBClusterSnapshot", "account": "production",
//	     "match": {"TargetDBClusterSnapshotIdentifier": "..."},
//	     "after": 0, "times": 2,
//	     "error": "Rds.RdsException", "cause": "Rate exceeded"},
//	    {"service": "rds", "action": "describeDBClusters", "response": {"DbClusters": []}},
//	    {"service": "eks", "action": "describeCluster", "delay": "2m"},
//	    {"stuck": {"type": "cluster", "id": "staging-app-restore", "status": "creating"}, "account": "staging"}
//	  ]
//	}
//
// Every field is optional but what a fault needs. expect is how the run
// must end (Expect.Check): status SUCCEEDED, FAILED, TIMED_OUT or ABORTED,
// and the execution's error name and a part of its cause. clock sets the
// start of the run (pass World.Start to sim.Options.Start), the duration
// of an API call, and the durations of transitions by the names of
// DurationNames.
//
// A call fault names the service and action of the Task's resource
// (rds:createDBClusterSnapshot, lambda:invoke, eks:runJob or
// eks:runJob.sync) and, optionally, the spec's name of the account the
// call acts in and a subset of its parameters (match: objects by their
// keys, lists and scalars exactly, except that * in a string stands for
// any run of characters: "*-restore", or "*" for any string). Of the
// calls it matches it lets the first after through, then answers times of
// them (0: all) with error and cause, or with response as the call's
// result, or, with only delay, lets the model answer that much later;
// delay adds to an error or a response too. Faults take precedence over the model, and the first fault of the
// list that answers a call wins; a fault that answers keeps the model's
// state unchanged.
//
// A stuck fault holds resources of a type (StuckTypes), optionally of one
// id (where * stands for any run of characters) and account, in status: a transition that reaches the status stays
// there for ever (a cluster "creating" never becomes available, so bounded
// waits give up); a status the transition does not pass through becomes
// its end (a cluster restore ending "inaccessible-encryption-credentials").
// Resources in a steady state, such as the seeded estate, are never
// affected.
//
// Parse errors name the file and the field: "s.json: faults[2].after:
// must be a whole number, 0 or more"; every problem is reported.
//
// # Limits
//
// The simulator runs the branches of a Parallel and the iterations of a
// Map one after another, each on the clock it would have concurrently, so
// calls do not always arrive in time order: the World applies changes in
// the order it receives them, which is exact when each branch touches its
// own resources, as the generated workflows' branches do. Networking
// (security groups, routes) and IAM are not modelled here: IAM is checked
// against the generated policies elsewhere.
package awsmock
