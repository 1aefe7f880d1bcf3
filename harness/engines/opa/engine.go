// Package opa evaluates rego/ with the OPA Go library in conftest mode, as the harness engine "opa":
// the same query conftest runs on `conftest test --combine -p rego/`.
package opa

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Name is the engine's name in reports.
const Name = "opa"

// Engine holds the rego/ modules and one prepared conftest query per gate profile (the profile is
// data, data.selmount.profile, as a user passes it with conftest --data).
type Engine struct {
	modules []func(*rego.Rego)
	// declared are the rule IDs data.main has a deny or warn rule for (declaredRules).
	declared map[string]bool
	mu       sync.Mutex
	queries  map[gates.Profile]rego.PreparedEvalQuery
}

// New loads every non-test module under regoDir (rego/) and prepares `data.main` once.
func New(ctx context.Context, regoDir string) (*Engine, error) {
	var opts []func(*rego.Rego)
	declared := map[string]bool{}
	err := filepath.WalkDir(regoDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, "_test.rego") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		opts = append(opts, rego.Module(path, string(src)))
		return declaredRules(path, string(src), declared)
	})
	if err != nil {
		return nil, err
	}
	if len(opts) == 0 {
		return nil, fmt.Errorf("%s: no Rego modules", regoDir)
	}
	e := &Engine{modules: opts, declared: declared, queries: map[gates.Profile]rego.PreparedEvalQuery{}}
	if _, err := e.query(ctx, gates.Profile{}); err != nil {
		return nil, fmt.Errorf("%s: %w", regoDir, err)
	}
	return e, nil
}

func (e *Engine) query(ctx context.Context, p gates.Profile) (rego.PreparedEvalQuery, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if q, ok := e.queries[p]; ok {
		return q, nil
	}
	store := inmem.NewFromObject(map[string]any{"selmount": map[string]any{"profile": map[string]any{
		"name": p.Name, "rwop": p.RWOP, "cp": p.CP, "mount": p.Mount}}})
	opts := append(append([]func(*rego.Rego){}, e.modules...),
		rego.Query("deny := data.main.deny; warn := data.main.warn"), rego.StrictBuiltinErrors(true), rego.Store(store))
	q, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		return rego.PreparedEvalQuery{}, err
	}
	e.queries[p] = q
	return q, nil
}

func (e *Engine) Name() string { return Name }

// SubjectFirst: data.main's messages name their own Pod (and file) first, as conftest prints them
// out of context; the harness checks it on every finding.
func (e *Engine) SubjectFirst() bool { return true }

// Rules are those conftest checks; the opt-out is a mutation, which conftest cannot perform.
func (e *Engine) Rules() []string {
	return harness.ClaimedRules(harness.Omission{Rule: policies.RuleOptOut,
		Reason: "the opt-out is a mutation at admission; conftest only reads manifests"})
}

// Admit evaluates the admitted object (after the model's mutation, as validation follows mutation)
// with every earlier object, and keeps the findings about it. Workloads are as applied, in the object
// and among the earlier ones, as a cluster stores them and a manifest has them: the opt-out mutates
// the Pods a workload's controller creates, never the workload, and the Rego reads a workload as
// those Pods.
func (e *Engine) Admit(ctx context.Context, a harness.Admission) (harness.Outcome, error) {
	obj := a.Object
	if a.Mutated != nil && !harness.IsWorkload(a.Object) {
		obj = a.Mutated
	}
	objects := admitted(harness.WorkloadsAsApplied(a.Scenario, a.Index, a.Prior), obj)
	out, err := e.eval(ctx, a.Scenario.Profile, objects)
	if err != nil {
		return harness.Outcome{}, err
	}
	key := cluster.PodFromObject(obj).Key()
	kept := out.Findings[:0]
	for _, f := range out.Findings {
		if f.Pod.Key() == key {
			kept = append(kept, f)
		}
	}
	out.Findings = kept
	return out, nil
}

// Audit evaluates the whole final state, as `conftest test --combine` on a cluster dump: workloads as
// applied (see Admit).
func (e *Engine) Audit(ctx context.Context, sc *harness.Scenario, objects []cluster.Object) (harness.Outcome, error) {
	return e.eval(ctx, sc.Profile, harness.WorkloadsAsApplied(sc, len(sc.Objects), objects))
}

// admitted is the input after the admission: an update replaces the stored version where it stood
// (admission order is creation order), a create comes last.
func admitted(prior []cluster.Object, o *cluster.Object) []cluster.Object {
	out := append(make([]cluster.Object, 0, len(prior)+1), prior...)
	for i, p := range out {
		if p.SameObject(o) {
			out[i] = *o
			return out
		}
	}
	return append(out, *o)
}

// result is one deny/warn entry: the finding's fields beside conftest's msg.
type result struct {
	Msg      string           `json:"msg"`
	Rule     string           `json:"rule"`
	Severity string           `json:"severity"`
	Pod      policies.PodRef  `json:"pod"`
	OtherPod *policies.PodRef `json:"otherPod"`
	Volume   string           `json:"volume"`
	Property string           `json:"property"`
	Values   []string         `json:"values"`
	Latent   bool             `json:"latent"`
	Assumed  bool             `json:"assumed"`
}

func (e *Engine) eval(ctx context.Context, profile gates.Profile, objects []cluster.Object) (harness.Outcome, error) {
	docs := make([]any, 0, len(objects))
	for _, o := range objects {
		var doc any
		if err := json.Unmarshal(o.Raw, &doc); err != nil {
			return harness.Outcome{}, fmt.Errorf("%s: %v", o.Source, err)
		}
		docs = append(docs, doc)
	}
	input := []any{map[string]any{"path": "objects.yaml", "contents": docs}}
	q, err := e.query(ctx, profile)
	if err != nil {
		return harness.Outcome{}, err
	}
	rs, err := q.Eval(ctx, rego.EvalInput(input))
	if err != nil {
		return harness.Outcome{}, err
	}
	if len(rs) != 1 {
		return harness.Outcome{}, fmt.Errorf("data.main.deny and data.main.warn are undefined (%d results)", len(rs))
	}
	out := harness.Outcome{Evaluated: map[string]int{}}
	for _, set := range []string{"deny", "warn"} {
		raw, err := json.Marshal(rs[0].Bindings[set])
		if err != nil {
			return harness.Outcome{}, err
		}
		var results []result
		if err := json.Unmarshal(raw, &results); err != nil {
			return harness.Outcome{}, fmt.Errorf("data.main.%s: %v", set, err)
		}
		for _, r := range results {
			if !strings.HasPrefix(r.Msg, r.Rule+": ") {
				return harness.Outcome{}, fmt.Errorf("data.main.%s: message does not start with its rule: %q", set, r.Msg)
			}
			out.Findings = append(out.Findings, policies.Finding{Rule: r.Rule, Severity: r.Severity, Pod: r.Pod, OtherPod: r.OtherPod,
				Volume: r.Volume, Property: r.Property, Values: r.Values, Message: r.Msg, Latent: r.Latent, Assumed: r.Assumed})
		}
	}
	sort.Slice(out.Findings, func(i, j int) bool { return out.Findings[i].Key() < out.Findings[j].Key() })
	// Both rule sets were defined over this input: every rule main declares ran.
	for _, id := range e.Rules() {
		if e.declared[id] {
			out.Evaluated[id] = 1
		}
	}
	return out, nil
}
