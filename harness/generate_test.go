package harness

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

const generatedClusters = 1000

func TestGenerateIsDeterministicPerSeed(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		a, b := Generate(seed, GenOptions{MaxPods: 20}), Generate(seed, GenOptions{MaxPods: 20})
		require.Equal(t, a.Profile, b.Profile)
		require.Equal(t, len(a.Objects), len(b.Objects))
		for i := range a.Objects {
			require.True(t, bytes.Equal(a.Objects[i].Raw, b.Objects[i].Raw), "seed %d object %d", seed, i)
		}
	}
	all := func(sc *Scenario) []byte {
		var b []byte
		for _, o := range sc.Objects {
			b = append(b, o.Raw...)
		}
		return b
	}
	require.NotEqual(t, all(Generate(1, GenOptions{MaxPods: 20})), all(Generate(2, GenOptions{MaxPods: 20})))
}

// expectFromModel turns the model's audit of a generated cluster into an expectation, so that the
// derivation used for hand-written scenarios can be checked against the model's own Admit replay.
func expectFromModel(r *Replay) {
	r.Scenario.Expect = Expectation{Findings: expectedOf(r.ModelAudit.Findings), ChangePolicy: changePolicies(r)}
}

// On generated clusters the model's two modes must agree, and its verdicts must keep upstream's
// invariants: conflicts come in both directions, messages start with their rule and never name a pod
// of another namespace, and every finding is about a pod in the cluster.
func TestModelInvariantsOnGeneratedClusters(t *testing.T) {
	seen := map[string]int{}
	for seed := uint64(0); seed < generatedClusters; seed++ {
		sc := Generate(seed, GenOptions{MaxPods: 20})
		r, err := Run(context.Background(), ModelEngine{}, sc)
		require.NoError(t, err, sc.Name)
		expectFromModel(r)
		for _, d := range Compare(r, ModelEngine{}.Rules(), WantFromExpectation(r)) {
			t.Errorf("seed %d: Admit and Audit disagree: %s", seed, d)
		}
		for _, a := range r.Admits {
			if a.Model.Mutated {
				seen["mutation"]++
			}
		}
		rep := r.ModelAudit
		directed := map[string]bool{}
		for _, c := range rep.Conflicts {
			directed[fmt.Sprint(c.Property, c.Pod, c.OtherPod)] = true
		}
		for _, c := range rep.Conflicts {
			require.True(t, directed[fmt.Sprint(c.Property, c.OtherPod, c.Pod)], "seed %d: %v has no reverse", seed, c)
		}
		state := stateOf(r.Final)
		for _, f := range rep.Findings {
			seen[f.Rule]++
			require.True(t, strings.HasPrefix(f.Message, f.Rule+": "), f.Message)
			require.NotNil(t, state.Pod(f.Pod.Key()), "seed %d: finding about unknown pod %s", seed, f.Pod.Key())
			if f.OtherPod != nil {
				require.NotNil(t, state.Pod(f.OtherPod.Key()))
				if f.OtherPod.Namespace != f.Pod.Namespace {
					require.NotContains(t, f.Message, f.OtherPod.Name+" ", "seed %d: %s", seed, f.Message)
				}
			}
			if f.Rule == policies.RuleWillBreak {
				require.Less(t, state.Position(f.OtherPod.Key()), state.Position(f.Pod.Key()), "the refused pod is the later one")
				require.NotEqual(t, f.Values[0], f.Values[1])
			}
		}
		again := policies.Audit(sc.Profile, state)
		require.Equal(t, rep.Findings, again.Findings, "seed %d: audit is deterministic", seed)
	}
	// SELINUX-004's audit finding needs a namespace labelled after its pods were created, which the
	// scenario corpus covers; generated clusters exercise the mutation itself.
	for _, id := range []string{policies.RuleLabelConflict, policies.RulePolicyConflict, policies.RuleMultipleLabels, policies.RuleMisuse, policies.RuleWillBreak, "mutation"} {
		require.Positive(t, seen[id], "generated clusters never produced %s", id)
	}
	t.Logf("findings per rule over %d clusters: %v", generatedClusters, seen)
}

func TestGeneratedObjectsDecode(t *testing.T) {
	sc := Generate(7, GenOptions{MaxPods: 30})
	kinds := map[string]bool{}
	for _, o := range sc.Objects {
		kinds[o.Kind] = true
		again, err := cluster.DecodeOne(o.Source, o.Raw)
		require.NoError(t, err)
		require.Equal(t, o.ID(), again.ID())
	}
	require.True(t, kinds["Pod"] && kinds["Namespace"] && kinds["PersistentVolumeClaim"], "%v", kinds)
}
