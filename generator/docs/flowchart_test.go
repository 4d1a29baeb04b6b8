package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/refreshgen/refreshgen/asl"
	"github.com/refreshgen/refreshgen/generator"
	"github.com/refreshgen/refreshgen/roles"
	"github.com/refreshgen/refreshgen/spec"
	"github.com/refreshgen/refreshgen/workflows"
)

const arnPrefix = "arn:aws:states:eu-west-1:000000000000:stateMachine:p-"

// start is a Task that starts the child state machine p-<name>.
func start(name string) *asl.Task {
	return &asl.Task{
		Resource:   asl.StartExecution(asl.Sync2).ARN("aws"),
		Parameters: asl.Obj(asl.Field("StateMachineArn", asl.Str(arnPrefix+name))),
	}
}

func catchAll(next string) []asl.Catcher {
	return []asl.Catcher{{ErrorEquals: []string{asl.ErrAll}, Next: next}}
}

func with(t *asl.Task, next string, catch []asl.Catcher) *asl.Task {
	t.Next, t.Catch = next, catch
	return t
}

// syntheticMachine exercises every rule of the chart: Pass states skipped,
// a shared catch target, a catch of its own, a catch that only carries on,
// a Task that can fail uncaught, a Choice, a Map, a Task that ends the
// machine, a state no run reaches, and names Mermaid would choke on.
func syntheticMachine() *asl.Machine {
	var s asl.States
	s.Add("Begin", &asl.Pass{Next: "Check"})
	s.Add("Check", with(start("check"), "Copy", catchAll("Clean up")))
	snap, restore := start("snapshot"), start("restore")
	snap.Next, restore.Next = "DbOneRestore", "DbOneReady"
	var db, files asl.States
	db.Add("DbOneSnap", snap)
	db.Add("DbOneRestore", restore)
	db.Add("DbOneReady", &asl.Pass{End: true})
	copyFiles := start("copy_files")
	copyFiles.End = true
	files.Add("FilesCopy", copyFiles)
	s.Add("Copy", &asl.Parallel{
		Branches: []asl.Branch{{StartAt: "DbOneSnap", States: db}, {StartAt: "FilesCopy", States: files}},
		Catch:    catchAll("Clean up"),
		Next:     "Decide",
	})
	s.Add("Decide", &asl.Choice{
		Choices: []asl.Rule{asl.When(asl.CompareString("$.Mode", asl.Equals, "fast"), "end")},
		Default: "Each",
	})
	s.Add("end", with(&asl.Task{Resource: asl.LambdaInvoke().ARN("aws")}, "Each",
		[]asl.Catcher{{ErrorEquals: []string{"Custom.Error"}, Next: "Rescue"}}))
	s.Add("Rescue", with(start("rescue"), "Each", catchAll("Each")))
	item := start("item")
	item.End = true
	var items asl.States
	items.Add("Item", item)
	s.Add("Each", &asl.Map{ItemProcessor: &asl.Processor{StartAt: "Item", States: items},
		Catch: catchAll("Clean up"), Next: `Say "done" <now>`})
	say := &asl.Task{Resource: asl.SNSPublish().ARN("aws"), End: true, Catch: catchAll("Clean up")}
	s.Add(`Say "done" <now>`, say)
	s.Add("Clean up", with(start("cleanup"), "Failed", catchAll("Failed")))
	s.Add("Failed", &asl.Fail{Error: "Refresh.Failed"})
	s.Add("Unreachable", &asl.Succeed{})
	return &asl.Machine{StartAt: "Begin", States: s, TimeoutSeconds: 60}
}

func childKey(arn string) string {
	name, ok := strings.CutPrefix(arn, arnPrefix)
	if !ok {
		return ""
	}
	return name
}

