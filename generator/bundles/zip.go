package bundles

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"slices"
	"strings"
)

// entry is one file of a bundle.
type entry struct {
	name string
	mode fs.FileMode
	data []byte
}

// zipDOSDate is 1980-01-01, the zip epoch, in MS-DOS format
// ((year-1980)<<9 | month<<5 | day); the MS-DOS time is 00:00:00.
const zipDOSDate = 0<<9 | 1<<5 | 1

// zipEntries writes a zip whose bytes depend only on the entries: sorted
// names, no directory entries, a fixed time, fixed Unix modes, no extra
// fields, Deflate. Zips stamped with the build time or listed in
// file-system order change hash on every build and redeploy the functions.
func zipEntries(entries []entry) ([]byte, error) {
	entries = slices.Clone(entries)
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.name, b.name) })
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		// The MS-DOS fields, not Modified: Modified adds an extended
		// timestamp extra field.
		h.ModifiedDate, h.ModifiedTime = zipDOSDate, 0
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
