package replay

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

// modelOf runs the model on a case's documents and returns its admissions.
func modelOf(t *testing.T, name, docs string) []harness.AdmitCase {
	t.Helper()
	sc, err := scenarioOf(name, "v1.37", docs)
	if err != nil {
		t.Fatal(err)
	}
	r, err := harness.Run(context.Background(), harness.ModelEngine{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	return r.Admits
}

func TestHundredLevelsIsOneConflictOfAHundredLabels(t *testing.T) {
	admits := modelOf(t, "hundred", hundredLevelsDocs())
	if len(admits) != 1 {
		t.Fatalf("%d admissions, want the Pod's CREATE", len(admits))
	}
	if got := RulesOfFindings(admits[0].Model.Findings); !reflect.DeepEqual(got, []string{"SELINUX-003/error"}) {
		t.Errorf("model rules %v", got)
	}
	p := admits[0].Model.Pod
	if len(p.Spec.Containers) != hundredContainers {
		t.Fatalf("%d containers", len(p.Spec.Containers))
	}
	levels := map[string]bool{}
	for _, c := range p.Spec.Containers {
		levels[c.SecurityContext.SELinuxOptions.Level] = true
	}
	if len(levels) != hundredContainers {
		t.Errorf("%d distinct levels, want one per container", len(levels))
	}
}

func TestLabelUpdateIsAnUnmutatedUpdateWithOptOutWarning(t *testing.T) {
	admits := modelOf(t, "labels", labelUpdateDocs())
	if len(admits) != 2 || admits[1].Operation != policies.OperationUpdate {
		t.Fatalf("want a CREATE then an UPDATE: %d admissions", len(admits))
	}
	a := admits[1]
	if a.Model.Mutated || a.Model.Pod.ChangePolicy() != nil {
		t.Error("the model mutates the UPDATE")
	}
	if got := RulesOfFindings(a.Model.Findings); !reflect.DeepEqual(got, []string{"SELINUX-004/warning"}) {
		t.Errorf("model rules %v", got)
	}
}

func TestRefusalSummaryCutsTheSpecDiff(t *testing.T) {
	err := errors.New(`Pod "app" is invalid: spec: Forbidden: pod updates may not change fields other than ` + "`spec.containers[*].image`,...\n  core.PodSpec{...}")
	if got, want := refusalSummary(err), `refused: Pod "app" is invalid: spec: Forbidden: pod updates may not change fields other than …`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := refusalSummary(nil); got != "accepted" {
		t.Errorf("nil: %q", got)
	}
}

func TestUnreadMessagesKeepsSelmountMessagesWithoutARule(t *testing.T) {
	got := unreadMessages([]string{
		`Validation failed for ValidatingAdmissionPolicy 'selmount-selinux-errors' with binding 'selmount-selinux-errors': failed expression: variables.terminal`,
		`Validation failed for ValidatingAdmissionPolicy 'selmount-selinux-errors' with binding 'selmount-selinux-errors': SELINUX-003: volume "data"`,
		`metadata.name: some other warning`,
	})
	if len(got) != 1 || !strings.Contains(got[0], "failed expression") {
		t.Errorf("got %q", got)
	}
}
