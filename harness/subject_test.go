package harness

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

func TestSubject(t *testing.T) {
	require.Equal(t, "Pod shop/web", Subject(policies.PodRef{Namespace: "shop", Name: "web"}))
	require.Equal(t, "Deployment shop/storefront", Subject(policies.PodRef{Namespace: "shop", Name: "Deployment/storefront"}))
}

func TestCheckSubject(t *testing.T) {
	f := policies.Finding{Rule: policies.RuleLabelConflict, Pod: policies.PodRef{Namespace: "shop", Name: "web"}}
	for msg, ok := range map[string]bool{
		"SELINUX-001: Pod shop/web: SELinuxLabel ...":                  true,
		"SELINUX-001: Pod shop/web in deploy/web.yaml: SELinuxLabel …": true,
		"SELINUX-001: SELinuxLabel \"\" conflicts with pod web ...":    false, // the event text alone
		"SELINUX-001: Pod shop/web2: ...":                              false, // another Pod
		"SELINUX-001: Pod other/web: ...":                              false, // another namespace
		"SELINUX-002: Pod shop/web: ...":                               false, // another rule
		"Pod shop/web: SELINUX-001: ...":                               false,
	} {
		f.Message = msg
		require.Equal(t, ok, CheckSubject(f) == nil, msg)
	}
	w := policies.Finding{Rule: policies.RuleWillBreak, Pod: policies.PodRef{Namespace: "shop", Name: "Deployment/web"}}
	for msg, ok := range map[string]bool{
		"SELINUX-006: Deployment shop/web: web stays …":          true,
		"SELINUX-006: Pod shop/web-7d9f8-x2x4z: web-7d9f8 stays": true, // one of its Pods
		"SELINUX-006: Pod shop/web: …":                           false,
		"SELINUX-006: Pod shop/web-: …":                          false,
		"SELINUX-006: Pod shop/webapp-0: …":                      false,
		"SELINUX-006: Pod other/web-0: …":                        false,
		"SELINUX-006: Deployment shop/web2: …":                   false,
	} {
		w.Message = msg
		require.Equal(t, ok, CheckSubject(w) == nil, msg)
	}
}

// subjectEngine is the model with messages rewritten: subject first, or (wrong) the other Pod's.
type subjectEngine struct {
	ModelEngine
	otherPod bool
}

func (subjectEngine) SubjectFirst() bool { return true }

func (e subjectEngine) rewrite(o Outcome) Outcome {
	for i, f := range o.Findings {
		ref := f.Pod
		if e.otherPod && f.OtherPod != nil {
			ref = *f.OtherPod
		}
		o.Findings[i].Message = f.Rule + ": " + Subject(ref) + ": " + f.Message[len(f.Rule)+2:]
	}
	return o
}

func (e subjectEngine) Admit(ctx context.Context, a Admission) (Outcome, error) {
	o, err := e.ModelEngine.Admit(ctx, a)
	return e.rewrite(o), err
}

func (e subjectEngine) Audit(ctx context.Context, sc *Scenario, objs []cluster.Object) (Outcome, error) {
	o, err := e.ModelEngine.Audit(ctx, sc, objs)
	return e.rewrite(o), err
}

func TestCompareChecksSubjectsOfSubjectFirstEngines(t *testing.T) {
	sc := blogScenario(t)
	r, err := Run(context.Background(), subjectEngine{}, sc)
	require.NoError(t, err)
	require.True(t, r.SubjectFirst)
	require.Empty(t, Compare(r, ModelEngine{}.Rules(), WantFromExpectation(r)))

	// The model's own messages (the controller's event text) do not name their Pod first: only an
	// engine that promises subject-first messages is held to it.
	r, err = Run(context.Background(), ModelEngine{}, sc)
	require.NoError(t, err)
	require.False(t, r.SubjectFirst)
	require.Empty(t, Compare(r, ModelEngine{}.Rules(), WantFromExpectation(r)))

	r, err = Run(context.Background(), subjectEngine{otherPod: true}, sc)
	require.NoError(t, err)
	diffs := Compare(r, ModelEngine{}.Rules(), WantFromExpectation(r))
	require.NotEmpty(t, diffs)
	for _, d := range diffs {
		require.Equal(t, "message subject", d.Field, "%s", d)
		require.Contains(t, []string{policies.RuleLabelConflict, policies.RulePolicyConflict, policies.RuleWillBreak}, d.Rule, "only findings with another Pod: %s", d)
	}
}
