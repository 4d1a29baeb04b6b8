package sim

import "github.com/refreshgen/refreshgen/asl"

// task runs one attempt of a Task state: InputPath, Parameters, the call,
// ResultSelector, ResultPath and OutputPath. Retry and Catch are applied
// around it by handle.
func (v *visit) task(s *asl.Task) (any, error) {
	integration := integrationOf(s.Resource)
	e, err := v.effective(s.InputPath)
	if err != nil {
		return nil, err
	}
	var token string
	if integration != nil && integration.Pattern == asl.WaitForTaskToken {
		token = "token-" + newUUID(v.run.rng)
		e = e.withContext("Task", map[string]any{"Token": token})
	}
	call, err := v.prepare(s, e)
	if err != nil {
		return nil, err
	}
	call.Integration, call.TaskToken = integration, token
	v.run.exec.Calls = append(v.run.exec.Calls, call)
	if err := v.record(Event{Type: TaskScheduled, State: v.name, Resource: s.Resource, RoleArn: call.RoleArn, Data: call.Parameters}); err != nil {
		return nil, err
	}
	if err := v.record(Event{Type: TaskStarted, State: v.name, Resource: s.Resource}); err != nil {
		return nil, err
	}
	result, err := v.complete(v.invoke(call), call.TimeoutSeconds)
	if err != nil {
		return nil, err
	}
	return v.output(e, result, s.ResultSelector, s.ResultPath, s.OutputPath)
}

// prepare evaluates what the call needs from the effective input:
// Parameters, Credentials and the timeouts.
func (v *visit) prepare(s *asl.Task, e env) (Call, error) {
	call := Call{ExecutionArn: v.run.exec.Arn, State: v.name, Resource: s.Resource, Time: v.now, RetryCount: v.retries}
	var err error
	if call.Parameters, err = e.template(s.Parameters); err != nil {
		return call, err
	}
	if err = checkSize(call.Parameters, "the parameters of state "+v.name); err != nil {
		return call, err
	}
	if call.RoleArn, err = roleArn(s.Credentials, e); err != nil {
		return call, err
	}
	if call.TimeoutSeconds, err = taskSeconds(e, s.TimeoutSeconds, s.TimeoutSecondsPath, "TimeoutSecondsPath"); err != nil {
		return call, err
	}
	call.HeartbeatSeconds, err = taskSeconds(e, s.HeartbeatSeconds, s.HeartbeatSecondsPath, "HeartbeatSecondsPath")
	return call, err
}

// integrationOf parses a service-integration Resource; a Lambda function
// or activity ARN gives nil.
func integrationOf(resource string) *asl.Integration {
	i, _, err := asl.ParseIntegration(resource)
	if err != nil {
		return nil
	}
	return &i
}

// roleArn resolves Credentials.RoleArn; "" means the machine's own role.
func roleArn(c *asl.Credentials, e env) (string, error) {
	if c == nil || c.RoleArn == nil {
		return "", nil
	}
	v, err := e.value(c.RoleArn, "RoleArn.$")
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", runtimeError("Credentials.RoleArn does not resolve to a string: %s", jsonText(v))
	}
	return s, nil
}

// taskSeconds resolves TimeoutSeconds or HeartbeatSeconds, or their
// *Path field, which must give a positive integer.
func taskSeconds(e env, n int, path, field string) (int, error) {
	if path == "" {
		return n, nil
	}
	v, err := e.selectPath(path, true)
	if err != nil {
		return 0, err
	}
	s, ok := integer(v)
	if !ok || s <= 0 {
		return 0, runtimeError("The %s '%s' does not resolve to a positive integer: %s", field, path, jsonText(v))
	}
	return int(s), nil
}

// invoke runs the call: states:startExecution itself, the rest through
// the executor.
func (v *visit) invoke(c Call) Result {
	if i := c.Integration; i != nil && !i.SDK && i.Service == "states" && i.Action == "startExecution" && i.Pattern != asl.WaitForTaskToken {
		return v.startExecution(c, i.Pattern)
	}
	if v.run.world.opts.Executor == nil {
		return Result{Err: runtimeError("no Executor to run %s", c.Resource)}
	}
	return v.run.world.opts.Executor.Invoke(c)
}

// complete moves the clock on by the attempt's duration and records how
// it ended. An attempt longer than timeout (seconds, 0 for none) fails
// with States.Timeout when the timeout expires.
func (v *visit) complete(res Result, timeout int) (any, error) {
	if timeout > 0 && res.Duration > seconds(timeout) {
		if err := v.advance(seconds(timeout)); err != nil {
			return nil, err
		}
		return nil, v.taskFailed(TaskTimedOut, &Failure{Name: asl.ErrTimeout})
	}
	if err := v.advance(res.Duration); err != nil {
		return nil, err
	}
	if res.Err != nil {
		f := *res.Err // the executor may hand out the same Failure again
		return nil, v.taskFailed(TaskFailed, &f)
	}
	out, err := normalize(res.Output)
	if err != nil {
		return nil, v.taskFailed(TaskFailed, runtimeError("the result of state %s is not JSON: %v", v.name, err))
	}
	if err := checkSize(out, "the result of state "+v.name); err != nil {
		return nil, v.taskFailed(TaskFailed, err.(*Failure))
	}
	return out, v.record(Event{Type: TaskSucceeded, State: v.name, Data: out})
}

// taskFailed records the failure event and returns f.
func (v *visit) taskFailed(typ EventType, f *Failure) error {
	if err := v.record(Event{Type: typ, State: v.name, Error: f.Name, Cause: f.Cause}); err != nil {
		return err
	}
	return f
}
