package replay

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// replacedMessage are what the validating policy plugin logs (V(2), see cluster.Args) when it
// replaces a policy's message with "failed expression: ...".
var replacedMessage = []string{"excessively long message denied", "multi-line message denied", "error while evaluating messageExpression"}

// logSize is where the server log ends now, to read only what a request adds.
func logSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// whyReplaced returns the server's reasons, logged since offset from, for replacing policy
// messages: the log line's reason, with the length of the message it denied.
func whyReplaced(path string, from int64) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if from > int64(len(data)) {
		from = 0 // rotated or truncated: read it all
	}
	var out []string
	for _, line := range strings.Split(string(data[from:]), "\n") {
		for _, reason := range replacedMessage {
			if !strings.Contains(line, reason) {
				continue
			}
			s := "the server logged " + strconv.Quote(reason)
			if _, after, ok := strings.Cut(line, ` message=`); ok {
				if q, err := strconv.QuotedPrefix(after); err == nil {
					if msg, err := strconv.Unquote(q); err == nil {
						s += fmt.Sprintf(" for a %d-byte message starting %q", len(msg), prefix(msg, 60))
					}
				}
			} else {
				s += ": " + prefix(line, 300)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
