package cli

import (
	"crypto/sha256"
	"fmt"

	"github.com/refreshgen/refreshgen/generator"
)

// fakeBundles stands in for the Go toolchain where a test is about the
// tree, not the Lambda builds: a bundle is one line naming it, and its
// inputs digest what the spec decides (helper, architecture, CA bundle).
// So the golden trees pin their layout and manifest without depending on
// the Go version's build output, and render without compiling anything.
// TestExampleBundlesAreReproducible and TestCommittedOutputIsCurrent build
// for real.
type fakeBundles struct{}

func (fakeBundles) Provider(*generator.Snapshot) func(generator.LambdaBundle) ([]byte, string, error) {
	return func(b generator.LambdaBundle) ([]byte, string, error) {
		ca := sha256.Sum256([]byte(b.CABundle))
		return fmt.Appendf(nil, "fake %s bundle for %s\n", b.Helper, b.Arch), fmt.Sprintf("fake:%s:%s:%x", b.Helper, b.Arch, ca[:8]), nil
	}
}