func TestFlowchartSynthetic(t *testing.T) {
	got := drawFlowchart(syntheticMachine(), childKey, func(prefix string) string {
		if prefix == "DbOne" {
			return "database one"
		}
		return prefix
	})
	want := `flowchart TD
  start(["start"])
  s_Check["Check<br/>check"]
  subgraph s_Copy["Copy: in parallel"]
    s_Copy_1["database one<br/>snapshot<br/>restore"]
    s_Copy_2["FilesCopy<br/>copy_files"]
  end
  s_Decide{"Decide"}
  s_end["end<br/>lambda:invoke"]
  crash(["execution fails"])
  s_Each[["Each<br/>for each item:<br/>item"]]
  s_Say__done___now_["Say #quot;done#quot; #lt;now#gt;<br/>sns:publish"]
  finish(["end"])
  onerror{{"a step fails"}}
  s_Clean_up["Clean up<br/>cleanup"]
  s_Failed(["Failed"])
  s_Rescue["Rescue<br/>rescue"]
  start --> s_Check
  s_Check --> s_Copy
  s_Copy --> s_Decide
  s_Decide -- "$.Mode = 'fast'" --> s_end
  s_Decide -- "otherwise" --> s_Each
  s_end --> s_Each
  s_end -. "Custom.Error" .-> s_Rescue
  s_end -. "error" .-> crash
  s_Each --> s_Say__done___now_
  s_Say__done___now_ --> finish
  onerror -.-> s_Clean_up
  s_Clean_up --> s_Failed
  s_Rescue --> s_Each
  classDef failed fill:#fce8e6,stroke:#ea4335,color:#000
  class s_Failed,crash failed
`
	if got != want {
		t.Errorf("flowchart:\n%s\nwant:\n%s", got, want)
	}
}

// TestFlowchartIsStable: the chart depends on the definition only, not on
// map order or on earlier charts.
func TestFlowchartIsStable(t *testing.T) {
	first := drawFlowchart(syntheticMachine(), childKey, func(p string) string { return p })
	for range 20 {
		if again := drawFlowchart(syntheticMachine(), childKey, func(p string) string { return p }); again != first {
			t.Fatalf("two drawings differ:\n%s\n---\n%s", first, again)
		}
	}
}

// example is the example spec with its state machines and roles, as
// render.Tree hands them to the renderers.
func example(t *testing.T) generator.Input {
	t.Helper()
	const path = "../../examples/refresh.hcl"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := spec.Load(path, src, spec.Options{ToolVersion: "0.1.0", ReadFile: func(rel string) ([]byte, error) {
		return os.ReadFile(filepath.Join(filepath.Dir(path), rel))
	}})
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	in := generator.Input{Spec: res.Spec, SpecPath: "../examples/refresh.hcl"}
	if in.Machines, err = workflows.Generate(in.Spec); err != nil {
		t.Fatal(err)
	}
	if in.Roles, err = roles.Derive(in.Spec, in.Machines); err != nil {
		t.Fatal(err)
	}
	return in
}

var (
	nodeLine   = regexp.MustCompile(`^\s+(?:subgraph )?(s_\w+)[\[\{\(]`)
	branchLine = regexp.MustCompile(`s_Copy_\d+\["([^"]*)"\]`)
)

