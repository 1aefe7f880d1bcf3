package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// Object is one decoded Kubernetes object.
type Object struct {
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
	Source     Source
	// Raw is the object as JSON, for consumers that need more than the typed fields.
	Raw json.RawMessage
	// Typed is a pointer to the k8s.io/api type for kinds selmount reads, nil for other kinds; for a
	// Pod DecodeScan read, the *Pod the model reads.
	Typed any
}

// ID names the object the way messages quote it: "Pod team-a/web".
func (o *Object) ID() string {
	if o.Namespace == "" {
		return o.Kind + " " + o.Name
	}
	return o.Kind + " " + o.Namespace + "/" + o.Name
}

type header struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Items []json.RawMessage `json:"items"`
}

// unmarshal decodes an object as the API server does: a key names a field only when it matches
// case for case, so "Spec" is an unknown field that kubectl and the API server drop or refuse, never
// the spec. encoding/json would fold case, and the model would then read a Pod no cluster holds.
// The fast path (fastpod.go) decodes what unmarshal would, field for field.
func unmarshal(js []byte, v any) error {
	return kjson.UnmarshalCaseSensitivePreserveInts(js, v)
}

// utf8BOM is the byte-order mark some Windows editors and PowerShell redirections put first.
var utf8BOM = []byte("\xef\xbb\xbf")

// Decode reads every object of one file: multi-document YAML, or JSON, with List documents
// (kubectl get -o yaml|json) expanded into their items. Errors name the file and the document.
// A file whose first document is not a Kubernetes object (a package.json, a Helm values.yaml) is a
// *NotManifestError, which callers walking a folder may skip; a document the YAML or JSON parser
// refuses is a *MalformedError; documents above the limits in limits.go are a *LimitError.
func Decode(file string, data []byte) ([]Object, error) {
	// kubectl drops a leading byte-order mark; without this a JSON stream would not be seen as JSON.
	data = bytes.TrimPrefix(data, utf8BOM)
	objs, err := decode(file, data)
	var notObj *notObjectError
	if errors.As(err, &notObj) && notObj.src.Doc == 1 && notObj.src.Item == 0 {
		return nil, &NotManifestError{File: file, Reason: notObj.what}
	}
	return objs, err
}

func decode(file string, data []byte) ([]Object, error) {
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		return decodeJSONStream(file, trimmed)
	}
	var out []Object
	doc := 0
	for _, chunk := range splitYAML(data) {
		if isBlankYAML(chunk.text) {
			continue
		}
		doc++ // documents are counted as kubectl counts them: blank ones do not count
		src := Source{File: file, Doc: doc, Line: chunk.line}
		if err := checkYAMLDocument(src, chunk.text); err != nil {
			return nil, err
		}
		js, err := yaml.YAMLToJSON(chunk.text)
		if err != nil {
			return nil, &MalformedError{Source: src, Format: "YAML", Err: err}
		}
		if out, err = appendDocument(out, src, js); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type yamlChunk struct {
	text []byte
	line int
}

// splitYAML cuts a stream at "---" lines and after "..." (document end) lines, keeping where each
// document starts so that messages and SARIF locations can point at it. A document may follow
// "..." without a "---"; the YAML library would read only the first of them.
func splitYAML(data []byte) []yamlChunk {
	var chunks []yamlChunk
	start, startLine, line := 0, 1, 1
	for i := 0; i <= len(data); {
		end := bytes.IndexByte(data[i:], '\n')
		next := i + end + 1
		if end < 0 {
			end, next = len(data)-i, len(data)+1
		}
		l := data[i : i+end]
		if isSeparator(l) {
			chunks = append(chunks, yamlChunk{data[start:i], startLine})
			start, startLine = min(next, len(data)), line+1
			if rest := bytes.TrimSpace(l[3:]); len(rest) > 0 && rest[0] != '#' {
				// "--- {kind: Pod, ...}": the document starts on the separator line.
				start, startLine = i+3, line
			}
		} else if isDocumentEnd(l) {
			chunks = append(chunks, yamlChunk{data[start:i], startLine})
			start, startLine = min(next, len(data)), line+1
		}
		i, line = next, line+1
	}
	return append(chunks, yamlChunk{data[start:], startLine})
}

func isSeparator(line []byte) bool {
	line = bytes.TrimRight(line, "\r")
	if !bytes.HasPrefix(line, []byte("---")) {
		return false
	}
	rest := line[3:]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t'
}

// isDocumentEnd tells a "..." line, which may carry a comment.
func isDocumentEnd(line []byte) bool {
	line = bytes.TrimRight(line, " \t\r")
	if !bytes.HasPrefix(line, []byte("...")) {
		return false
	}
	rest := line[3:]
	return len(rest) == 0 || ((rest[0] == ' ' || rest[0] == '\t') && bytes.HasPrefix(bytes.TrimLeft(rest, " \t"), []byte("#")))
}

func decodeJSONStream(file string, data []byte) ([]Object, error) {
	var out []Object
	dec := json.NewDecoder(bytes.NewReader(data))
	for doc := 1; ; doc++ {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, &MalformedError{Source: Source{File: file, Doc: doc}, Format: "JSON", Err: err}
		}
		if out, err = appendDocument(out, Source{File: file, Doc: doc}, raw); err != nil {
			return nil, err
		}
	}
}

