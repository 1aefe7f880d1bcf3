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

// Diagnostic is something the analysis could not use, said with its place in the input. Severity
// lets `selmount scan --fail-on` count diagnostics like findings: input that was not read, or a
// volume that could not be resolved, may hide findings and must not pass unnoticed.
type Diagnostic struct {
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	File     string `json:"file"`
	Object   string `json:"object"`
	Message  string `json:"message"`
}

// Diagnostic kinds.
const (
	DiagUnresolvedVolume = "unresolved-volume"
	DiagSkippedObject    = "skipped-object"
	// DiagSkippedFile is a file in a scanned folder that holds no Kubernetes object (a package.json,
	// a Helm values.yaml) or is not a regular file.
	DiagSkippedFile = "skipped-file"
	// DiagUnreadablePath is a file or folder that could not be read (permissions, a dangling link).
	DiagUnreadablePath = "unreadable-path"
	// DiagSymlinkLoop is a link to a folder that contains it; it is not followed.
	DiagSymlinkLoop = "symlink-loop"
	// DiagAlreadyScanned is a folder or file reached a second time through a link.
	DiagAlreadyScanned = "already-scanned"
	// DiagEmptyInput is a PATH (or standard input) that holds no object.
	DiagEmptyInput = "empty-input"
	// DiagHelmChart is a folder holding a Chart.yaml: its templates are not manifests until Helm
	// renders them, so the folder is not walked and the user is told to scan the rendered output.
	DiagHelmChart = "helm-chart"
	// DiagMalformedFile is a file in a scanned folder that the YAML or JSON parser refuses. It is
	// not read at all: its objects may be the Pods a finding is about.
	DiagMalformedFile = "malformed-file"
)

// Diagnostic severities; "warning" and "error" are the finding severities --fail-on compares.
const (
	DiagInfo    = "info"
	DiagWarning = "warning"
	DiagError   = "error"
)

// DiagnosticSeverity is the default severity of a kind. Objects of kinds selmount does not read are
// normal in any repository (info); what may hide a finding is a warning; input that was given but
// not read is an error.
func DiagnosticSeverity(kind string) string {
	switch kind {
	case DiagSkippedObject, DiagAlreadyScanned:
		return DiagInfo
	case DiagUnreadablePath, DiagEmptyInput, DiagMalformedFile:
		return DiagError
	}
	return DiagWarning
}
