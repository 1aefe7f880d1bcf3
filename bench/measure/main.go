//go:build linux

// Command measure is bench/run.sh's stopwatch: it times json.Valid on a file (the floor a decoder
// cannot beat: one tokenization), and runs a command reporting its wall time, CPU time and peak
// resident memory (getrusage of the child, so no /usr/bin/time is needed).
//
//	measure valid FILE          # seconds of json.Valid, the file already in memory
//	measure run CMD [ARG...]    # "wall_s user_s sys_s maxrss_bytes exit_code"; CMD's stdout is dropped
//	measure yaml IN.json OUT    # the items of a JSON List as multi-document YAML
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 {
		fmt.Fprintln(stderr, "usage: measure valid FILE | measure run CMD [ARG...] | measure yaml IN OUT")
		return 2
	}
	var err error
	switch args[0] {
	case "valid":
		err = timeValid(args[1], stdout)
	case "run":
		err = timeCommand(args[1:], stdout, stderr)
	case "yaml":
		if len(args) != 3 {
			err = fmt.Errorf("yaml wants IN and OUT")
		} else {
			err = listToYAML(args[1], args[2])
		}
	default:
		err = fmt.Errorf("unknown mode %q", args[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "measure: %v\n", err)
		return 1
	}
	return 0
}