// TestFlowchartFollowsTheOrchestrator checks the charts of the example's
// orchestrators against their definitions, whatever the orchestrator's
// steps are: every top-level state but the Pass states is a node, once;
// each Copy branch lists every state machine the branch starts, in order;
// the run enters at Prepare and ends in the failure path's Fail state
// when something fails.
func TestFlowchartFollowsTheOrchestrator(t *testing.T) {
	in := example(t)
	for _, r := range in.Spec.Refreshes {
		t.Run(r.Name, func(t *testing.T) {
			m := orchestratorOf(in, r)
			chart := drawFlowchart(m.Definition, childNames(in), branchTitles(r))
			var nodes []string
			for _, line := range strings.Split(chart, "\n") {
				if sub := nodeLine.FindStringSubmatch(line); sub != nil {
					nodes = append(nodes, sub[1])
				}
			}
			ids := newMermaidIDs("s_")
			var want []string
			for _, n := range m.Definition.States {
				if _, pass := n.State.(*asl.Pass); !pass {
					want = append(want, ids.id(n.Name))
				}
			}
			for _, id := range want {
				if c := len(slices.DeleteFunc(slices.Clone(nodes), func(n string) bool { return n != id })); c != 1 {
					t.Errorf("state %s is declared %d times", id, c)
				}
			}
			for _, id := range nodes {
				if !slices.Contains(want, id) && !strings.HasPrefix(id, "s_Copy_") {
					t.Errorf("node %s is no top-level state", id)
				}
			}
			for _, phase := range []string{"s_Prepare", "s_Copy", "s_CleanUp", "s_Notify", "s_FailureCause", "s_CleanUpAfterFailure", "s_NotifyFailure"} {
				if !slices.Contains(nodes, phase) {
					t.Errorf("no %s node in\n%s", phase, chart)
				}
			}
			if !strings.Contains(chart, "start --> s_Prepare\n") || !strings.Contains(chart, "onerror -.-> s_FailureCause\n") ||
				!strings.Contains(chart, "s_NotifyFailure --> s_RefreshFailed\n") {
				t.Errorf("the run's entry or failure path is missing:\n%s", chart)
			}
			copyState, _ := m.Definition.States.Get("Copy")
			branches := copyState.(*asl.Parallel).Branches
			if len(branches) != len(r.Databases)+len(r.FileSystems) {
				t.Fatalf("Copy has %d branches for %d databases and file systems", len(branches), len(r.Databases)+len(r.FileSystems))
			}
			lines := branchLine.FindAllStringSubmatch(chart, -1)
			if len(lines) != len(branches) {
				t.Fatalf("%d branch nodes for %d branches:\n%s", len(lines), len(branches), chart)
			}
			for i, b := range branches {
				var children []string
				for _, n := range b.States {
					if task, ok := n.State.(*asl.Task); ok {
						arn, _ := task.Parameters.StaticString("StateMachineArn")
						children = append(children, childNames(in)(arn))
					}
				}
				got := strings.Split(lines[i][1], "<br/>")
				if !slices.Equal(got[1:], children) {
					t.Errorf("branch %d lists %v, its definition starts %v", i+1, got[1:], children)
				}
				if !strings.HasPrefix(got[0], "database ") && !strings.HasPrefix(got[0], "file system ") {
					t.Errorf("branch %d is titled %q, not after what it copies", i+1, got[0])
				}
			}
		})
	}
}

func TestCamelPrefix(t *testing.T) {
	states := func(names ...string) asl.States {
		var s asl.States
		for _, n := range names {
			s.Add(n, &asl.Succeed{})
		}
		return s
	}
	for _, c := range []struct {
		names []string
		want  string
	}{
		{[]string{"AppSnapshot", "AppShare", "AppReady"}, "App"},
		{[]string{"AppSnapshot", "AppShare"}, "App"},
		{[]string{"AppDbRestore", "AppDbReady"}, "AppDb"},
		{[]string{"MediaRestore"}, "MediaRestore"},
		{[]string{"Copy", "Restore"}, ""},
		{nil, ""},
	} {
		if got := camelPrefix(states(c.names...)); got != c.want {
			t.Errorf("camelPrefix(%v) = %q, want %q", c.names, got, c.want)
		}
	}
}

func TestConditionText(t *testing.T) {
	for _, c := range []struct {
		cond asl.Condition
		want string
	}{
		{asl.TypeTest(asl.IsPresent, "$.ScaleDown", true), "$.ScaleDown is present"},
		{asl.TypeTest(asl.IsNull, "$.X", false), "$.X is not null"},
		{asl.CompareString("$.Status", asl.Equals, "available"), "$.Status = 'available'"},
		{asl.CompareNumber("$.N", asl.GreaterThanEquals, 3), "$.N >= 3"},
		{asl.ComparePaths(asl.KindString, "$.A", asl.Equals, "$.B"), "$.A = $.B"},
		{asl.And(asl.BooleanEquals("$.Ok", true), asl.Not(asl.StringMatches("$.Id", "x*"))), "$.Ok = true and not ($.Id matches 'x*')"},
	} {
		if got := conditionText(c.cond); got != c.want {
			t.Errorf("conditionText = %q, want %q", got, c.want)
		}
	}
}

func TestMermaidIDs(t *testing.T) {
	ids := newMermaidIDs("s_")
	for _, c := range []struct{ name, want string }{
		{"end", "s_end"},
		{"App-Retire", "s_App_Retire"},
		{"App_Retire", "s_App_Retire_2"},
		{"App Retire", "s_App_Retire_3"},
		{"App-Retire", "s_App_Retire"},
		{"é", "s__"},
	} {
		if got := ids.id(c.name); got != c.want {
			t.Errorf("id(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	if got := mermaidText(`a "b" <c> #d;`); got != "a #quot;b#quot; #lt;c#gt; #35;d;" {
		t.Errorf("mermaidText = %q", got)
	}
}
