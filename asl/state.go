package asl

// State is one of *Task, *Pass, *Choice, *Wait, *Succeed, *Fail,
// *Parallel or *Map.
type State interface {
	// Type is the ASL "Type" value, e.g. "Task".
	Type() string
	record
}

// newState returns an empty state of the ASL type typ.
func newState(typ string) (State, bool) {
	switch typ {
	case "Task":
		return &Task{}, true
	case "Pass":
		return &Pass{}, true
	case "Choice":
		return &Choice{}, true
	case "Wait":
		return &Wait{}, true
	case "Succeed":
		return &Succeed{}, true
	case "Fail":
		return &Fail{}, true
	case "Parallel":
		return &Parallel{}, true
	case "Map":
		return &Map{}, true
	}
	return nil, false
}

// Task calls a service integration, a Lambda function or an activity.
type Task struct {
	Comment string
	// Resource is an ARN; use Integration.ARN for service integrations.
	Resource string
	// Credentials makes the call with an assumed role (cross-account).
	Credentials          *Credentials
	TimeoutSeconds       int
	TimeoutSecondsPath   string
	HeartbeatSeconds     int
	HeartbeatSecondsPath string
	InputPath            Path
	Parameters           *Object
	ResultSelector       *Object
	ResultPath           Path
	OutputPath           Path
	Retry                []Retrier
	Catch                []Catcher
	Next                 string
	End                  bool
}

func (*Task) Type() string { return "Task" }

func (t *Task) fields() []field {
	return concat(
		[]field{
			stringField("Comment", &t.Comment),
			stringField("Resource", &t.Resource),
			recordField("Credentials", &t.Credentials),
			intField("TimeoutSeconds", &t.TimeoutSeconds),
			refField("TimeoutSecondsPath", &t.TimeoutSecondsPath),
			intField("HeartbeatSeconds", &t.HeartbeatSeconds),
			refField("HeartbeatSecondsPath", &t.HeartbeatSecondsPath),
			pathField("InputPath", &t.InputPath, RawInput),
			templateField("Parameters", &t.Parameters, Input),
		},
		resultFields(&t.ResultSelector, &t.ResultPath, &t.OutputPath),
		handlerFields(&t.Retry, &t.Catch),
		transitionFields(&t.Next, &t.End),
	)
}

// Pass passes its input on, optionally reshaped by Parameters or replaced
// by Result.
type Pass struct {
	Comment string
	// Result is static JSON; nil means absent, Null{} is JSON null.
	Result     Value
	InputPath  Path
	Parameters *Object
	ResultPath Path
	OutputPath Path
	Next       string
	End        bool
}

func (*Pass) Type() string { return "Pass" }

func (p *Pass) fields() []field {
	return concat(
		[]field{
			stringField("Comment", &p.Comment),
			staticField("Result", &p.Result),
			pathField("InputPath", &p.InputPath, RawInput),
			templateField("Parameters", &p.Parameters, Input),
			pathField("ResultPath", &p.ResultPath, noRead),
			pathField("OutputPath", &p.OutputPath, Output),
		},
		transitionFields(&p.Next, &p.End),
	)
}

// Wait pauses for Seconds, SecondsPath, Timestamp or TimestampPath (one of
// them). A Wait with none set waits "Seconds": 0.
type Wait struct {
	Comment       string
	Seconds       int
	SecondsPath   string
	Timestamp     string // RFC 3339
	TimestampPath string
	InputPath     Path
	OutputPath    Path
	Next          string
	End           bool
}

func (*Wait) Type() string { return "Wait" }

func (w *Wait) fields() []field {
	seconds := intField("Seconds", &w.Seconds)
	seconds.encode = func() (any, bool) {
		only := w.SecondsPath == "" && w.Timestamp == "" && w.TimestampPath == ""
		return intJSON(w.Seconds), w.Seconds != 0 || only
	}
	return concat(
		[]field{
			stringField("Comment", &w.Comment),
			seconds,
			refField("SecondsPath", &w.SecondsPath),
			stringField("Timestamp", &w.Timestamp),
			refField("TimestampPath", &w.TimestampPath),
		},
		ioFields(&w.InputPath, &w.OutputPath),
		transitionFields(&w.Next, &w.End),
	)
}

