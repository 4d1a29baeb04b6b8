package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
)

// ManifestName is the manifest's path inside the output folder.
const ManifestName = "refreshgen-manifest.json"

// LayoutVersion changes only when the layout of the rendered tree changes on
// purpose. The manifest carries no tool version and no time, so upgrading
// refreshgen does not rewrite it unless the output really changes.
const LayoutVersion = 1

// Manifest lists every file refreshgen owns in an output folder. render
// deletes only files a previous manifest listed, so it never removes a file
// it did not write.
type Manifest struct {
	LayoutVersion int             `json:"layout_version"`
	Files         []ManifestEntry `json:"files"`
}

// ManifestEntry is one owned file.
type ManifestEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Kind   Kind   `json:"kind"`
	Mode   string `json:"mode"`             // octal, e.g. "0644"
	Inputs string `json:"inputs,omitempty"` // see File.Inputs
}

// Manifest returns the manifest of the tree, entries sorted by path.
func (t *Tree) Manifest() Manifest {
	return t.manifest(func(f *File) string { return digest(f.Data) })
}

// manifest returns the manifest of the tree with the sha256 of each file
// as sum gives it.
func (t *Tree) manifest(sum func(*File) string) Manifest {
	m := Manifest{LayoutVersion: LayoutVersion, Files: []ManifestEntry{}}
	for _, p := range t.Paths() {
		f := t.files[p]
		m.Files = append(m.Files, ManifestEntry{
			Path: p, SHA256: sum(f), Kind: f.Kind, Mode: formatMode(f.Mode), Inputs: f.Inputs,
		})
	}
	return m
}

// Bytes encodes the manifest: indented JSON, one trailing newline.
func (m Manifest) Bytes() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		panic(err) // a struct of strings always encodes
	}
	return buf.Bytes()
}

// ParseManifest reads a manifest from disk. A manifest that does not parse
// or has unsafe paths is an error: render then refuses to delete anything
// on its word.
func ParseManifest(data []byte) (*Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s is not a refreshgen manifest: %w", ManifestName, err)
	}
	for _, e := range m.Files {
		if err := checkRelPath(e.Path); err != nil || e.Path == ManifestName {
			return nil, fmt.Errorf("%s lists an unsafe path %q", ManifestName, e.Path)
		}
	}
	return &m, nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func formatMode(m fs.FileMode) string {
	return fmt.Sprintf("%04o", m.Perm())
}
