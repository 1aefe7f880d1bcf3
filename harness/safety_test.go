package harness

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

func TestModelKeepsTheSafetyPropertiesOnGeneratedClusters(t *testing.T) {
	mutated := 0
	for seed := uint64(0); seed < 300; seed++ {
		r, err := Run(context.Background(), ModelEngine{}, Generate(seed, GenOptions{MaxPods: 12}))
		require.NoError(t, err)
		diffs, err := Safety(context.Background(), ModelEngine{}, r)
		require.NoError(t, err)
		require.Empty(t, diffs, "seed %d", seed)
		for _, a := range r.Admits {
			if a.Got.Object != nil {
				mutated++
			}
		}
	}
	require.Positive(t, mutated, "the generated clusters never exercised the opt-out")
}

// faulty wraps the model and breaks one property, to show Safety sees each break.
type faulty struct {
	ModelEngine
	admit func(a Admission, out Outcome) Outcome
}

func (f faulty) Admit(ctx context.Context, a Admission) (Outcome, error) {
	out, err := f.ModelEngine.Admit(ctx, a)
	if err != nil {
		return out, err
	}
	return f.admit(a, out), nil
}

func forcePolicy(t *testing.T, o *cluster.Object, value string) *cluster.Object {
	t.Helper()
	m, err := WithChangePolicy(o, value)
	require.NoError(t, err)
	return &m
}

func TestSafetySeesEachBreak(t *testing.T) {
	for name, c := range map[string]struct {
		field string
		admit func(t *testing.T, a Admission, out Outcome) Outcome
	}{
		"mutates an update": {SafetyUpdate, func(t *testing.T, a Admission, out Outcome) Outcome {
			if a.Operation == policies.OperationUpdate && a.Object.Kind == "Pod" {
				out.Object = forcePolicy(t, a.Object, "Recursive")
			}
			return out
		}},
		"overwrites": {SafetyOverwrite, func(t *testing.T, a Admission, out Outcome) Outcome {
			if p := cluster.PodFromObject(a.Object); p != nil && p.ChangePolicy() != nil && *p.ChangePolicy() == "MountOption" {
				out.Object = forcePolicy(t, a.Object, "Recursive")
			}
			return out
		}},
		"windows": {SafetyWindows, func(t *testing.T, a Admission, out Outcome) Outcome {
			if p := cluster.PodFromObject(a.Object); p != nil && p.Windows() && p.ChangePolicy() == nil {
				out.Object = forcePolicy(t, a.Object, "Recursive")
			}
			return out
		}},
		"other field": {SafetyOther, func(t *testing.T, a Admission, out Outcome) Outcome {
			if out.Object != nil {
				o := *out.Object
				o.Raw = []byte(strings.Replace(string(o.Raw), `"metadata":{`, `"metadata":{"generateName":"x-",`, 1))
				out.Object = &o
			}
			return out
		}},
		"not idempotent": {SafetyReinvoke, func(t *testing.T, a Admission, out Outcome) Outcome {
			if p := cluster.PodFromObject(a.Object); p != nil && p.ChangePolicy() != nil && a.Operation == policies.OperationCreate && !p.Windows() {
				flipped := map[string]string{"Recursive": "MountOption", "MountOption": "Recursive"}[string(*p.ChangePolicy())]
				if flipped != "" {
					out.Object = forcePolicy(t, a.Object, flipped)
				}
			}
			return out
		}},
		"names another namespace": {SafetyCensor, func(t *testing.T, a Admission, out Outcome) Outcome {
			for i, f := range out.Findings {
				if f.OtherPod != nil && f.OtherPod.Namespace != f.Pod.Namespace {
					out.Findings[i].Message += " It conflicts with pod " + f.OtherPod.Name + " that uses the volume."
				}
			}
			return out
		}},
	} {
		t.Run(name, func(t *testing.T) {
			e := faulty{admit: func(a Admission, out Outcome) Outcome { return c.admit(t, a, out) }}
			seen := false
			for seed := uint64(0); seed < 300 && !seen; seed++ {
				r, err := Run(context.Background(), e, Generate(seed, GenOptions{MaxPods: 12}))
				require.NoError(t, err)
				diffs, err := Safety(context.Background(), e, r)
				require.NoError(t, err)
				for _, d := range diffs {
					seen = seen || d.Field == c.field
				}
			}
			require.True(t, seen, "no %q in 300 generated clusters", c.field)
		})
	}
}

// A mutation gives a Pod or template without a spec the maps the policy needs; those are no other
// change. Anything else it adds on the way is one.
func TestMutationViolationsOnObjectsWithoutSpec(t *testing.T) {
	for _, c := range []struct {
		in, out string
		want    []string
	}{
		{`{"kind":"Pod","metadata":{"name":"a"}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"}}}`, nil},
		{`{"kind":"Deployment","metadata":{"name":"a"}}`,
			`{"kind":"Deployment","metadata":{"name":"a"},"spec":{"template":{"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"}}}}}`, nil},
		{`{"kind":"Pod","metadata":{"name":"a"},"spec":{}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"}}}`, nil},
		{`{"kind":"Pod","metadata":{"name":"a"}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive","runAsUser":1}}}`, []string{SafetyOther}},
		{`{"kind":"Pod","metadata":{"name":"a"}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"hostPID":true,"securityContext":{"seLinuxChangePolicy":"Recursive"}}}`, []string{SafetyOther}},
		{`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{}}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"}}}`, nil},
		{`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"runAsUser":1}}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"}}}`, []string{SafetyOther}},
		// null is unset: filling it with the policy changes nothing else (FuzzModelSafety).
		{`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":null,"hostPID":false}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"},"hostPID":false}}`, nil},
		{`{"kind":"Pod","metadata":{"name":"a"},"spec":null}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"}}}`, nil},
		{`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":null}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive","runAsUser":1}}}`, []string{SafetyOther}},
		{`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":null,"hostPID":false}}`,
			`{"kind":"Pod","metadata":{"name":"a"},"spec":{"securityContext":{"seLinuxChangePolicy":"Recursive"}}}`, []string{SafetyOther}},
	} {
		in := &cluster.Object{Kind: kindOf(t, c.in), Raw: []byte(c.in)}
		out := &cluster.Object{Kind: in.Kind, Raw: []byte(c.out)}
		got, err := mutationViolations(in, out, policies.OperationCreate)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%s -> %s", c.in, c.out)
	}
}

func kindOf(t *testing.T, js string) string {
	var h struct{ Kind string }
	require.NoError(t, json.Unmarshal([]byte(js), &h))
	return h.Kind
}
