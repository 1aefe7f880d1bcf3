package gatekeeper

import (
	"fmt"
	"os"
	"strings"
)

// InstallCommands returns the kubectl commands of the first sh block under "## Install" in the
// README at path, as written (comments dropped), so that the test runs exactly what users copy.
func InstallCommands(path string) ([][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, section, ok := strings.Cut(string(data), "\n## Install\n")
	if !ok {
		return nil, fmt.Errorf("%s: no \"## Install\" section", path)
	}
	_, block, ok := strings.Cut(section, "```sh\n")
	if !ok {
		return nil, fmt.Errorf("%s: no sh block under \"## Install\"", path)
	}
	block, _, ok = strings.Cut(block, "```")
	if !ok {
		return nil, fmt.Errorf("%s: the sh block under \"## Install\" is not closed", path)
	}
	var cmds [][]string
	for _, line := range strings.Split(block, "\n") {
		line, _, _ = strings.Cut(line, "#")
		if strings.ContainsAny(line, `'"\$`) {
			return nil, fmt.Errorf("%s: install command %q quotes or expands: the test splits on spaces only", path, line)
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if fields[0] != "kubectl" {
			return nil, fmt.Errorf("%s: install command %q is not kubectl", path, line)
		}
		cmds = append(cmds, fields[1:])
	}
	if len(cmds) == 0 {
		return nil, fmt.Errorf("%s: no command under \"## Install\"", path)
	}
	return cmds, nil
}
