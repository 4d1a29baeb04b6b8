package workflows

import (
	"fmt"
	"slices"
	"strings"

	"github.com/refreshgen/refreshgen/asl"
)

// The building blocks every workflow uses, so that retries, cross-account
// credentials, child calls, polling and the destructive-action guard are
// each written once.

// transient retries what is worth retrying on every AWS call: throttling
// and other errors the service's model does not name (they surface as the
// service's generic exception) and client-side network failures. Real
// failures (not found, invalid state) are named errors and are not retried
// here; each workflow decides what they mean.
func transient(service string) []asl.Retrier {
	id := asl.ServiceID(service)
	errs := []string{asl.SDKServiceException(id)}
	for _, shape := range namedTransient[service] {
		errs = append(errs, asl.SDKError(id, shape))
	}
	return []asl.Retrier{{
		ErrorEquals:     append(errs, asl.SDKError(id, "SdkClientException")),
		IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: asl.JitterFull,
	}}
}

// namedTransient are the transient errors a service's model names, which
// so surface under those names rather than as its generic exception: RAM
// names its server-side failures and throttling.
var namedTransient = map[string][]string{
	"ram": {"ServerInternalException", "ServiceUnavailableException", "ThrottlingException"},
}

// optimizedErrors are the transient errors of the optimized integrations
// the workflows use. Their names do not follow the aws-sdk rule: the
// prefix is the integration's ("DynamoDB", uppercase DB, per the Step
// Functions Developer Guide) and the generic exception keeps the Java
// SDK's class name, as Lambda.AWSLambdaException does.
var optimizedErrors = map[string][]string{
	"dynamodb": {asl.ErrDynamoDBThroughputExceeded, "DynamoDB.ThrottlingException", "DynamoDB.RequestLimitExceeded",
		"DynamoDB.InternalServerErrorException", "DynamoDB.AmazonDynamoDBException", "DynamoDB.SdkClientException"},
	"sns":    {"SNS.ThrottledException", "SNS.InternalErrorException", "SNS.AmazonSNSException", "SNS.SdkClientException"},
	"states": {"StepFunctions.ExecutionLimitExceededException", "StepFunctions.AWSStepFunctionsException", "StepFunctions.SdkClientException"},
}

// optimizedTransient retries the transient errors of an optimized
// integration, like transient does for the aws-sdk ones.
func optimizedTransient(service string) []asl.Retrier {
	return []asl.Retrier{{
		ErrorEquals:     optimizedErrors[service],
		IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: asl.JitterFull,
	}}
}

// call returns a Task calling service:action with the role whose ARN is at
// rolePath (a cross-account call), retrying transient errors.
func (e *Env) call(service, action, rolePath string, params *asl.Object) *asl.Task {
	return &asl.Task{
		Resource:    e.SDK(service, action),
		Credentials: &asl.Credentials{RoleArn: asl.Ref(rolePath)},
		Parameters:  params,
		Retry:       transient(service),
	}
}

// start returns a Task that runs library workflow group/key with input and
// waits for it (.sync:2, so the result carries the child's output). No
// execution name is given: Step Functions makes a unique one, so two calls
// in one run never collide (seed-workflows §0.5).
func (e *Env) start(group Group, key string, input *asl.Object) *asl.Task {
	// A child missing from the library still gets its ARN, so that the
	// data-flow check reports the call instead of generation crashing.
	var summary string
	if child := e.Workflow(group, key); child != nil {
		summary = child.Summary
	}
	members := append(slices.Clone(input.Members), asl.Field(startedByKey, asl.Ref("$$.Execution.Id")))
	return &asl.Task{
		Comment:  summary,
		Resource: asl.StartExecution(asl.Sync2).ARN(e.Partition),
		Parameters: asl.Obj(
			asl.Field("StateMachineArn", asl.Str(e.StateMachineARN(string(group), key))),
			asl.Field("Input", asl.Obj(members...)),
		),
		ResultSelector: asl.Obj(asl.Field("Output", asl.Ref("$.Output"))),
		Retry: []asl.Retrier{{
			ErrorEquals:     optimizedErrors["states"],
			IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2, MaxDelaySeconds: 120, JitterStrategy: asl.JitterFull,
		}},
	}
}

