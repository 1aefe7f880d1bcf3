package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedAcrossNamespaces is the multi-tenant layout: n Pods on one CSI volume through one PV
// and claim per namespace, each of 20 namespaces with its own level.
func sharedAcrossNamespaces(n int) string {
	var b strings.Builder
	b.WriteString("apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: d.example.com}\nspec: {seLinuxMount: true}\n")
	for k := 0; k < 20; k++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv%d}\nspec:\n  accessModes: [ReadWriteMany]\n  csi: {driver: d.example.com, volumeHandle: shared}\n  claimRef: {namespace: ns%d, name: data}\n", k, k)
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: ns%d}\nspec: {accessModes: [ReadWriteMany], volumeName: pv%d}\n", k, k)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p%d, namespace: ns%d}\nspec:\n  securityContext: {seLinuxOptions: {level: \"s0:c%d,c99\"}}\n  containers: [{name: c, volumeMounts: [{name: v, mountPath: /v}]}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: data}}]\n", i, i%20, i%20)
	}
	return b.String()
}

// The crash: 2,000 Pods on one volume in 20 namespaces ran out of memory (a Go fatal error
// and goroutine dump). The count of differing pairs is known in linear time before the audit, so
// such input is refused with a message instead. 100 Pods make 100² − 20·5² = 9,500 pairs.
func TestScanRefusesMorePairsThanTheBudget(t *testing.T) {
	in := sharedAcrossNamespaces(100)
	code, out, errOut := runCmd(t, in, "scan", "--pairs", "--max-pairs", "9499", "-")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "about 9500 directed conflicts (volume ")
	assert.Contains(t, errOut, " alone: 100 Pods in 20 label and policy classes), more than --max-pairs 9499")

	code, out, errOut = runCmd(t, in, "scan", "--pairs", "--max-pairs", "9500", "-o", "json", "-")
	require.Equal(t, exitFindings, code, errOut)
	assert.Equal(t, 9500, strings.Count(out, `"event":`), "the estimate is exact when labels differ by namespace")

	code, _, _ = runCmd(t, in, "scan", "--pairs", "--max-pairs", "0", "-o", "prometheus", "-")
	assert.Equal(t, exitFindings, code)
}

// The default budget lets the 2,000-Pod layout end in a message, not a crash, and costs
// no audit: the refusal comes before it.
func TestScanDefaultBudgetRefusesTwoThousandPods(t *testing.T) {
	code, _, errOut := runCmd(t, sharedAcrossNamespaces(2000), "scan", "--pairs", "-")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "about 3800000 directed conflicts")
}

// The default report is grouped: the 2,000 Pods (3.8 million pairs) take a few rows per
// namespace, and the JSON lists each Pod in a bounded number of groups.
func TestGroupedScanOfTwoThousandPodsOnOneVolume(t *testing.T) {
	in := sharedAcrossNamespaces(2000)
	code, out, errOut := runCmd(t, in, "scan", "-")
	require.Equal(t, exitFindings, code, errOut)
	assert.Contains(t, out, "standing for ")
	assert.Less(t, len(out), 60_000, "text grows with classes, not pairs")
	code, js, errOut := runCmd(t, in, "scan", "-o", "json", "-")
	require.Equal(t, exitFindings, code, errOut)
	assert.Less(t, strings.Count(js, `"p1"`), 4, "a Pod is listed once per group it is in")
	assert.Less(t, len(js), 2_000_000)
}
