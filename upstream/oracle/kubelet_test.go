package oracle

import "testing"

func TestKubeletRefusesLaterPodOnOneNode(t *testing.T) {
	res := replayYAML(t, "v1.37", sharedClaim+podYAML("p1", "n1", "{level: 's0:c1,c2'}", oneContainer)+podYAML("p2", "n1", "{level: 's0:c3,c4'}", oneContainer))
	rs := res.Kubelet.Refusals
	if len(rs) != 1 || rs[0].Pod != "a/p2" || rs[0].Other != "a/p1" || rs[0].Latent ||
		rs[0].PodLabel != "system_u:object_r:container_file_t:s0:c3,c4" || rs[0].OtherLabel != "system_u:object_r:container_file_t:s0:c1,c2" {
		t.Errorf("got %+v", rs)
	}
}

func TestKubeletLatentAcrossNodes(t *testing.T) {
	res := replayYAML(t, "v1.37", sharedClaim+podYAML("p1", "n1", "{level: 's0:c1,c2'}", oneContainer)+podYAML("p2", "n2", "{level: 's0:c3,c4'}", oneContainer))
	rs := res.Kubelet.Refusals
	if len(rs) != 1 || !rs[0].Latent {
		t.Errorf("got %+v", rs)
	}
}

func TestKubeletOptionsWithoutLevelGetFreshLabels(t *testing.T) {
	two := `[{name: c1, image: i, volumeMounts: [{name: v, mountPath: /v}]}, {name: c2, image: i, volumeMounts: [{name: v, mountPath: /w}]}]`
	res := replayYAML(t, "v1.37", sharedClaim+podYAML("p1", "n1", "{type: spc_t}", two))
	ms := res.Kubelet.Multiple
	if len(ms) != 1 || !ms[0].Error || len(ms[0].Labels) != 2 || ms[0].Labels[0] != "system_u:object_r:container_file_t:"+FreshLevel {
		t.Errorf("got %+v", ms)
	}
}

func TestKubeletEmptyDirMultipleLabelsIsAWarning(t *testing.T) {
	doc := `
apiVersion: v1
kind: Pod
metadata: {namespace: a, name: p}
spec:
  volumes: [{name: scratch, emptyDir: {}}]
  containers:
  - {name: c1, image: i, volumeMounts: [{name: scratch, mountPath: /s}], securityContext: {seLinuxOptions: {level: 's0:c1,c2'}}}
  - {name: c2, image: i, volumeMounts: [{name: scratch, mountPath: /s}], securityContext: {seLinuxOptions: {level: 's0:c3,c4'}}}
`
	res := replayYAML(t, "v1.37", doc)
	ms := res.Kubelet.Multiple
	if len(ms) != 1 || ms[0].Error || ms[0].Volume != "scratch" {
		t.Errorf("got %+v", ms)
	}
}
