package spec

import (
	"github.com/agext/levenshtein"
)

// nameSuggestion returns the option closest to given when it is close
// enough to be a likely typo, else "".
func nameSuggestion(given string, options []string) string {
	best, bestDist := "", 3
	for _, o := range options {
		if d := levenshtein.Distance(given, o, nil); d < bestDist {
			best, bestDist = o, d
		}
	}
	return best
}