// Succeed ends the execution (or branch, or iteration) successfully.
type Succeed struct {
	Comment    string
	InputPath  Path
	OutputPath Path
}

func (*Succeed) Type() string { return "Succeed" }

func (s *Succeed) fields() []field {
	return append([]field{stringField("Comment", &s.Comment)}, ioFields(&s.InputPath, &s.OutputPath)...)
}

// Fail ends the execution with an error name and cause, static or read
// from the input (ErrorPath/CausePath: a Ref or a string intrinsic).
type Fail struct {
	Comment   string
	Error     string
	ErrorPath Expr
	Cause     string
	CausePath Expr
}

func (*Fail) Type() string { return "Fail" }

func (f *Fail) fields() []field {
	return []field{
		stringField("Comment", &f.Comment),
		stringField("Error", &f.Error),
		exprField("ErrorPath", &f.ErrorPath),
		stringField("Cause", &f.Cause),
		exprField("CausePath", &f.CausePath),
	}
}

// Parallel runs every branch on the same input; its result is the array of
// the branches' outputs.
type Parallel struct {
	Comment        string
	Branches       []Branch
	InputPath      Path
	Parameters     *Object
	ResultSelector *Object
	ResultPath     Path
	OutputPath     Path
	Retry          []Retrier
	Catch          []Catcher
	Next           string
	End            bool
}

func (*Parallel) Type() string { return "Parallel" }

func (p *Parallel) fields() []field {
	return concat(
		[]field{
			stringField("Comment", &p.Comment),
			recordListField("Branches", &p.Branches),
			pathField("InputPath", &p.InputPath, RawInput),
			templateField("Parameters", &p.Parameters, Input),
		},
		resultFields(&p.ResultSelector, &p.ResultPath, &p.OutputPath),
		handlerFields(&p.Retry, &p.Catch),
		transitionFields(&p.Next, &p.End),
	)
}

// Map runs ItemProcessor once per element of the array at ItemsPath.
type Map struct {
	Comment string
	// ItemsPath selects the array (default "$").
	ItemsPath string
	// ItemSelector builds each iteration's input; without it an iteration
	// sees only its element, not the rest of the state input.
	ItemSelector   *Object
	ItemProcessor  *Processor
	MaxConcurrency int // 0: as many as Step Functions allows
	// The tolerated-failure fields apply to DISTRIBUTED processors only:
	// an INLINE Map fails as soon as one iteration fails.
	ToleratedFailurePercentage     int
	ToleratedFailurePercentagePath string
	ToleratedFailureCount          int
	ToleratedFailureCountPath      string
	InputPath                      Path
	ResultSelector                 *Object
	ResultPath                     Path
	OutputPath                     Path
	Retry                          []Retrier
	Catch                          []Catcher
	Next                           string
	End                            bool
}

func (*Map) Type() string { return "Map" }

func (m *Map) fields() []field {
	return concat(
		[]field{
			stringField("Comment", &m.Comment),
			refField("ItemsPath", &m.ItemsPath),
			templateField("ItemSelector", &m.ItemSelector, Input),
			recordField("ItemProcessor", &m.ItemProcessor),
			intField("MaxConcurrency", &m.MaxConcurrency),
			intField("ToleratedFailurePercentage", &m.ToleratedFailurePercentage),
			refField("ToleratedFailurePercentagePath", &m.ToleratedFailurePercentagePath),
			intField("ToleratedFailureCount", &m.ToleratedFailureCount),
			refField("ToleratedFailureCountPath", &m.ToleratedFailureCountPath),
			pathField("InputPath", &m.InputPath, RawInput),
		},
		resultFields(&m.ResultSelector, &m.ResultPath, &m.OutputPath),
		handlerFields(&m.Retry, &m.Catch),
		transitionFields(&m.Next, &m.End),
	)
}

