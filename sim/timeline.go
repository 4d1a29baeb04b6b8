package sim

import (
	"fmt"
	"io"
	"strings"
)

// WriteTimeline prints the history for people: one event a line with the
// simulated time since the start, the event type, the state, and what the
// event carries (the resource and role of a task call, the error and
// cause of a failure). Child executions follow, indented.
func (x *Execution) WriteTimeline(w io.Writer) error {
	var b strings.Builder
	x.timeline(&b, "")
	_, err := io.WriteString(w, b.String())
	return err
}

func (x *Execution) timeline(b *strings.Builder, indent string) {
	outcome := string(x.Status)
	if x.Error != "" {
		outcome += " " + x.Error
	}
	fmt.Fprintf(b, "%s%s %s in %s\n", indent, x.Arn, outcome, x.Duration())
	for _, ev := range x.Events {
		fields := []string{fmt.Sprintf("%9s", "+"+ev.Time.Sub(x.Start).String()), fmt.Sprintf("%-22s", ev.Type)}
		for _, f := range []struct{ label, value string }{
			{"", ev.State}, {"resource=", ev.Resource}, {"role=", ev.RoleArn}, {"error=", ev.Error}, {"cause=", ev.Cause},
		} {
			if f.value != "" {
				fields = append(fields, f.label+f.value)
			}
		}
		fmt.Fprintf(b, "%s%s\n", indent, strings.TrimRight(strings.Join(fields, " "), " "))
	}
	for _, c := range x.Children {
		c.timeline(b, indent+"    ")
	}
}
