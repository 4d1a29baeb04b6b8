// Package sim is an offline interpreter of Amazon States Language state
// machines (JSONPath query language), for *asl.Machine values built in Go
// or read back with asl.Unmarshal.
//
// It follows the AWS Step Functions developer guide where the guide is
// precise, and measured AWS behaviour where it is not:
//
//   - the data flow InputPath -> Parameters -> task -> ResultSelector ->
//     ResultPath -> OutputPath, with Jayway JSONPath and the context object
//     ($$.Execution, $$.State, $$.StateMachine, $$.Task, $$.Map);
//   - every intrinsic function and its argument checks
//     (States.IntrinsicFailure);
//   - Choice rules, including that a missing Variable is a States.Runtime
//     failure rather than a non-match;
//   - Retry (per-retrier attempt counts, backoff, MaxDelaySeconds, FULL
//     jitter) and Catch, where States.ALL catches neither States.Runtime
//     nor States.DataLimitExceeded and States.TaskFailed does not catch
//     States.Timeout;
//   - state and execution timeouts, the 256 KiB payload quota and the
//     25,000-event history quota;
//   - states:startExecution (request-response, .sync and .sync:2) as child
//     executions, with unique execution names per state machine.
//
// Time is simulated: Wait states, task durations and retry delays move a
// clock and nothing sleeps. Tasks go to an Executor; everything random is
// drawn from Options.Seed, so a run is reproducible. Parallel branches and
// Map iterations run one after another, each on the clock it would have
// concurrently; outputs keep their order and the earliest failure wins.
package sim
