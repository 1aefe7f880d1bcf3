package report

import (
	"strings"
	"testing"

	"github.com/selmount/selmount/e2e/bundles"
	"github.com/selmount/selmount/e2e/replay"
)

func TestMarkdownCountsAndListsDifferences(t *testing.T) {
	r := &Report{
		KubernetesModule: "k8s.io/kubernetes v1.37.2",
		Applied: []bundles.Applied{{Version: "1.34", Bundle: "map/overlays/v1beta1", Objects: []bundles.Outcome{
			{Object: "mutatingadmissionpolicy/x", Accepted: true},
			{Object: "validatingadmissionpolicy/y", Reason: "Invalid: undeclared reference to 'distinct'"},
		}}},
		Replays: []replay.ScenarioResult{
			{Name: "a", Version: "1.37", Bundle: "map", Pods: []replay.PodResult{{Pod: "ns/p",
				ModelEvaluated: []string{"e", "w"}, ModelAuditRules: []string{"SELINUX-003/error"}}}},
			{Name: "b", Version: "1.37", Bundle: "map", Pods: []replay.PodResult{{Pod: "ns/q", Operation: "CREATE", Differences: []string{"accepted: server false, model true"}}}},
		},
		BadInputs: []replay.BadInput{
			{Name: "fine", Version: "1.37", Bundle: "map", Request: "CREATE", Expected: "model: accepted", Server: "accepted"},
			{Name: "big", Version: "1.37", Bundle: "map", Request: "CREATE | big", Expected: "model: accepted", Server: "refused",
				Differences: []string{"accepted: server false, model true"}},
		},
		Skipped: map[string]string{"c": "profile v1.36,SELinuxMount=true needs a feature-gate override"},
	}
	var b strings.Builder
	if err := r.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| 1.34 | `map/overlays/v1beta1` | 1 of 2 | `validatingadmissionpolicy/y`: Invalid: undeclared reference to 'distinct' |",
		"| 1.37 | `map` | 2 | 1 | 2 | 2 | 1 | 1 |",
		"| `fine` | 1.37 | `map` | CREATE | model: accepted | accepted | yes |",
		"| `big` | 1.37 | `map` | CREATE \\| big | model: accepted | refused | **no** |",
		"### bad input big — 1.37 `map`\n\n- accepted: server false, model true\n",
		"### b — 1.37 `map`",
		"- CREATE ns/q (): accepted: server false, model true",
		"- `c`: profile v1.36,SELinuxMount=true",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "### a ") {
		t.Error("an agreeing scenario is listed among the differences")
	}
}
