package bundles

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"runtime"
	"strings"

	"github.com/refreshgen/refreshgen/generator"
)

// scheme names what Digest covers and how bundles are laid out. Change it
// whenever either changes in a way the digested fields do not show (a new
// entry in the zip, another compression level), so that no check trusts a
// bundle made the old way.
const scheme = "v1"

// Digest returns "v1:" and the sha256 of everything that decides a
// bundle's bytes: the helper, the architecture, the Go version that builds
// it, refreshgen's own Go version (its compress/flate deflates the zip),
// the build settings and flags, the CA bundle, and the path and content of
// every source file a build reads. Equal digests mean equal bundles.
func Digest(sources fs.FS, goVersion string, b generator.LambdaBundle) (string, error) {
	settings, err := buildSettings(b.Arch)
	if err != nil {
		return "", err
	}
	files, err := sourceFiles(sources)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	// Each field carries its length, so no two inputs hash the same text.
	field := func(name string, value []byte) {
		fmt.Fprintf(h, "%s %d\n%s\n", name, len(value), value)
	}
	field("helper", []byte(b.Helper))
	field("arch", []byte(b.Arch))
	field("go", []byte(goVersion))
	field("zip", []byte(runtime.Version()))
	field("env", []byte(strings.Join(settings, "\n")))
	field("args", []byte(strings.Join(buildArgs, "\n")))
	field("ca", []byte(b.CABundle))
	for _, f := range files {
		data, err := fs.ReadFile(sources, f)
		if err != nil {
			return "", err
		}
		field("file "+f, data)
	}
	return scheme + ":" + hex.EncodeToString(h.Sum(nil)), nil
}
