package controller

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
	"github.com/selmount/selmount/policies/gates"
)

// Storage of spec table C5: pvc1 bound to an in-tree EBS PV, migrated to ebs.csi.aws.com.
const c5Storage = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: pvc1, namespace: ns1, uid: uid1}
spec: {accessModes: [ReadWriteOnce], volumeName: pv1}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  accessModes: [ReadWriteOnce]
  awsElasticBlockStore: {volumeID: pv1}
  claimRef: {namespace: ns1, name: pvc1, uid: uid1}
`

func pod(name, level, policy, phase string, volumes string) string {
	sc := "{}"
	if level != "" || policy != "" {
		sc = "{"
		if level != "" {
			sc += "seLinuxOptions: {level: \"" + level + "\"},"
		}
		if policy != "" {
			sc += "seLinuxChangePolicy: " + policy
		}
		sc += "}"
	}
	return `
---
apiVersion: v1
kind: Pod
metadata: {name: ` + name + `, namespace: ns1}
spec:
  securityContext: ` + sc + `
  containers:
  - name: container1
    volumeMounts: [{name: emptyDir1, mountPath: /e}` + mountsOf(volumes) + `]
  volumes: [{name: emptyDir1, emptyDir: {}}` + volumes + `]
status: {phase: ` + phase + `}
`
}

const withPVC = `, {name: vol1, persistentVolumeClaim: {claimName: pvc1}}`
const withInline = `, {name: inline, awsElasticBlockStore: {volumeID: inlinevol1}}`

func mountsOf(volumes string) string {
	out := ""
	if volumes == withPVC || volumes == withPVC+withInline {
		out += `, {name: vol1, mountPath: /v}`
	}
	if volumes == withInline || volumes == withPVC+withInline {
		out += `, {name: inline, mountPath: /i}`
	}
	return out
}

type added struct{ vol, pod, label, policy string }

func runView(t *testing.T, support string, pods ...string) (*View, map[string][]added) {
	t.Helper()
	doc := c5Storage + "---" + fmtDriver(support)
	for _, p := range pods {
		doc += p
	}
	objs, err := cluster.Decode("c5.yaml", []byte(doc))
	require.NoError(t, err)
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	var resolved []*cluster.ResolvedPod
	for _, p := range s.Pods {
		vols, diags := s.ResolvePod(p)
		require.Empty(t, diags)
		resolved = append(resolved, &cluster.ResolvedPod{Pod: p, Volumes: cluster.CompactVolumes(vols)})
	}
	v := Run(gates.Profile{RWOP: true, CP: true, Mount: true}, resolved, nil)
	got := map[string][]added{}
	for vol, e := range v.Cache.volumes {
		for p, info := range e.pods {
			got[e.csiDriver] = append(got[e.csiDriver], added{vol, p.Key(), info.label, info.policy})
		}
	}
	return v, got
}

func fmtDriver(support string) string {
	return "\napiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: ebs.csi.aws.com}\nspec: {seLinuxMount: " + support + "}\n"
}

const pv1Key = "kubernetes.io/csi/ebs.csi.aws.com^pv1"
const inlineKey = "kubernetes.io/csi/ebs.csi.aws.com^inlinevol1"

// Spec table C5, with real volume keys in place of the fake plugin's.
func TestControllerSync(t *testing.T) {
	for _, tc := range []struct {
		name    string
		support string
		pods    []string
		added   []added
		events  []string
	}{
		{name: "pod with no volumes", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Running", "")}},
		{name: "fully bound PVC", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Running", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", ":::s0:c1,c2", mo}}},
		{name: "bound PVC with Recursive", support: "true", pods: []string{pod("pod1", "s0:c1,c2", rec, "Running", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", "", rec}}},
		{name: "inline volume", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Running", withInline)},
			added: []added{{inlineKey, "ns1/pod1", ":::s0:c1,c2", mo}}},
		{name: "inline and PVC", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Running", withPVC+withInline)},
			added: []added{{pv1Key, "ns1/pod1", ":::s0:c1,c2", mo}, {inlineKey, "ns1/pod1", ":::s0:c1,c2", mo}}},
		{name: "conflict, other pod exists", support: "true",
			pods:  []string{pod("pod1", "s0:c1,c2", "", "Running", withPVC), pod("pod2", "s0:c98,c99", "", "Running", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", ":::s0:c1,c2", mo}, {pv1Key, "ns1/pod2", ":::s0:c98,c99", mo}},
			events: []string{
				`SELinuxLabel ":::s0:c98,c99" conflicts with pod pod1 that uses the same volume as this pod with SELinuxLabel ":::s0:c1,c2". If both pods land on the same node, only one of them may access the volume.`,
				`SELinuxLabel ":::s0:c1,c2" conflicts with pod pod2 that uses the same volume as this pod with SELinuxLabel ":::s0:c98,c99". If both pods land on the same node, only one of them may access the volume.`,
			}},
		{name: "Recursive pods, no conflicts", support: "true",
			pods:  []string{pod("pod1", "s0:c1,c2", rec, "Running", withPVC), pod("pod2", "s0:c98,c99", rec, "Running", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", "", rec}, {pv1Key, "ns1/pod2", "", rec}}},
		{name: "Recursive vs MountOption without level", support: "true",
			pods:  []string{pod("pod1", "", rec, "Running", withPVC), pod("pod2", "", mo, "Running", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", "", rec}, {pv1Key, "ns1/pod2", "", rec}}},
		{name: "empty label implies Recursive", support: "true", pods: []string{pod("pod1", "", mo, "Running", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", "", rec}}},
		{name: "Pending pod processed", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Pending", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", ":::s0:c1,c2", mo}}},
		{name: "Unknown pod processed", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Unknown", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", ":::s0:c1,c2", mo}}},
		{name: "Succeeded pod ignored", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Succeeded", withPVC)}},
		{name: "Failed pod ignored", support: "true", pods: []string{pod("pod1", "s0:c1,c2", "", "Failed", withPVC)}},
		{name: "CSIDriver seLinuxMount disabled", support: "false", pods: []string{pod("pod1", "s0:c1,c2", "", "Running", withPVC)},
			added: []added{{pv1Key, "ns1/pod1", "", rec}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, got := runView(t, tc.support, tc.pods...)
			require.ElementsMatch(t, tc.added, got["ebs.csi.aws.com"])
			var msgs []string
			for _, e := range v.Events {
				msgs = append(msgs, e.Message)
			}
			require.Equal(t, tc.events, msgs)
		})
	}
}

func TestMultipleLabelsEventSkipsVolume(t *testing.T) {
	doc := c5Storage + "---" + fmtDriver("true") + `
