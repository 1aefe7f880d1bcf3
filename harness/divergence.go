package harness

import (
	"context"
	"fmt"
	"os"

	"sigs.k8s.io/yaml"
)

// Divergence is a known difference between an engine and the model that cannot be fixed in the
// engine's language, with the reason. A listed divergence that no longer happens fails the check, so
// the list only ever holds what is true.
type Divergence struct {
	Scenario string `json:"scenario"`
	Mode     string `json:"mode"`
	Rule     string `json:"rule"`
	Pod      string `json:"pod"`
	Field    string `json:"field"`
	Reason   string `json:"reason"`
}

func (d Divergence) matches(diff Difference) bool {
	return d.Scenario == diff.Scenario && d.Mode == diff.Mode && d.Rule == diff.Rule && d.Pod == diff.Pod && d.Field == diff.Field
}

// LoadDivergences reads an engine's checked-in list; every entry needs a reason.
func LoadDivergences(path string) ([]Divergence, error) {
	return ReadList(path, func(d Divergence) string {
		if d.Reason == "" || d.Scenario == "" || d.Rule == "" {
			return "needs scenario, rule and reason"
		}
		return ""
	})
}

// ReadList reads a checked-in YAML list strictly (unknown fields are errors); invalid says what an
// entry lacks ("" when it is complete), so every list of known differences is held to its own rule.
func ReadList[T any](path string, invalid func(T) string) ([]T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []T
	if err := yaml.UnmarshalStrict(data, &out); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for i, d := range out {
		if why := invalid(d); why != "" {
			return nil, fmt.Errorf("%s: entry %d %s", path, i+1, why)
		}
	}
	return out, nil
}

// Reconcile splits differences into the listed ones and the unexpected ones, and names the listed
// divergences of the given scenarios that did not happen.
func Reconcile(diffs []Difference, listed []Divergence, scenarios map[string]bool) (unexpected []Difference, vanished []Divergence) {
	seen := make([]bool, len(listed))
	for _, d := range diffs {
		known := false
		for i, l := range listed {
			if l.matches(d) {
				known, seen[i] = true, true
			}
		}
		if !known {
			unexpected = append(unexpected, d)
		}
	}
	for i, l := range listed {
		if !seen[i] && scenarios[l.Scenario] {
			vanished = append(vanished, l)
		}
	}
	return unexpected, vanished
}

// ListedIn classifies a difference a divergence list holds as "listed".
func ListedIn(listed []Divergence) Classifier {
	return func(_ *Replay, d Difference) string {
		if unexpected, _ := Reconcile([]Difference{d}, listed, nil); len(unexpected) == 0 {
			return "listed"
		}
		return ""
	}
}

// AgreeOnScenarios replays every scenario under dir through an engine, compares it with the
// hand-written expectations, and reconciles the differences with the engine's divergence list.
func AgreeOnScenarios(ctx context.Context, eng Engine, dir, divergences string) (unexpected []Difference, vanished []Divergence, err error) {
	scs, err := LoadScenarios(dir)
	if err != nil {
		return nil, nil, err
	}
	listed, err := LoadDivergences(divergences)
	if err != nil {
		return nil, nil, err
	}
	var diffs []Difference
	names := map[string]bool{}
	for _, sc := range scs {
		names[sc.Name] = true
		r, err := Run(ctx, eng, sc)
		if err != nil {
			return nil, nil, err
		}
		diffs = append(diffs, Compare(r, eng.Rules(), WantFromExpectation(r))...)
	}
	unexpected, vanished = Reconcile(diffs, listed, names)
	return unexpected, vanished, nil
}
