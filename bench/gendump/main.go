// Command gendump writes a synthetic `kubectl get pods,pvc,pv,csidrivers,storageclasses,namespaces
// -A -o json` dump for benchmarking selmount:
//
//	go run ./bench/gendump -pods 100000 -o /tmp/dump-100k.json
//	go run ./bench/gendump -pods 100000 -shared-namespaces 20 -o /tmp/shared-100k.json
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/selmount/selmount/bench/dumpgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gendump", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pods := fs.Int("pods", 100000, "number of pods")
	seed := fs.Uint64("seed", 1, "random seed; the same seed and size give the same bytes")
	out := fs.String("o", "-", "output file, - for standard output")
	shared := fs.Int("shared-namespaces", 0, "write issue 12's layout instead: every Pod on one volume, this many namespaces each with its own level")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gendump: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintf(stderr, "gendump: %v\n", err)
			return 1
		}
		defer f.Close()
		w = f
	}
	write := func(w io.Writer) error { return dumpgen.Write(w, dumpgen.Config{Pods: *pods, Seed: *seed}) }
	if *shared > 0 {
		write = func(w io.Writer) error { return dumpgen.WriteShared(w, *pods, *shared) }
	}
	if err := write(w); err != nil {
		fmt.Fprintf(stderr, "gendump: %s: %v\n", *out, err)
		return 1
	}
	return 0
}
