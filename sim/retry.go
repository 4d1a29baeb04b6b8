package sim

import (
	"math"
	"time"

	"github.com/refreshgen/refreshgen/asl"
)

// retryDelay returns how long to wait before retrying after f, and false
// when the state must not be retried. used counts the retries each
// retrier has granted during this visit.
//
// The n-th retry (from 0) of a retrier waits IntervalSeconds x
// BackoffRate^n, capped at MaxDelaySeconds when set; JitterStrategy FULL
// waits a random part of that instead, "a random number between 0 and the
// computed backoff", drawn from the execution's seeded generator.
func (v *visit) retryDelay(retriers []asl.Retrier, used []int, f *Failure) (time.Duration, bool) {
	for i, r := range retriers {
		if !matchesAny(r.ErrorEquals, f) {
			continue
		}
		if used[i] >= r.MaxAttempts {
			return 0, false
		}
		delay := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(used[i]))
		if r.MaxDelaySeconds > 0 {
			delay = min(delay, float64(r.MaxDelaySeconds))
		}
		if r.JitterStrategy == asl.JitterFull {
			delay *= v.run.rng.Float64()
		}
		used[i]++
		return time.Duration(delay * float64(time.Second)), true
	}
	return 0, false
}
