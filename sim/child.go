package sim

import "github.com/refreshgen/refreshgen/asl"

// Errors the Step Functions API raises to a startExecution task, named
// as Step Functions names service errors: "StepFunctions." + the API
// error code + "Exception".
const (
	ErrExecutionAlreadyExists = "StepFunctions.ExecutionAlreadyExistsException"
	ErrStateMachineNotFound   = "StepFunctions.StateMachineDoesNotExistException"
	ErrInvalidExecutionInput  = "StepFunctions.InvalidExecutionInputException"
)

// startExecution runs a child execution for a states:startExecution task,
// with the parameters StateMachineArn, Input (an object or a JSON string,
// default {}) and Name (default: a UUID).
//
// Execution names are unique per state machine: when the earlier
// execution is closed, which in the simulator it always is, StartExecution
// fails with ExecutionAlreadyExists "regardless of input".
//
// The request-response form returns {ExecutionArn, StartDate} at once and
// the child runs on its own. The .sync forms wait for the child and
// return its DescribeExecution response: Input and Output are JSON
// strings for .sync and parsed JSON for .sync:2. A child that does not
// succeed fails the task with States.TaskFailed, the cause being that
// response as JSON.
func (v *visit) startExecution(c Call, pattern asl.Pattern) Result {
	params, _ := c.Parameters.(map[string]any)
	arn, _ := params["StateMachineArn"].(string)
	m, ok := v.run.world.opts.Machines[arn]
	if !ok {
		return Result{Err: fail(ErrStateMachineNotFound, "State Machine Does Not Exist: '%s'", arn)}
	}
	input, err := childInput(params["Input"])
	if err != nil {
		return Result{Err: fail(ErrInvalidExecutionInput, "Invalid State Machine Execution Input: '%v'", err)}
	}
	name, _ := params["Name"].(string)
	if name == "" {
		name = newUUID(v.run.rng)
	}
	if v.run.world.names[arn][name] {
		return Result{Err: fail(ErrExecutionAlreadyExists, "Execution Already Exists: '%s' (Service: AWSStepFunctions; Status Code: 400; Error Code: ExecutionAlreadyExists)", executionArn(arn, name))}
	}
	child := v.run.world.execute(m, arn, name, input, v.now, v.run.rng.Uint64())
	v.run.exec.Children = append(v.run.exec.Children, child)
	if pattern == asl.RequestResponse {
		return Result{Output: map[string]any{"ExecutionArn": child.Arn, "StartDate": epochMillis(child.Start)}}
	}
	desc := describe(child, pattern == asl.Sync2)
	res := Result{Output: desc, Duration: child.Duration()}
	if child.Status != Succeeded {
		res.Output, res.Err = nil, fail(asl.ErrTaskFailed, "%s", jsonText(desc))
	}
	return res
}

// childInput reads the Input parameter: absent is {}, a string must hold
// JSON.
func childInput(v any) (any, error) {
	switch v := v.(type) {
	case nil:
		return map[string]any{}, nil
	case string:
		return parseJSON([]byte(v))
	}
	return v, nil
}

// describe is the DescribeExecution response a .sync task returns.
func describe(x *Execution, parsed bool) map[string]any {
	payload := func(v any) any {
		if parsed {
			return v
		}
		return jsonText(v)
	}
	d := map[string]any{
		"ExecutionArn":    x.Arn,
		"StateMachineArn": x.StateMachineArn,
		"Name":            x.Name,
		"Status":          string(x.Status),
		"StartDate":       epochMillis(x.Start),
		"StopDate":        epochMillis(x.Stop),
		"Input":           payload(x.Input),
		"InputDetails":    map[string]any{"Included": true},
	}
	if x.Status == Succeeded {
		d["Output"] = payload(x.Output)
		d["OutputDetails"] = map[string]any{"Included": true}
	} else {
		d["Error"], d["Cause"] = x.Error, x.Cause
	}
	return d
}
