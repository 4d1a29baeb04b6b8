package sim

import "time"

// EventType is a Step Functions history event type, e.g.
// "TaskStateEntered". State events are named "<Type>StateEntered" and
// "<Type>StateExited" after the ASL state type.
type EventType string

// The history events the simulator records.
const (
	ExecutionStarted   EventType = "ExecutionStarted"
	ExecutionSucceeded EventType = "ExecutionSucceeded"
	ExecutionFailed    EventType = "ExecutionFailed"
	ExecutionTimedOut  EventType = "ExecutionTimedOut"

	TaskScheduled EventType = "TaskScheduled"
	TaskStarted   EventType = "TaskStarted"
	TaskSucceeded EventType = "TaskSucceeded"
	TaskFailed    EventType = "TaskFailed"
	TaskTimedOut  EventType = "TaskTimedOut"

	WaitStateEntered EventType = "WaitStateEntered"
	WaitStateExited  EventType = "WaitStateExited"

	ParallelStateStarted   EventType = "ParallelStateStarted"
	ParallelStateSucceeded EventType = "ParallelStateSucceeded"
	ParallelStateFailed    EventType = "ParallelStateFailed"

	MapStateStarted       EventType = "MapStateStarted"
	MapStateSucceeded     EventType = "MapStateSucceeded"
	MapStateFailed        EventType = "MapStateFailed"
	MapIterationStarted   EventType = "MapIterationStarted"
	MapIterationSucceeded EventType = "MapIterationSucceeded"
	MapIterationFailed    EventType = "MapIterationFailed"
	MapRunStarted         EventType = "MapRunStarted"
	MapRunSucceeded       EventType = "MapRunSucceeded"
	MapRunFailed          EventType = "MapRunFailed"
)

// entered and exited name the events of entering and leaving a state of
// the ASL type typ.
func entered(typ string) EventType { return EventType(typ + "StateEntered") }
func exited(typ string) EventType  { return EventType(typ + "StateExited") }

// Event is one entry of an execution's history.
type Event struct {
	ID   int // from 1, in the order the simulator recorded the events
	Type EventType
	Time time.Time // simulated
	// State is the state the event belongs to, if any.
	State string
	// Data is the payload AWS shows with the event: the state input
	// (entered), output (exited), task parameters (scheduled) or result
	// (succeeded), the execution input or output.
	Data any
	// Resource and RoleArn describe a TaskScheduled call; RoleArn is
	// empty when the task runs with the state machine's role.
	Resource string
	RoleArn  string
	// Index is the item index of MapIteration* events, or the item count
	// of MapStateStarted.
	Index int
	// Error and Cause describe a failure.
	Error string
	Cause string
}

// DefaultMaxEvents is the Standard workflow quota on history events.
const DefaultMaxEvents = 25000

// history is one execution's event list. Step Functions ends an
// execution whose history reaches the quota: if the last allowed event
// is not ExecutionSucceeded, that event is an ExecutionFailed with
// States.Runtime ("The execution reached the maximum number of history
// events (25000).") and nothing else is recorded.
type history struct {
	events []Event
	max    int
	// closed is the failure that ended the execution at the quota.
	closed *Failure
}

// add appends ev; it returns the quota failure once the history is full.
func (h *history) add(ev Event) error {
	if h.closed != nil {
		return h.closed
	}
	ev.ID = len(h.events) + 1
	if ev.ID >= h.max && ev.Type != ExecutionSucceeded {
		h.closed = runtimeError("The execution reached the maximum number of history events (%d).", h.max)
		h.events = append(h.events, Event{ID: ev.ID, Type: ExecutionFailed, Time: ev.Time, Error: h.closed.Name, Cause: h.closed.Cause})
		return h.closed
	}
	h.events = append(h.events, ev)
	return nil
}