// Credentials names the role a Task assumes. RoleArn is a Str for a fixed
// role, or a Ref / *Intrinsic to take it from the input.
type Credentials struct {
	RoleArn Value
}

// Credentials is written as "RoleArn" for a static role and "RoleArn.$"
// otherwise: two keys bound to the one field.
func (c *Credentials) fields() []field {
	return []field{
		{
			key: "RoleArn",
			encode: func() (any, bool) {
				s, ok := c.RoleArn.(Str)
				return string(s), ok
			},
			decode: func(v any, at string) error {
				var s string
				err := decodeString(v, at, &s)
				c.RoleArn = Str(s)
				return err
			},
		},
		{
			key: "RoleArn.$",
			encode: func() (any, bool) {
				e, ok := c.RoleArn.(Expr)
				if !ok {
					return nil, false
				}
				return e.expr(), true
			},
			decode: func(v any, at string) (err error) {
				c.RoleArn, err = decodeExpr(v, at)
				return err
			},
			reads: func(at string) []Read { return valueReads(c.RoleArn, at, Input) },
		},
	}
}

// Jitter is a Retrier's JitterStrategy.
type Jitter string

// Jitter strategies: FULL randomises each interval between 0 and its
// computed value, so that many executions retrying at once spread out.
const (
	JitterFull Jitter = "FULL"
	JitterNone Jitter = "NONE"
)

// Retrier retries a failed Task, Parallel or Map. Marshal always writes
// IntervalSeconds, MaxAttempts and BackoffRate so that the policy can be
// read from the file; Unmarshal fills in the AWS defaults when absent.
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds int
	MaxAttempts     int
	BackoffRate     float64
	MaxDelaySeconds int
	JitterStrategy  Jitter
}

// RetryOn returns a retrier for errs with the AWS defaults: 3 attempts,
// 1 s apart at first, doubling each time.
func RetryOn(errs ...string) Retrier {
	return Retrier{ErrorEquals: errs, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2}
}

// setDefaults gives a decoded retrier the values AWS uses for absent keys.
func (r *Retrier) setDefaults() { *r = RetryOn() }

func (r *Retrier) fields() []field {
	jitter := (*string)(&r.JitterStrategy)
	return []field{
		stringsField("ErrorEquals", &r.ErrorEquals),
		requiredInt("IntervalSeconds", &r.IntervalSeconds),
		requiredInt("MaxAttempts", &r.MaxAttempts),
		floatField("BackoffRate", &r.BackoffRate),
		intField("MaxDelaySeconds", &r.MaxDelaySeconds),
		stringField("JitterStrategy", jitter),
	}
}

// Catcher moves to Next when the state fails with one of ErrorEquals.
// Without ResultPath the error object replaces the whole state input.
type Catcher struct {
	ErrorEquals []string
	ResultPath  Path
	Next        string
}

func (c *Catcher) fields() []field {
	return []field{
		stringsField("ErrorEquals", &c.ErrorEquals),
		pathField("ResultPath", &c.ResultPath, noRead),
		stringField("Next", &c.Next),
	}
}

func resultFields(selector **Object, result, output *Path) []field {
	return []field{
		templateField("ResultSelector", selector, Result),
		pathField("ResultPath", result, noRead),
		pathField("OutputPath", output, Output),
	}
}

func ioFields(input, output *Path) []field {
	return []field{
		pathField("InputPath", input, RawInput),
		pathField("OutputPath", output, Output),
	}
}

func handlerFields(retry *[]Retrier, catch *[]Catcher) []field {
	return []field{
		recordListField("Retry", retry),
		recordListField("Catch", catch),
	}
}

func transitionFields(next *string, end *bool) []field {
	return []field{stringField("Next", next), endField(end)}
}

func concat(groups ...[]field) []field {
	n := 0
	for _, g := range groups {
		n += len(g)
	}
	out := make([]field, 0, n)
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
