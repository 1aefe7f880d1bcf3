package main

import "github.com/selmount/selmount/policies/cluster"

// documentLine is the line where cluster.Decode found the object's YAML document, 0 when it did
// not record one. Using the decoder's own count keeps SARIF in step with however it splits files.
func documentLine(src cluster.Source) int {
	return src.Line
}
