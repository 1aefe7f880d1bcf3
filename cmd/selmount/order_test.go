package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// orderDump is `kubectl get csidrivers,pv,pvc,pods -A -o json` of a cluster where
// reports/legacy-exporter was created a second before reports/dashboard: the dump lists dashboard
// first, by name. Both use one RWO volume on node-1 with different labels.
const orderDump = `{"apiVersion": "v1", "items": [
{"apiVersion": "storage.k8s.io/v1", "kind": "CSIDriver", "metadata": {"creationTimestamp": "2025-03-01T11:00:00Z", "name": "disk.csi.azure.com"}, "spec": {"attachRequired": true, "seLinuxMount": true}},
{"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"creationTimestamp": "2025-03-01T11:00:00Z", "name": "pv-reports"}, "spec": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "8Gi"}, "csi": {"driver": "disk.csi.azure.com", "volumeHandle": "disk-reports"}, "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": "reports", "name": "data", "uid": "u-1"}}, "status": {"phase": "Bound"}},
{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"creationTimestamp": "2025-03-01T11:00:00Z", "name": "data", "namespace": "reports", "uid": "u-1"}, "spec": {"accessModes": ["ReadWriteOnce"], "volumeName": "pv-reports"}, "status": {"phase": "Bound"}},
{"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": "2025-03-01T12:00:01Z", "name": "dashboard", "namespace": "reports"}, "spec": {"nodeName": "node-1", "securityContext": {"seLinuxOptions": {"level": "s0:c2,c3"}}, "containers": [{"name": "c", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}], "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]}, "status": {"phase": "Pending"}},
{"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": "2025-03-01T12:00:00Z", "name": "legacy-exporter", "namespace": "reports"}, "spec": {"nodeName": "node-1", "securityContext": {"seLinuxOptions": {"level": "s0:c0,c1"}}, "containers": [{"name": "c", "volumeMounts": [{"name": "data", "mountPath": "/data"}]}], "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}]}, "status": {"phase": "Running"}}
], "kind": "List", "metadata": {"resourceVersion": ""}}
`

// The Pod left in ContainerCreating is the one created later, whatever the dump's order, as
// Gatekeeper's audit reports it on the same cluster; with --admit and --pairs too.
func TestScanBlamesThePodCreatedLater(t *testing.T) {
	for _, args := range [][]string{{}, {"--admit"}, {"--pairs"}} {
		code, out, errOut := runCmd(t, orderDump, append(append([]string{"scan", "-o", "json"}, args...), "-")...)
		require.Equal(t, exitFindings, code, "%v: %s", args, errOut)
		var rep struct {
			Groups []struct {
				Rule string
				Pods []string
			}
			Findings []struct {
				Rule string
				Pod  struct{ Name string }
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
		var blamed []string
		for _, g := range rep.Groups {
			if g.Rule == "SELINUX-006" {
				blamed = append(blamed, g.Pods...)
			}
		}
		for _, f := range rep.Findings {
			if f.Rule == "SELINUX-006" {
				blamed = append(blamed, f.Pod.Name)
			}
		}
		require.Len(t, blamed, 1, "%v: %s", args, out)
		require.Equal(t, "dashboard", blamed[0], "%v", args)
	}
}
