// Package bundles builds the Lambda helpers' zips reproducibly and decides
// when it needs to: a bundle the output folder already holds, built from
// the same inputs, is read from disk instead, so checking an unchanged tree
// runs no compiler (nor any other process, unless the go command on PATH
// is a wrapper whose version only `go env` can tell).
package bundles

import (
	"io/fs"
	"sync"

	"github.com/refreshgen/refreshgen/generator"
)

// Builder builds bundles from one set of sources, each digest at most once
// in its lifetime: share one across renders (a test suite) to build each
// bundle once. Make one with NewBuilder.
type Builder struct {
	sources fs.FS
	mu      sync.Mutex        // held through a build: one build at a time, never two of one digest
	built   map[string][]byte // zips by digest
}

// NewBuilder returns a builder of the helpers in sources, which holds
// go.mod, go.sum and lambdas/ as refreshgen.Sources does.
func NewBuilder(sources fs.FS) *Builder {
	return &Builder{sources: sources, built: map[string][]byte{}}
}

// Provider returns the generator.Input.Bundle of a render into the output
// folder prev was read from. A bundle whose digest the previous manifest
// recorded, and whose file is still on disk with the recorded sha256, is
// that file; any other is built.
func (b *Builder) Provider(prev *generator.Snapshot) func(generator.LambdaBundle) ([]byte, string, error) {
	toolchain := sync.OnceValues(FindToolchain) // once per render, not per bundle
	return func(req generator.LambdaBundle) ([]byte, string, error) {
		tc, err := toolchain()
		if err != nil {
			return nil, "", err
		}
		digest, err := Digest(b.sources, tc.Version, req)
		if err != nil {
			return nil, "", err
		}
		if data, ok := recorded(prev, digest); ok {
			return data, digest, nil
		}
		data, err := b.build(tc, digest, req)
		return data, digest, err
	}
}

// build returns the bundle of digest, building it the first time.
func (b *Builder) build(tc Toolchain, digest string, req generator.LambdaBundle) ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if data, ok := b.built[digest]; ok {
		return data, nil
	}
	data, err := Build(b.sources, tc, req)
	if err != nil {
		return nil, err
	}
	b.built[digest] = data
	return data, nil
}

// recorded returns the file the previous manifest lists with inputs
// digest, if it is still on disk as that manifest recorded it.
func recorded(prev *generator.Snapshot, digest string) ([]byte, bool) {
	if prev.Manifest == nil {
		return nil, false
	}
	for _, e := range prev.Manifest.Files {
		if e.Inputs != digest {
			continue
		}
		if f, ok := prev.Files[e.Path]; ok && f.SHA256 == e.SHA256 {
			return f.Data, true
		}
	}
	return nil, false
}
