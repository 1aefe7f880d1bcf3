package gatekeeper

import (
	"strings"
	"testing"
)

func TestReportNumbersReasonsOnceAndFlagsUnexplained(t *testing.T) {
	rep := &Report{Release: "v3.23.1", Runs: []Run{{Bundle: "gatekeeper/", Server: "1.37", Profile: "v1.37", Results: []Result{
		{Scenario: "a", Sent: "Pod ns/a", Differences: []string{"x"}, Known: "why"},
		{Scenario: "b", Sent: "Pod ns/b", Differences: []string{"y"}, Known: "why"},
		{Scenario: "c", Sent: "Pod ns/c", Differences: []string{"z"}},
		{Scenario: "d", Sent: "Pod ns/d"},
	}}}}
	var b strings.Builder
	if err := rep.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Count(out, "why") != 1 || strings.Count(out, "| (1) |") != 2 {
		t.Errorf("reason not numbered once:\n%s", out)
	}
	if !strings.Contains(out, "4 Pod admissions: 1 agree with the model, 2 differ as listed (known), 1 differ unexplained.") ||
		!strings.Contains(out, "| c | Pod ns/c | z | **unexplained** |") {
		t.Errorf("counts or unexplained row wrong:\n%s", out)
	}
}
