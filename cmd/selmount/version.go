package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is set by release builds with -ldflags "-X main.version=v1.2.3".
var version = ""

func runVersion(stdout io.Writer) int {
	fmt.Fprintf(stdout, "selmount %s (%s)\n", currentVersion(), runtime.Version())
	return exitOK
}

// currentVersion falls back to the module version that `go install ...@vX` records, so that
// installed binaries say which release they are without a release pipeline.
func currentVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