// catchTo routes errs to next, keeping the state input: the error is an
// expected outcome (already gone, already there), not a failure.
func catchTo(next string, errs ...string) []asl.Catcher {
	return []asl.Catcher{{ErrorEquals: errs, ResultPath: asl.Discard(), Next: next}}
}

// whileBusy makes t retry, for about 20 minutes and before its transient
// retries, a call refused with err because its resource is in transition:
// a cluster modifying or backing up, a snapshot being copied.
func whileBusy(t *asl.Task, err string) {
	t.Retry = append([]asl.Retrier{{ErrorEquals: []string{err},
		IntervalSeconds: 30, MaxAttempts: 10, BackoffRate: 1.5, MaxDelaySeconds: 120}}, t.Retry...)
}

// Error names refreshgen's workflows raise from their Fail states.
const (
	ErrNotManaged      = "Refresh.NotManaged"      // a destructive step met an untagged resource
	ErrInvalidState    = "Refresh.InvalidState"    // a resource reached a state it cannot leave
	ErrPreconditions   = "Refresh.Preconditions"   // a refresh cannot start safely
	ErrStepFailed      = "Refresh.StepFailed"      // a required step failed; Cause says which
	ErrRefreshFailed   = "Refresh.Failed"          // the orchestrator's end on failure
	ErrAlreadyExists   = "Refresh.AlreadyExists"   // a name is taken by a resource refreshgen does not own
	ErrNoRecoveryPoint = "Refresh.NoRecoveryPoint" // no backup to restore from
)

// guardComment marks the Choice of the managed-tag guard; checkGuards finds
// guards by it.
const guardComment = "Guard: act only on a resource that carries the managed tag."

// requireManaged returns the one guard every destructive step sits behind:
// it reads the tag list at tagsPath (the TagList of a describe call, a list
// of {Key, Value}) and goes on to next only if the project's managed tag is
// there with its value; otherwise it fails with Refresh.NotManaged, naming
// the resource. IAM enforces the same tag on the destination roles
// (aws:ResourceTag), so a workflow bug cannot get past it either.
func (e *Env) requireManaged(name, tagsPath, resourcePath, next string) asl.States {
	tag := e.ManagedTag()
	var s asl.States
	s.Add(name, &asl.Pass{
		Comment:    "Pick the managed tag out of the resource's tags.",
		Parameters: asl.Obj(asl.Field("Tag", asl.Ref(fmt.Sprintf("%s[?(@.Key == '%s')]", tagsPath, escapeFilter(tag.Key))))),
		ResultPath: asl.At("$.Guard"),
		Next:       name + "Check",
	})
	s.Add(name+"Check", &asl.Choice{
		Comment: guardComment,
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, "$.Guard.Tag[0].Value", true), name+"Value")},
		Default: name + "Refused",
	})
	s.Add(name+"Value", &asl.Choice{
		Comment: guardComment,
		Choices: []asl.Rule{asl.When(asl.CompareString("$.Guard.Tag[0].Value", asl.Equals, tag.Value), next)},
		Default: name + "Refused",
	})
	s.Add(name+"Refused", &asl.Fail{
		Comment:   "refreshgen never changes or deletes what it does not manage.",
		Error:     ErrNotManaged,
		CausePath: asl.Format(fmt.Sprintf("{} does not carry the tag %s=%s, so refreshgen will not change or delete it.", tag.Key, tag.Value), asl.Ref(resourcePath)),
	})
	return s
}

// managedTagList is the managed tag as a tag list ([{Key, Value}], the
// form RDS and EFS take), for the calls that adopt a resource.
func (e *Env) managedTagList() asl.Array {
	tag := e.ManagedTag()
	return asl.Array{asl.Obj(asl.Field("Key", asl.Str(tag.Key)), asl.Field("Value", asl.Str(tag.Value)))}
}

