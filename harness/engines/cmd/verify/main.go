// Command verify runs every engine on every scenario and on N seeded random clusters, prints the
// agreement matrix (rule × engine) and writes it as JSON and Markdown. It exits 1 on any unexpected
// difference or on an engine that evaluated nothing.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"k8s.io/klog/v2"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/harness/engines/registry"
	"github.com/selmount/selmount/policies"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func envUint(name string, def uint64) uint64 {
	if v, err := strconv.ParseUint(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "repository root")
	seed := fs.Uint64("seed", envUint("SEED", 0), "first seed of the generated clusters (env SEED)")
	n := fs.Uint64("n", envUint("N", 1000), "generated clusters (env N)")
	jsonOut := fs.String("json", "", "write the matrix as JSON here")
	mdOut := fs.String("md", "", "write the matrix as Markdown here (docs/agreement.md)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	klog.LogToStderr(false)
	klog.SetOutput(io.Discard)
	m, err := Verify(*root, *seed, *n)
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return 2
	}
	if err := m.Markdown(stdout); err != nil {
		return 2
	}
	if *jsonOut != "" {
		data, _ := json.MarshalIndent(m, "", "  ")
		if err := os.WriteFile(*jsonOut, append(data, '\n'), 0o644); err != nil {
			fmt.Fprintf(stderr, "verify: %v\n", err)
			return 2
		}
	}
	if *mdOut != "" {
		f, err := os.Create(*mdOut)
		if err == nil {
			err = m.Markdown(f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(stderr, "verify: %v\n", err)
			return 2
		}
	}
	if fails := m.Failures(); len(fails) > 0 {
		for _, f := range fails {
			fmt.Fprintf(stderr, "verify: %s\n", f)
		}
		return 1
	}
	return 0
}

// Verify builds the matrix: the model on the scenarios (against their hand-written expectations), and
// every other engine on the scenarios and on n generated clusters from seed (against the model).
func Verify(root string, seed, n uint64) (*harness.Matrix, error) {
	scs, err := harness.LoadScenarios(filepath.Join(root, "harness", "scenarios"))
	if err != nil {
		return nil, err
	}
	var rules []string
	for _, r := range policies.Catalogue() {
		rules = append(rules, r.ID)
	}
	m := harness.NewMatrix(seed, int(n), len(scs), rules)
	ctx := context.Background()

	model := harness.ModelEngine{}
	for _, sc := range scs {
		r, err := harness.Run(ctx, model, sc)
		if err != nil {
			return nil, err
		}
		m.Add(model.Name(), model.Rules(), r, harness.Compare(r, model.Rules(), harness.WantFromExpectation(r)), nil)
	}

	entries, closeAll, err := registry.Open(ctx, root)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	for _, e := range entries {
		if err := verifyEngine(ctx, m, scs, seed, n, e.Engine, e.Divergences(root), e.Known); err != nil {
			return nil, err
		}
	}
	up, err := harness.ReadUpstreamCells(filepath.Join(root, "docs", "agreement-upstream.json"))
	if err != nil {
		return nil, err
	}
	m.SortedEngines()
	m.AddUpstream(up)
	return m, nil
}

// verifyEngine adds one engine's rows: the scenarios against their expectations (listed divergences
// allowed) and n generated clusters against the model (known divergence classes allowed).
func verifyEngine(ctx context.Context, m *harness.Matrix, scs []*harness.Scenario, seed, n uint64,
	e harness.Engine, divergences string, known harness.Classifier) error {
	listed, err := harness.LoadDivergences(divergences)
	if err != nil {
		return err
	}
	inList := harness.ListedIn(listed)
	for _, sc := range scs {
		r, err := harness.Run(ctx, e, sc)
		if err != nil {
			return err
		}
		m.Add(e.Name(), e.Rules(), r, harness.Compare(r, e.Rules(), harness.WantFromExpectation(r)), inList)
	}
	for s := seed; s < seed+n; s++ {
		sc := harness.Generate(s, harness.GenOptions{MaxPods: 12})
		r, err := harness.Run(ctx, e, sc)
		if err != nil {
			return err
		}
		safety, err := harness.Safety(ctx, e, r)
		if err != nil {
			return err
		}
		m.Add(e.Name(), e.Rules(), r, append(harness.Compare(r, e.Rules(), harness.WantFromModel(r)), safety...), known)
	}
	return nil
}
