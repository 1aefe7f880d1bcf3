package main

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/selmount/selmount/policies/cluster"
)

// lineIndex turns an object's Source into the line SARIF points at. Only SARIF asks, once per file,
// so the cost stays off the scan path. 0 means "not known cheaply": the region is then omitted.
type lineIndex struct {
	raw   map[string][]byte
	cache map[string]*fileLines
}

type fileLines struct {
	// YAML: the file's lines; documents are located by the line cluster.Decode recorded.
	lines []string
	// JSON: json.docs[i] is the line of value i+1, json.items[d][j] of item j+1 of value d.
	json *jsonLines
}

type jsonLines struct {
	docs  []int
	items map[int][]int
}

func newLineIndex(raw map[string][]byte) *lineIndex {
	return &lineIndex{raw: raw, cache: map[string]*fileLines{}}
}

func (x *lineIndex) line(src cluster.Source) int {
	fl, ok := x.cache[src.File]
	if !ok {
		if data, known := x.raw[src.File]; known {
			fl = indexFile(data)
		}
		x.cache[src.File] = fl
	}
	switch {
	case fl == nil:
		return 0
	case fl.json != nil:
		return fl.json.line(src)
	}
	start := documentLine(src)
	if start < 1 || start > len(fl.lines) {
		return 0
	}
	end := documentEnd(fl.lines, start-1)
	if src.Item == 0 {
		return firstContentLine(fl.lines, start-1, end)
	}
	items := yamlListItems(fl.lines, start-1, end)
	if src.Item > len(items) {
		return 0
	}
	return items[src.Item-1]
}

func indexFile(data []byte) *fileLines {
	// As cluster.Decode does: a byte-order mark is no content, and it sits on line 1 either way.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return &fileLines{json: indexJSON(data, len(data)-len(trimmed))}
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return &fileLines{lines: lines}
}

// documentEnd is the index of the separator or "..." line that ends the document starting at index
// start.
func documentEnd(lines []string, start int) int {
	for i := start + 1; i < len(lines); i++ {
		if isSeparatorLine(lines[i]) || isDocumentEndLine(lines[i]) {
			return i
		}
	}
	return len(lines)
}

// firstContentLine skips the separator, comments and blank lines a document opens with, so that a
// result points at its apiVersion or kind rather than at a comment banner.
func firstContentLine(lines []string, start, end int) int {
	for i := start; i < end; i++ {
		if !isYAMLNoise(lines[i]) {
			return i + 1
		}
	}
	return start + 1
}

// isSeparatorLine matches the document separators cluster.Decode cuts at.
func isSeparatorLine(l string) bool {
	return l == "---" || strings.HasPrefix(l, "--- ") || strings.HasPrefix(l, "---\t")
}

// isDocumentEndLine matches the "..." lines cluster.Decode ends documents at.
func isDocumentEndLine(l string) bool {
	t := strings.TrimRight(l, " \t")
	return t == "..." || (strings.HasPrefix(t, "... ") || strings.HasPrefix(t, "...\t")) && strings.HasPrefix(strings.TrimLeft(t[3:], " \t"), "#")
}

func isYAMLNoise(l string) bool {
	t := strings.TrimSpace(l)
	return t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "---")
}

// yamlListItems finds the entries of a top-level block sequence "items:", as kubectl writes it.
// An entry is a "-" at the sequence's indent; anything nested is indented deeper, so no scalar
// content can be mistaken for one. Flow-style lists give nil, and SARIF then omits the region.
func yamlListItems(lines []string, start, end int) []int {
	i := start
	for ; i < end; i++ {
		if strings.TrimRight(lines[i], " \t") == "items:" {
			break
		}
	}
	if i == end {
		return nil
	}
	var out []int
	indent := -1
	for i++; i < end; i++ {
		l := lines[i]
		if isYAMLNoise(l) {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		entry := l[ind:] == "-" || strings.HasPrefix(l[ind:], "- ")
		if indent < 0 {
			if !entry {
				return nil
			}
			indent = ind
		}
		if ind < indent || (ind == indent && !entry) {
			break // the next top-level key
		}
		if ind == indent {
			out = append(out, i+1)
		}
	}
	return out
}

func (j *jsonLines) line(src cluster.Source) int {
	if src.Doc < 1 || src.Doc > len(j.docs) {
		return 0
	}
	if src.Item == 0 {
		return j.docs[src.Doc-1]
	}
	items := j.items[src.Doc]
	if src.Item > len(items) {
		return 0
	}
	return items[src.Item-1]
}

// indexJSON walks a stream of JSON values with offsets, recording where each value and each
// element of its top-level "items" array begins. lead is the whitespace cluster.Decode trims.
func indexJSON(data []byte, lead int) *jsonLines {
	j := &jsonLines{items: map[int][]int{}}
	dec := json.NewDecoder(bytes.NewReader(data[lead:]))
	lc := &lineCounter{data: data, line: 1}
	for doc := 1; ; doc++ {
		start := skipSpace(data, lead+int(dec.InputOffset()))
		if start >= len(data) {
			return j
		}
		j.docs = append(j.docs, lc.lineAt(start))
		items, ok := jsonItems(dec, data, lead, lc)
		if !ok {
			return j
		}
		if items != nil {
			j.items[doc] = items
		}
	}
}

// jsonItems consumes one value from dec and returns the lines of its "items" elements.
func jsonItems(dec *json.Decoder, data []byte, lead int, lc *lineCounter) ([]int, bool) {
	tok, err := dec.Token()
	if err != nil {
		return nil, false
	}
	if d, isDelim := tok.(json.Delim); !isDelim || d != '{' {
		return nil, true // a scalar, which cluster.Decode rejects anyway
	}
	var items []int
	var skip json.RawMessage
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, false
		}
		if key != "items" {
			if dec.Decode(&skip) != nil {
				return nil, false
			}
			continue
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		if d, isDelim := tok.(json.Delim); !isDelim || d != '[' {
			continue // "items": null
		}
		for dec.More() {
			items = append(items, lc.lineAt(skipSpace(data, lead+int(dec.InputOffset()))))
			if dec.Decode(&skip) != nil {
				return nil, false
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, false
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, false
	}
	return items, true
}

// skipSpace moves past whitespace and the separators the decoder has not consumed yet.
func skipSpace(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// lineCounter turns byte offsets into lines; offsets arrive in increasing order.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (c *lineCounter) lineAt(off int) int {
	if off < c.off {
		c.off, c.line = 0, 1
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line
}
