package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// fileReader backs the file() function. It reads each file once per load,
// because the same expression is evaluated for the schema and the model.
type fileReader struct {
	read  func(rel string) ([]byte, error)
	cache map[string]string
}

func newFileReader(read func(rel string) ([]byte, error)) *fileReader {
	return &fileReader{read: read, cache: map[string]string{}}
}

// evalContext is the only context expressions see: no variables, one
// function. A reference where a value belongs is therefore an error.
func (f *fileReader) evalContext() *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{"file": f.fileFunction()}}
}

func (f *fileReader) fileFunction() function.Function {
	return function.New(&function.Spec{
		Description: "Reads a UTF-8 text file, relative to the spec's folder.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			text, err := f.load(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(text), nil
		},
	})
}

// load returns the text of rel with line endings normalised to LF, so a
// checkout with CRLF renders the same bytes as one with LF.
func (f *fileReader) load(rel string) (string, error) {
	clean, err := cleanRelPath(rel)
	if err != nil {
		return "", err
	}
	if text, ok := f.cache[clean]; ok {
		return text, nil
	}
	if f.read == nil {
		return "", errors.New("no files can be read here")
	}
	data, err := f.read(clean)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no file %q next to the spec; paths are relative to the spec's folder", clean)
	}
	if err != nil {
		return "", fmt.Errorf("reading %q: %w", clean, err)
	}
	if !utf8.Valid(data) {
		return "", fmt.Errorf("%q is not UTF-8 text", clean)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	f.cache[clean] = text
	return text, nil
}

// cleanRelPath accepts only paths inside the spec's folder: the rendered
// tree must not depend on where the spec's checkout happens to live.
func cleanRelPath(p string) (string, error) {
	slashed := strings.ReplaceAll(p, `\`, "/")
	if strings.TrimSpace(slashed) == "" {
		return "", errors.New("the path is empty")
	}
	if path.IsAbs(slashed) || (len(slashed) > 1 && slashed[1] == ':') {
		return "", fmt.Errorf("%q is absolute; write it relative to the spec's folder", p)
	}
	clean := path.Clean(slashed)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", fmt.Errorf("%q is outside the spec's folder; keep the file next to the spec", p)
	}
	return clean, nil
}
