package oracle

import (
	"fmt"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

// DivergencesFile lists every class of difference between the model and upstream, with its reason.
const DivergencesFile = "divergences.yaml"

// Divergence kinds: the model is wrong and must be corrected, or upstream's result depends on chance.
const (
	KindModelBug         = "model bug to fix"
	KindNondeterministic = "upstream nondeterministic"
)

// Divergence is one class of difference.
type Divergence struct {
	Class      string `json:"class"`
	Kind       string `json:"kind"`
	Policy     string `json:"policy"` // the policies/ file that is wrong (model bugs)
	Reason     string `json:"reason"`
	Reproducer string `json:"reproducer"`
	// FirstSeed is, for a class the scenarios do not show, the first generated seed that shows it: the
	// test requires the class to occur only when it replays more seeds than that.
	FirstSeed int `json:"firstSeed,omitempty"`
}

func readDivergences(path string) ([]Divergence, error) {
	return harness.ReadList(path, func(d Divergence) string {
		if d.Class == "" || d.Reason == "" || d.Reproducer == "" || (d.Kind != KindModelBug && d.Kind != KindNondeterministic) ||
			(d.Kind == KindModelBug && d.Policy == "") {
			return fmt.Sprintf("needs class, kind (%q or %q), reason, reproducer, and policy for a model bug", KindModelBug, KindNondeterministic)
		}
		return ""
	})
}

// wantFromModel is the model's verdicts minus what upstream has no counterpart of: SELINUX-005 on
// selmount's own opt-out namespace label (no Kubernetes component reads it).
func wantFromModel(r *harness.Replay) harness.Want {
	w := harness.WantFromModel(r)
	w.Audit = inScope(w.Audit)
	for i, fs := range w.Admit {
		w.Admit[i] = inScope(fs)
	}
	return w
}

func inScope(fs []harness.ExpectedFinding) []harness.ExpectedFinding {
	var out []harness.ExpectedFinding
	for _, f := range fs {
		if f.Rule == policies.RuleMisuse && f.Property == policies.OptOutLabel {
			continue
		}
		out = append(out, f)
	}
	return out
}