// escapeFilter escapes a literal for a single-quoted JSONPath filter.
func escapeFilter(s string) string {
	return strings.ReplaceAll(s, "'", `\'`)
}

// destructive lists the calls that change or delete a resource and so must
// sit behind the guard (checkGuards enforces it on every path).
var destructive = map[string]bool{
	"rds:deleteDBCluster": true, "rds:deleteDBInstance": true, "rds:modifyDBCluster": true,
	"rds:modifyDBInstance": true, "rds:stopDBCluster": true, "rds:deleteDBClusterSnapshot": true,
	"rds:modifyDBClusterSnapshotAttribute": true,
	"efs:deleteFileSystem":                 true, "efs:deleteMountTarget": true, "efs:deleteAccessPoint": true,
	"efs:deleteReplicationConfiguration": true, "efs:updateFileSystemProtection": true,
}

// poll builds a bounded polling loop around a describe call: it exits to
// done on one of the success values, fails with Refresh.InvalidState on a
// terminal failure value, and gives up after attempts polls.
type poll struct {
	name      string
	action    *asl.Task
	status    string   // path of the status after the action
	success   []string // statuses that end the loop
	failure   []string // statuses that can never become a success
	attempts  int
	interval  int
	done      string
	what      string // the resource, for the failure cause, e.g. a path to its id
	extraExit []asl.Rule
}

func (p poll) states() asl.States {
	var until []asl.Rule
	for _, s := range p.success {
		until = append(until, asl.When(asl.CompareString(p.status, asl.Equals, s), p.done))
	}
	for _, s := range p.failure {
		until = append(until, asl.When(asl.CompareString(p.status, asl.Equals, s), p.name+"Failed"))
	}
	until = append(until, p.extraExit...)
	loop := asl.PollLoop{Name: p.name, Action: p.action, Counter: "$.Poll" + p.name, Until: until,
		MaxAttempts: p.attempts, IntervalSeconds: p.interval}
	states := loop.States()
	if len(p.failure) > 0 {
		states.Add(p.name+"Failed", &asl.Fail{
			Error:     ErrInvalidState,
			CausePath: asl.Format("{} is {}, from which it cannot recover.", asl.Ref(p.what), asl.Ref(p.status)),
		})
	}
	return states
}

// entry is the state that starts the loop.
func (p poll) entry() string { return asl.PollLoop{Name: p.name}.Entry() }

// merge appends every state of more to s.
func merge(s asl.States, more ...asl.States) asl.States {
	for _, m := range more {
		for _, ns := range m {
			s.Add(ns.Name, ns.State)
		}
	}
	return s
}

// succeed adds the final Pass that shapes the workflow's output, and the
// Succeed after it.
func succeed(s *asl.States, name string, output *asl.Object) {
	s.Add(name, &asl.Pass{Parameters: output, Next: "Done"})
	s.Add("Done", &asl.Succeed{})
}

// deleteEnds adds the two ends of a workflow that deletes the resource id
// names, whose output is that id and whether it was deleted: AlreadyGone,
// for a resource that was not there (a rerun: not an error), and Deleted.
func deleteEnds(s *asl.States, id asl.Member) {
	s.Add("AlreadyGone", &asl.Pass{Parameters: asl.Obj(id, asl.Field("Deleted", asl.Bool(false))), Next: "Done"})
	succeed(s, "Deleted", asl.Obj(id, asl.Field("Deleted", asl.Bool(true))))
}

