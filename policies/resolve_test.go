package policies

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

// Past parallelResolve Pods, resolveAll splits the work in two; what it returns must be what one
// goroutine resolving every Pod in order returns: the same volumes, one copy of each key, the
// assumed volumes, and the diagnostics in Pod order.
func TestResolveAllInTwoHalvesAgreesWithOneByOne(t *testing.T) {
	var sb strings.Builder
	for ns := range 3 {
		for c := range 10 {
			fmt.Fprintf(&sb, "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared-%d, namespace: ns%d}\nspec: {accessModes: [ReadWriteMany], volumeName: pv-%d-%d}\n", c, ns, ns, c)
			fmt.Fprintf(&sb, "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-%d-%d}\nspec: {accessModes: [ReadWriteMany], csi: {driver: d%d.example, volumeHandle: h-%d-%d}}\n", ns, c, c%2, ns, c)
		}
		fmt.Fprintf(&sb, "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: pending, namespace: ns%d}\nspec: {accessModes: [ReadWriteMany]}\nstatus: {phase: Pending}\n", ns)
	}
	const n = parallelResolve + 903
	for i := range n {
		claim := fmt.Sprintf("shared-%d", i%10)
		switch {
		case i%7 == 0:
			claim = "pending" // not Bound: a diagnostic for this Pod
		case i%11 == 0:
			claim = "absent" // applied from elsewhere: an assumed volume
		}
		kind, spec := "Pod", "spec:\n"
		if i%500 == 0 {
			kind, spec = "Deployment", "spec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n"
		}
		indent := strings.Repeat(" ", strings.Count(spec, "\n")*2-2)
		fmt.Fprintf(&sb, "---\napiVersion: %s\nkind: %s\nmetadata: {name: p%d, namespace: ns%d}\n%s%s  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]\n%s  volumes: [{name: v, persistentVolumeClaim: {claimName: %s}}]\n",
			map[string]string{"Pod": "v1", "Deployment": "apps/v1"}[kind], kind, i, i%3, spec, indent, indent, claim)
	}
	objs, err := cluster.Decode("many.yaml", []byte(sb.String()))
	require.NoError(t, err)
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	require.Len(t, s.Pods, n)

	resolved, assumed, diags := resolveAll(s, OptOutScope{}, nil)

	keys, wantAssumed := map[string]bool{}, map[string]bool{}
	var wantDiags []cluster.Diagnostic
	require.Len(t, resolved, n)
	for i, p := range s.Pods {
		vols, d := s.ResolveVolumes(OptOutScope{}.asCreated(s, p))
		wantDiags = append(wantDiags, d...)
		require.Equal(t, p.Key(), resolved[i].Key(), "Pod %d", i)
		require.Equal(t, vols, resolved[i].Volumes, "Pod %d", i)
		for _, v := range vols {
			if v.Volume.Key != "" {
				keys[v.Volume.Key] = true
				if v.Volume.Assumed {
					wantAssumed[v.Volume.Key] = true
				}
			}
		}
	}
	wantDiags = append(wantDiags, s.Skipped...)
	require.Equal(t, wantDiags, diags)
	require.Len(t, wantDiags, (n+6)/7, "one unresolved claim a seventh Pod")
	require.Len(t, keys, 33, "every claim resolves to its own volume")
	require.Equal(t, wantAssumed, assumed)
	require.True(t, assumed["pvc/ns1/absent"], "a claim from elsewhere is assumed")

	// One copy of each key is held, shared by every Pod on the volume.
	first := map[string]*byte{}
	for _, r := range resolved {
		for _, v := range r.Volumes {
			k := v.Volume.Key
			if k == "" {
				continue
			}
			p := unsafeStringData(k)
			if f, ok := first[k]; ok {
				require.Same(t, f, p, "volume %s held twice", k)
			} else {
				first[k] = p
			}
		}
	}
}

func unsafeStringData(s string) *byte { return unsafe.StringData(s) }
