// Package parallel spreads independent work over the machine's cores
// without giving up the determinism of a loop.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// ForEach calls fn(i) for every i in [0, n) on up to GOMAXPROCS
// goroutines (in order on the caller's own when GOMAXPROCS is 1). fn must
// write only what belongs to i. A panic in fn is raised again in the
// caller: the one of the lowest i, which a loop would have raised. With
// several goroutines, that happens once every call has returned; with
// one, as in a loop, the calls after it do not run.
func ForEach(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var (
		next     atomic.Int64
		mu       sync.Mutex
		panicAt  = n
		panicked any
		wg       sync.WaitGroup
	)
	call := func(i int) {
		defer func() {
			if r := recover(); r != nil {
				mu.Lock()
				if i < panicAt {
					panicAt, panicked = i, r
				}
				mu.Unlock()
			}
		}()
		fn(i)
	}
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				call(i)
			}
		})
	}
	wg.Wait()
	if panicAt < n {
		panic(panicked)
	}
}