// invoke returns a Task invoking the Lambda function whose ARN is at
// functionPath in the account whose role is at rolePath, with payload. The
// function's own result becomes the task result (Payload); a function error
// fails the task with the function's errorType as the error name, which is
// never retried: only Lambda's own transient errors are.
func (e *Env) invoke(functionPath, rolePath string, payload *asl.Object) *asl.Task {
	return &asl.Task{
		Resource:    asl.LambdaInvoke().ARN(e.Partition),
		Credentials: &asl.Credentials{RoleArn: asl.Ref(rolePath)},
		Parameters:  asl.Obj(asl.Field("FunctionName", asl.Ref(functionPath)), asl.Field("Payload", payload)),
		Retry: []asl.Retrier{{
			ErrorEquals: []string{asl.ErrLambdaServiceException, asl.ErrLambdaAWSLambdaException,
				asl.ErrLambdaSdkClientException, asl.ErrLambdaTooManyRequests},
			IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: asl.JitterFull,
		}},
	}
}

// describeEKS returns a Task that reads what eks:call and eks:runJob need
// about the cluster named at clusterPath ($.EKS gets Endpoint and
// CertificateAuthority).
func (e *Env) describeEKS(clusterPath, rolePath string) *asl.Task {
	t := e.call("eks", "describeCluster", rolePath, asl.Obj(asl.Field("Name", asl.Ref(clusterPath))))
	t.ResultSelector = asl.Obj(
		asl.Field("Endpoint", asl.Ref("$.Cluster.Endpoint")),
		asl.Field("CertificateAuthority", asl.Ref("$.Cluster.CertificateAuthority.Data")),
	)
	t.ResultPath = asl.At("$.EKS")
	return t
}

// newest returns states that pick, from the list at listPath, the element
// whose timestamp field key is the latest, into $.<name>.Best, then go to
// next; an empty list goes to empty. ASL cannot sort, so this walks the
// list once with a counter ($.<name>Counter.Index), bounded by maxItems
// (the page size of the describe call that produced the list).
func newest(name, listPath, key, next, empty string, maxItems int) asl.States {
	at, counter := "$."+name, "$."+name+"Counter"
	index := counter + ".Index"
	var s asl.States
	s.Add(name, &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.TypeTest(asl.IsPresent, listPath+"[0]", true), name+"Init")},
		Default: empty,
	})
	s.Add(name+"Init", &asl.Pass{
		Parameters: asl.Obj(
			asl.Field("Count", asl.Call(asl.FnArrayLength, asl.Ref(listPath))),
			asl.Field("Best", asl.Call(asl.FnArrayGetItem, asl.Ref(listPath), asl.Num(0))),
		),
		ResultPath: asl.At(at),
		Next:       name + "Start",
	})
	s.Add(name+"Start", &asl.Pass{Parameters: asl.Obj(asl.Field("Index", asl.Num(1))), ResultPath: asl.At(counter), Next: name + "Step"})
	s.Add(name+"Step", &asl.Choice{
		Comment: fmt.Sprintf("Stop at the end of the list (at most %d items).", maxItems),
		Choices: []asl.Rule{
			asl.When(asl.ComparePaths(asl.KindNumeric, index, asl.GreaterThanEquals, at+".Count"), next),
			asl.When(asl.CompareNumber(index, asl.GreaterThanEquals, float64(maxItems)), next),
		},
		Default: name + "Item",
	})
	s.Add(name+"Item", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Value", asl.Call(asl.FnArrayGetItem, asl.Ref(listPath), asl.Ref(index)))),
		ResultPath: asl.At(at + ".Item"),
		Next:       name + "Compare",
	})
	s.Add(name+"Compare", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.ComparePaths(asl.KindTimestamp, at+".Item.Value."+key, asl.GreaterThan, at+".Best."+key), name+"Take")},
		Default: name + "Count",
	})
	s.Add(name+"Take", &asl.Pass{InputPath: asl.At(at + ".Item.Value"), ResultPath: asl.At(at + ".Best"), Next: name + "Count"})
	s.Add(name+"Count", &asl.Pass{
		Parameters: asl.Obj(asl.Field("Index", asl.Call(asl.FnMathAdd, asl.Ref(index), asl.Num(1)))),
		ResultPath: asl.At(counter),
		Next:       name + "Step",
	})
	return s
}
