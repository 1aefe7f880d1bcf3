// Package registry builds every engine adapter the harness compares with the model, once, with the
// folder its known divergences live in and the classifier of its generated-cluster differences, so
// that cmd/verify and the tests enumerate the same engines and a new engine is added in one place.
package registry

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/harness/engines/admissionpolicy"
	"github.com/selmount/selmount/harness/engines/gatekeeper"
	"github.com/selmount/selmount/harness/engines/kyverno"
	"github.com/selmount/selmount/harness/engines/opa"
)

// Entry is one engine with what checking it needs.
type Entry struct {
	Engine harness.Engine
	// Dir is the engine's folder under harness/engines, which holds its divergences.yaml.
	Dir string
	// Known classifies the generated-cluster differences the engine cannot avoid; nil when none are.
	Known harness.Classifier
}

// Divergences is the path of the entry's list of known scenario divergences.
func (e Entry) Divergences(root string) string {
	return filepath.Join(root, "harness", "engines", e.Dir, "divergences.yaml")
}

// Open builds every engine from the bundles under root, in a fixed order; close releases what the
// engines hold (the admission-policy engine's informers).
func Open(ctx context.Context, root string) (entries []Entry, close func(), err error) {
	ap := admissionpolicy.New(filepath.Join(root, "map"))
	op, err := opa.New(ctx, filepath.Join(root, "rego"))
	if err != nil {
		ap.Close()
		return nil, nil, fmt.Errorf("opa engine: %w", err)
	}
	gk, err := gatekeeper.New(ctx, filepath.Join(root, "gatekeeper"), gatekeeper.Options{})
	if err != nil {
		ap.Close()
		return nil, nil, fmt.Errorf("gatekeeper engine: %w", err)
	}
	ky := kyverno.New(filepath.Join(root, "kyverno"))
	return []Entry{
		{Engine: ap, Dir: "admissionpolicy", Known: harness.PodOnlyKnownClass},
		{Engine: op, Dir: "opa"},
		{Engine: gk, Dir: "gatekeeper", Known: gk.KnownClass},
		{Engine: ky, Dir: "kyverno"},
	}, ap.Close, nil
}
