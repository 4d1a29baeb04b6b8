// Package ghactions writes GitHub Actions workflow commands, which turn
// refreshgen's findings into annotations on the files of a pull request.
package ghactions

import (
	"fmt"
	"io"
	"strings"
)

// Property is one name=value of a workflow command.
type Property struct{ Name, Value string }

// Annotate writes one annotation command: ::level props::message, with
// the values and the message escaped so that no ":", "," or line break in
// a path or a text ends them early.
func Annotate(w io.Writer, level string, props []Property, message string) {
	parts := make([]string, len(props))
	for i, p := range props {
		parts[i] = p.Name + "=" + propertyEscaper.Replace(p.Value)
	}
	fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(parts, ","), dataEscaper.Replace(message))
}

// The workflow command encoding; replacers are safe for concurrent use.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
