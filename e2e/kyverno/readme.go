package kyverno

import (
	"fmt"
	"os"
	"strings"
)

// ReadmeCommands are the kubectl commands of the first ```sh block of a README, each split into its
// arguments after "kubectl", comments dropped and single quotes removed as a shell would: what a
// user copies.
func ReadmeCommands(path string) ([][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, rest, ok := strings.Cut(string(data), "```sh\n")
	if !ok {
		return nil, fmt.Errorf("%s: no ```sh block", path)
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		return nil, fmt.Errorf("%s: the ```sh block does not end", path)
	}
	var out [][]string
	for _, line := range strings.Split(block, "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if f[0] != "kubectl" {
			return nil, fmt.Errorf("%s: %q is not a kubectl command", path, strings.TrimSpace(line))
		}
		for i := range f {
			// The only quoting the README uses: single quotes around a JSONPath without spaces.
			f[i] = strings.ReplaceAll(f[i], "'", "")
		}
		out = append(out, f[1:])
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no command in the ```sh block", path)
	}
	return out, nil
}
