// Command modproxy writes the files git tracks in a checkout as one module version of a GOPROXY file
// tree (see package modproxy), for `make install-check`.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/selmount/selmount/internal/modproxy"
)

func main() {
	root := flag.String("root", ".", "the checkout")
	out := flag.String("out", "", "the proxy folder to write")
	module := flag.String("module", "github.com/selmount/selmount", "module path")
	version := flag.String("version", "", "version to serve, e.g. v0.4.0")
	flag.Parse()
	if *out == "" || *version == "" {
		fmt.Fprintln(os.Stderr, "modproxy: -out and -version are required")
		os.Exit(2)
	}
	// Only tracked files: a tag serves what was committed, not a developer's bin/ or scratch files.
	cmd := exec.Command("git", "-C", *root, "ls-files", "-z")
	listing, err := cmd.Output()
	if err == nil {
		files := strings.Split(strings.TrimRight(string(listing), "\x00"), "\x00")
		err = modproxy.Write(*out, *root, *module, *version, files)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "modproxy: %v%s\n", err, stderrOf(err))
		os.Exit(1)
	}
}

func stderrOf(err error) string {
	if ee := (*exec.ExitError)(nil); errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return ": " + string(bytes.TrimSpace(ee.Stderr))
	}
	return ""
}
