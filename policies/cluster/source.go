// Package cluster turns manifests and cluster dumps into the objects the SELinux views read, and
// resolves each Pod volume to the volume the kubelet and the warning controller would see.
package cluster

import "fmt"

// Source locates one object in the input, so that every message can name file and document.
type Source struct {
	File string
	// Doc is the 1-based YAML document (a JSON file is one document).
	Doc int
	// Item is the 1-based item of a List document, 0 when the document is the object itself.
	Item int
	// Line is the 1-based line where the document starts (0 when unknown).
	Line int
}

func (s Source) String() string {
	if s.Item > 0 {
		return fmt.Sprintf("%s: document %d, item %d", s.File, s.Doc, s.Item)
	}
	return fmt.Sprintf("%s: document %d", s.File, s.Doc)
}

// Diagnostic is something the analysis could not use, said with its place in the input.
type Diagnostic struct {
	Kind    string `json:"kind"`
	File    string `json:"file"`
	Object  string `json:"object"`
	Message string `json:"message"`
}

// Diagnostic kinds.
const (
	DiagUnresolvedVolume = "unresolved-volume"
	DiagSkippedObject    = "skipped-object"
)
