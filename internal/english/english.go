// Package english words counts for people: "1 change", "3 changes".
package english

import "strconv"

// Plural writes a count with its noun: "1 script", "2 scripts",
// "2 branches".
func Plural(n int, noun string) string {
	return strconv.Itoa(n) + " " + Noun(n, noun)
}

// Noun is noun for a count of n: "role" for 1, "roles" otherwise (and
// "branches", "boxes": -es after s, x, z, ch and sh).
func Noun(n int, noun string) string {
	if n == 1 {
		return noun
	}
	for _, end := range []string{"s", "x", "z", "ch", "sh"} {
		if len(noun) > len(end) && noun[len(noun)-len(end):] == end {
			return noun + "es"
		}
	}
	return noun + "s"
}