---
apiVersion: v1
kind: Pod
metadata: {name: pod1, namespace: ns1}
spec:
  containers:
  - {name: a, securityContext: {seLinuxOptions: {level: "s0:c1"}}, volumeMounts: [{name: vol1, mountPath: /a}]}
  - {name: b, securityContext: {seLinuxOptions: {level: "s0:c2"}}, volumeMounts: [{name: vol1, mountPath: /b}]}
  volumes: [{name: vol1, persistentVolumeClaim: {claimName: pvc1}}]
`
	objs, err := cluster.Decode("m.yaml", []byte(doc))
	require.NoError(t, err)
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	vols, _ := s.ResolvePod(s.Pods[0])
	v := Run(gates.Profile{RWOP: true, CP: true, Mount: true}, []*cluster.ResolvedPod{{Pod: s.Pods[0], Volumes: cluster.CompactVolumes(vols)}}, nil)
	require.Equal(t, []Event{MultipleLabelsEvent(PodRef{"ns1", "pod1"}, "vol1")}, v.Events)
	require.Zero(t, v.Cache.Len())
}

func TestFocusedRunComputesOnlyTheFocusConflicts(t *testing.T) {
	doc := c5Storage + "---" + fmtDriver("true") + pod("pod1", "s0:c1", "", "Running", withPVC) + pod("pod2", "s0:c2", "", "Running", withPVC) + pod("pod3", "s0:c3", "", "Running", withPVC)
	objs, err := cluster.Decode("f.yaml", []byte(doc))
	require.NoError(t, err)
	s, err := cluster.Build(objs)
	require.NoError(t, err)
	var resolved []*cluster.ResolvedPod
	for _, p := range s.Pods {
		vols, _ := s.ResolvePod(p)
		resolved = append(resolved, &cluster.ResolvedPod{Pod: p, Volumes: cluster.CompactVolumes(vols)})
	}
	profile := gates.Profile{RWOP: true, CP: true, Mount: true}
	all := Run(profile, resolved, nil).Conflicts()
	focus := s.Pod("ns1/pod2")
	focused := Run(profile, resolved, focus).Conflicts()
	var want []Conflict
	for _, c := range all {
		if c.Pod.Name == "pod2" || c.OtherPod.Name == "pod2" {
			want = append(want, c)
		}
	}
	require.Len(t, want, 4)
	require.Equal(t, want, focused)
}
