package parallel

import (
	"runtime"
	"testing"
)

func TestForEachCallsEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		calls := make([]int, n)
		ForEach(n, func(i int) { calls[i]++ })
		for i, c := range calls {
			if c != 1 {
				t.Fatalf("n=%d: fn(%d) ran %d times", n, i, c)
			}
		}
	}
}

func TestForEachRunsInOrderOnOneProc(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var order []int
	ForEach(5, func(i int) { order = append(order, i) })
	for i, got := range order {
		if got != i {
			t.Fatalf("order %v, want 0..4", order)
		}
	}
}

// The panic raised is the one a loop would have raised first, however the
// calls were scheduled, and only after every call returned.
func TestForEachRaisesTheLowestPanic(t *testing.T) {
	for range 50 {
		done := make([]bool, 100)
		got := func() (r any) {
			defer func() { r = recover() }()
			ForEach(100, func(i int) {
				done[i] = true
				if i%10 == 3 {
					panic(i)
				}
			})
			return nil
		}()
		if got != 3 {
			t.Fatalf("panic %v, want 3", got)
		}
		for i, d := range done {
			if !d {
				t.Fatalf("fn(%d) never ran", i)
			}
		}
	}
}