func isBlankYAML(chunk []byte) bool {
	for _, line := range strings.Split(string(chunk), "\n") {
		l := strings.TrimSpace(line)
		if l != "" && !strings.HasPrefix(l, "#") && l != "..." {
			return false
		}
	}
	return true
}

func appendDocument(out []Object, src Source, js []byte) ([]Object, error) {
	if t := bytes.TrimSpace(js); len(t) == 0 || string(t) == "null" {
		return out, nil
	}
	if bytes.TrimSpace(js)[0] != '{' {
		return nil, &notObjectError{src, "document is not an object"}
	}
	var h header
	if err := unmarshal(js, &h); err != nil {
		if bytes.Contains(js, []byte(`"kind"`)) {
			return nil, fmt.Errorf("%s: %v", src, err)
		}
		// A mapping whose "metadata" or "items" has another shape is no Kubernetes object either.
		return nil, &notObjectError{src, "document has no kind"}
	}
	if h.Kind == "" {
		return nil, &notObjectError{src, "object has no kind"}
	}
	if strings.HasSuffix(h.Kind, "List") && h.Items != nil {
		for i, item := range h.Items {
			itemSrc := src
			itemSrc.Item = i + 1
			var err error
			if out, err = appendItem(out, itemSrc, item); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	if err := checkObjectSize(src, js); err != nil {
		return nil, err
	}
	return appendObject(out, src, &h, js)
}

func appendItem(out []Object, src Source, js []byte) ([]Object, error) {
	if err := checkObjectSize(src, js); err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(js); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%s: list item is not an object", src)
	}
	var h header
	if err := unmarshal(js, &h); err != nil {
		return nil, fmt.Errorf("%s: %v", src, err)
	}
	if h.Kind == "" {
		return nil, fmt.Errorf("%s: object has no kind", src)
	}
	return appendObject(out, src, &h, js)
}

func appendObject(out []Object, src Source, h *header, js []byte) ([]Object, error) {
	obj := Object{APIVersion: h.APIVersion, Kind: h.Kind, Namespace: h.Metadata.Namespace, Name: h.Metadata.Name, Source: src, Raw: js}
	newTyped, known := typedKinds[kindKey(h.APIVersion, h.Kind)]
	if !known {
		return append(out, obj), nil
	}
	if obj.Name == "" {
		return nil, fmt.Errorf("%s: %s has no metadata.name", src, h.Kind)
	}
	if namespaced[h.Kind] {
		if obj.Namespace == "" {
			obj.Namespace = DefaultNamespace
		}
	} else {
		obj.Namespace = ""
	}
	obj.Typed = newTyped()
	if err := unmarshal(js, obj.Typed); err != nil {
		return nil, fmt.Errorf("%s: %s: %v", src, obj.ID(), err)
	}
	return append(out, obj), nil
}

// DecodeOne decodes a single object (not a List) from JSON, as if it stood at src.
func DecodeOne(src Source, js []byte) (Object, error) {
	out, err := appendItem(nil, src, js)
	if err != nil {
		return Object{}, err
	}
	return out[0], nil
}

// notObjectError is a document that is no Kubernetes object; its message names the place.
type notObjectError struct {
	src  Source
	what string
}

func (e *notObjectError) Error() string { return e.src.String() + ": " + e.what }

// NotManifestError is a file that holds no Kubernetes object: its first document is not one.
type NotManifestError struct {
	File   string
	Reason string
}

func (e *NotManifestError) Error() string {
	return e.File + ": document 1: " + e.Reason + " (not a Kubernetes manifest)"
}

// MalformedError is a document the YAML or JSON parser refuses. It is told apart from other decode
// errors so that a folder scan can report a file with a typo and go on with the others; limits and
// objects of the wrong shape are not MalformedErrors.
type MalformedError struct {
	// Source is the document; its Line is where the document starts (0 for JSON), while a YAML
	// parser's message counts lines from that start.
	Source Source
	// Format is "YAML" or "JSON".
	Format string
	Err    error
}

func (e *MalformedError) Error() string {
	return e.Source.String() + ": malformed " + e.Format + ": " + e.Err.Error()
}

func (e *MalformedError) Unwrap() error { return e.Err }
