package kyverno

import (
	"bytes"
	"fmt"

	"github.com/go-git/go-billy/v5/memfs"
	"github.com/go-git/go-billy/v5/util"
	"github.com/kyverno/kyverno/cmd/cli/kubectl-kyverno/policy"
	"github.com/kyverno/kyverno/pkg/cel/libs"
	"github.com/kyverno/kyverno/pkg/cel/matching"
	mpolcompiler "github.com/kyverno/kyverno/pkg/cel/policies/mpol/compiler"
	mpolengine "github.com/kyverno/kyverno/pkg/cel/policies/mpol/engine"
	vpolcompiler "github.com/kyverno/kyverno/pkg/cel/policies/vpol/compiler"
	vpolengine "github.com/kyverno/kyverno/pkg/cel/policies/vpol/engine"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kubectl-validate/pkg/openapiclient"

	"github.com/selmount/selmount/internal/kustomize"
	"github.com/selmount/selmount/policies/cluster"
)

// bundle is one kustomization of kyverno/ loaded the way `kyverno apply` and `kyverno test` load
// policies (policy.Load), compiled once by Kyverno's CEL policy engines.
type bundle struct {
	validating []string // ValidatingPolicy names: each must answer for every Pod
	mutating   []string
	vpol       vpolengine.Engine
	mpol       mpolengine.Engine
}

func loadBundle(dir string) (*bundle, error) {
	file, out, err := kustomize.Build(dir)
	if err != nil {
		return nil, err
	}
	// Kyverno loads the policies; the rest of the bundle (the lookups' ClusterRole) is for the cluster.
	objs, err := cluster.Decode(file, out)
	if err != nil {
		return nil, err
	}
	var docs [][]byte
	for _, o := range objs {
		if o.APIGroup() == "policies.kyverno.io" {
			docs = append(docs, o.Raw)
		}
	}
	fs := memfs.New()
	if err := util.WriteFile(fs, "bundle.yaml", bytes.Join(docs, []byte("\n---\n")), 0o644); err != nil {
		return nil, err
	}
	loaded, err := policy.Load(fs, "", "bundle.yaml")
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	// Kyverno's loader reports documents it cannot read as non-fatal: here every one is fatal.
	for _, e := range loaded.NonFatalErrors {
		return nil, fmt.Errorf("%s: %s: %v", file, e.Path, e.Error)
	}
	if len(loaded.ValidatingPolicies) == 0 || len(loaded.MutatingPolicies) == 0 || len(loaded.Policies) > 0 {
		return nil, fmt.Errorf("%s: want ValidatingPolicies and a MutatingPolicy only, got %d ValidatingPolicies, %d MutatingPolicies, %d other policies",
			file, len(loaded.ValidatingPolicies), len(loaded.MutatingPolicies), len(loaded.Policies))
	}
	b := &bundle{}
	for _, p := range loaded.ValidatingPolicies {
		b.validating = append(b.validating, p.GetName())
	}
	for _, p := range loaded.MutatingPolicies {
		b.mutating = append(b.mutating, p.GetName())
	}
	// The CEL resource library reads the context Kyverno holds when it compiles (the CLI does the same).
	libs.LibraryContext = shared
	nsResolver := func(name string) *corev1.Namespace { return shared.namespace(name) }
	vp, err := vpolengine.NewProvider(vpolcompiler.NewCompiler(), loaded.ValidatingPolicies, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	b.vpol = vpolengine.NewEngine(vp, nsResolver, matching.NewMatcher())
	mp, err := mpolengine.NewProvider(mpolcompiler.NewCompiler(), loaded.MutatingPolicies, nil, shared)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	tcm := mpolcompiler.NewStaticTypeConverterManager(openapiclient.NewHardcodedBuiltins("1.32"))
	b.mpol = mpolengine.NewEngine(mp, nsResolver, matching.NewMatcher(), tcm, shared)
	return b, nil
}
