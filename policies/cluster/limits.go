package cluster

import (
	"bytes"
	"fmt"

	yamlv3 "sigs.k8s.io/yaml/goyaml.v3"
)

// Input that could exhaust memory is refused with a message naming the file and document, because a
// Go out-of-memory crash cannot be told from bad input by a CI job and gives no hint what to fix.
const (
	// MaxObjectBytes caps one object (a document, or an item of a List) in its JSON form. The API
	// server stores nothing above etcd's 1.5 MiB request limit, so anything near this cap is not
	// cluster state.
	MaxObjectBytes = 8 << 20
	// MaxYAMLDocumentBytes caps one YAML document. Decoding YAML takes tens of times its size in
	// memory; `kubectl get -o json` dumps, decoded as a stream, have no such cap.
	MaxYAMLDocumentBytes = 64 << 20
	// MaxAliasBytes caps what YAML aliases add to one document when expanded. One anchored string
	// repeated by aliases (an "alias bomb") turns a 1 MB file into gigabytes of JSON; manifests use
	// anchors for a few repeated blocks at most.
	MaxAliasBytes = 1 << 20
)

// LimitError is input refused for its size.
type LimitError struct {
	Where string
	What  string
}

func (e *LimitError) Error() string { return e.Where + ": " + e.What }

func mib(n int) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

// checkYAMLDocument refuses a YAML document too large to decode or whose aliases expand too far,
// before the YAML library expands them.
func checkYAMLDocument(src Source, text []byte) error {
	if len(text) > MaxYAMLDocumentBytes {
		return &LimitError{src.String(), fmt.Sprintf("YAML document is %s, more than the %s selmount decodes (dump the cluster with -o json instead)", mib(len(text)), mib(MaxYAMLDocumentBytes))}
	}
	// Aliases are written "*name": without a '*' there is nothing to expand, and the extra parse
	// below is skipped for the common case.
	if bytes.IndexByte(text, '*') < 0 || bytes.IndexByte(text, '&') < 0 {
		return nil
	}
	var root yamlv3.Node
	if err := yamlv3.Unmarshal(text, &root); err != nil {
		return nil // malformed: the decoder proper reports it
	}
	added := aliasBytes(&root, map[*yamlv3.Node]int{}, 0)
	if added > MaxAliasBytes {
		return &LimitError{src.String(), fmt.Sprintf("YAML aliases expand the document by more than %s (an alias bomb?)", mib(MaxAliasBytes))}
	}
	return nil
}

// aliasBytes is what the aliases under n add when expanded: each alias costs the expanded size of
// its anchor. Sizes are memoised per node, so nested bombs cost one walk, and saturate past the cap
// so that sums cannot overflow.
func aliasBytes(n *yamlv3.Node, memo map[*yamlv3.Node]int, depth int) int {
	total := 0
	for _, c := range n.Content {
		if c.Kind == yamlv3.AliasNode {
			total += expandedSize(c.Alias, memo, depth+1)
		} else {
			total += aliasBytes(c, memo, depth+1)
		}
		if total > MaxAliasBytes {
			return MaxAliasBytes + 1
		}
	}
	return total
}

// expandedSize is the bytes of scalars under n with every alias expanded.
func expandedSize(n *yamlv3.Node, memo map[*yamlv3.Node]int, depth int) int {
	if n == nil || depth > 1000 {
		return MaxAliasBytes + 1 // a cycle or absurd nesting: refuse rather than recurse
	}
	if v, ok := memo[n]; ok {
		return v
	}
	memo[n] = MaxAliasBytes + 1 // in progress: a self-referencing anchor counts as too big
	size := len(n.Value) + 1
	if n.Kind == yamlv3.AliasNode {
		size = expandedSize(n.Alias, memo, depth+1)
	}
	for _, c := range n.Content {
		size += expandedSize(c, memo, depth+1)
		if size > MaxAliasBytes {
			size = MaxAliasBytes + 1
			break
		}
	}
	memo[n] = size
	return size
}

// checkObjectSize refuses one object's JSON above MaxObjectBytes.
func checkObjectSize(src Source, js []byte) error {
	if len(js) > MaxObjectBytes {
		return &LimitError{src.String(), fmt.Sprintf("object is %s as JSON, more than the %s selmount reads (the API server stores none above 1.5 MiB)", mib(len(js)), mib(MaxObjectBytes))}
	}
	return nil
}
