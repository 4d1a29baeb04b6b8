package spec

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones are checked the same way on every machine
)

// partitionOf returns the AWS partition of a region.
func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

var (
	durationForm = regexp.MustCompile(`^([0-9]+[dhms])+$`)
	durationPart = regexp.MustCompile(`([0-9]+)([dhms])`)
)

// parseDuration reads durations such as "6h", "1h30m" or "2d".
func parseDuration(s string) (time.Duration, error) {
	if !durationForm.MatchString(s) {
		return 0, fmt.Errorf("%q is not a duration such as \"6h\" or \"1h30m\"", s)
	}
	units := map[string]time.Duration{"d": 24 * time.Hour, "h": time.Hour, "m": time.Minute, "s": time.Second}
	var total time.Duration
	for _, m := range durationPart.FindAllStringSubmatch(s, -1) {
		n, err := strconv.ParseInt(m[1], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("%q is too long a duration", s)
		}
		total += time.Duration(n) * units[m[2]]
	}
	return total, nil
}

// checkSchedule validates an EventBridge Scheduler expression beyond the
// schema's shape check, so a typo fails here rather than at apply time.
func checkSchedule(expr string) error {
	open := strings.IndexByte(expr, '(')
	if open < 0 || !strings.HasSuffix(expr, ")") {
		return errors.New(`write cron(...), rate(...) or at(...)`)
	}
	kind, body := expr[:open], strings.TrimSpace(expr[open+1:len(expr)-1])
	switch kind {
	case "cron":
		return checkCron(body)
	case "rate":
		return checkRate(body)
	case "at":
		if _, err := time.Parse("2006-01-02T15:04:05", body); err != nil {
			return errors.New(`at() takes a date and time such as at(2026-12-01T03:00:00)`)
		}
		return nil
	}
	return errors.New(`write cron(...), rate(...) or at(...)`)
}

func checkRate(body string) error {
	fields := strings.Fields(body)
	if len(fields) != 2 {
		return errors.New(`rate() takes a number and a unit, such as rate(7 days)`)
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil || n < 1 {
		return fmt.Errorf("rate() needs a whole number of at least 1, not %q", fields[0])
	}
	unit := fields[1]
	singular := map[string]bool{"minute": true, "hour": true, "day": true}
	plural := map[string]bool{"minutes": true, "hours": true, "days": true}
	switch {
	case n == 1 && !singular[unit]:
		return fmt.Errorf("a rate of 1 takes a singular unit (minute, hour or day), not %q", unit)
	case n > 1 && !plural[unit]:
		return fmt.Errorf("a rate of %d takes a plural unit (minutes, hours or days), not %q", n, unit)
	}
	return nil
}

// cronField describes one of the six fields of an EventBridge cron.
type cronField struct {
	name     string
	min, max int
	names    []string // month or weekday names, 1-based
	special  string   // characters allowed besides digits, names, "*", "," "-" "/"
}

var (
	monthNames   = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	weekdayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
	cronFields   = []cronField{
		{name: "minutes", min: 0, max: 59},
		{name: "hours", min: 0, max: 23},
		{name: "day-of-month", min: 1, max: 31, special: "?LW"},
		{name: "month", min: 1, max: 12, names: monthNames},
		{name: "day-of-week", min: 1, max: 7, names: weekdayNames, special: "?L#"},
		{name: "year", min: 1970, max: 2199},
	}
)

func checkCron(body string) error {
	fields := strings.Fields(body)
	if len(fields) != len(cronFields) {
		return fmt.Errorf("cron() takes 6 fields (minutes hours day-of-month month day-of-week year), not %d", len(fields))
	}
	for i, f := range cronFields {
		if err := f.check(fields[i]); err != nil {
			return err
		}
	}
	if (fields[2] == "?") == (fields[4] == "?") {
		return errors.New("exactly one of day-of-month and day-of-week must be ?, such as cron(0 3 ? * SUN *)")
	}
	return nil
}

func (f cronField) check(value string) error {
	if value == "?" && strings.Contains(f.special, "?") {
		return nil
	}
	for _, part := range strings.Split(value, ",") {
		if !f.validPart(part) {
			return fmt.Errorf("%q is not a valid %s field (%d-%d%s)", value, f.name, f.min, f.max, f.hint())
		}
	}
	return nil
}

func (f cronField) hint() string {
	if len(f.names) > 0 {
		return " or " + f.names[0] + "-" + f.names[len(f.names)-1]
	}
	return ""
}

// validPart accepts *, a value, a range a-b, any of those with /step, and
// the L, W and # forms where the field allows them.
func (f cronField) validPart(part string) bool {
	base, step, hasStep := strings.Cut(part, "/")
	if hasStep {
		if n, err := strconv.Atoi(step); err != nil || n < 1 {
			return false
		}
	}
	switch {
	case base == "*":
		return true
	case base == "L" || base == "LW":
		return strings.Contains(f.special, "L")
	case strings.HasSuffix(base, "W") && strings.Contains(f.special, "W"):
		return f.validValue(strings.TrimSuffix(base, "W"))
	case strings.HasSuffix(base, "L") && strings.Contains(f.special, "L") && base != "L":
		return f.validValue(strings.TrimSuffix(base, "L"))
	case strings.Contains(base, "#") && strings.Contains(f.special, "#"):
		day, nth, _ := strings.Cut(base, "#")
		n, err := strconv.Atoi(nth)
		return f.validValue(day) && err == nil && n >= 1 && n <= 5
	}
	lo, hi, isRange := strings.Cut(base, "-")
	if isRange {
		return f.validValue(lo) && f.validValue(hi)
	}
	return f.validValue(base)
}

func (f cronField) validValue(v string) bool {
	for i, n := range f.names {
		if strings.EqualFold(v, n) {
			return i+1 >= f.min
		}
	}
	n, err := strconv.Atoi(v)
	return err == nil && n >= f.min && n <= f.max
}

// checkTimezone accepts IANA names such as Europe/Paris.
func checkTimezone(name string) error {
	if _, err := time.LoadLocation(name); err != nil || name == "Local" {
		return fmt.Errorf("%q is not an IANA time zone such as \"Europe/Paris\" or \"UTC\"", name)
	}
	return nil
}
