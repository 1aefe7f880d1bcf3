package cluster_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/selmount/selmount/policies/cluster"
)

// Each worker decodes its Pods into one scratch Pod and reuses its arrays (volumes, containers,
// mounts) for the next. A Model that kept any of them would change under the next Pod: Pods of
// varied shapes, one after another in one batch, must read as Decode reads each alone.
func TestScratchArraysServeTheNextPodOnly(t *testing.T) {
	shapes := []string{
		`"volumes": [{"name": "a", "persistentVolumeClaim": {"claimName": "c1"}}, {"name": "b", "csi": {"driver": "d", "volumeAttributes": {"k": "v"}}}, {"name": "c", "hostPath": {"path": "/x"}}],
		 "initContainers": [{"name": "i", "volumeMounts": [{"name": "a", "mountPath": "/a"}], "securityContext": {"seLinuxOptions": {"level": "s0:c9"}}}],
		 "containers": [{"name": "x", "volumeMounts": [{"name": "a", "mountPath": "/a"}, {"name": "b", "mountPath": "/b"}, {"name": "c", "mountPath": "/c"}], "securityContext": {"seLinuxOptions": {"level": "s0:c1"}}},
		                {"name": "y", "volumeDevices": [{"name": "c", "devicePath": "/d"}], "securityContext": {"seLinuxOptions": {"type": "t"}}}]`,
		`"volumes": [{"name": "z", "iscsi": {"targetPortal": "p", "iqn": "q", "lun": 1, "portals": ["p1", "p2"]}}],
		 "containers": [{"name": "x", "volumeMounts": [{"name": "z", "mountPath": "/z"}]}]`,
		`"containers": [{"name": "x"}], "initContainers": [], "volumes": []`,
		`"volumes": [{"name": "a", "persistentVolumeClaim": {"claimName": "c2"}}, {"name": "b", "fc": {"targetWWNs": ["w1"], "lun": 0}}],
		 "containers": [{"name": "x", "volumeMounts": [{"name": "b", "mountPath": "/b"}, {"name": "a", "mountPath": "/a"}]}, {"name": "y", "volumeMounts": [{"name": "a", "mountPath": "/a"}]}],
		 "ephemeralContainers": [{"name": "e", "volumeMounts": [{"name": "b", "mountPath": "/b"}], "securityContext": {"seLinuxOptions": {"user": "u"}}}]`,
	}
	var items []string
	for i := range 3 * len(shapes) {
		items = append(items, fmt.Sprintf(`{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p%d", "namespace": "n"}, "spec": {%s}}`, i, shapes[(i*3)%len(shapes)]))
	}
	data := []byte(`{"apiVersion": "v1", "kind": "List", "items": [` + strings.Join(items, ",") + `]}`)
	if _, fast := cluster.DecodeFast("list.json", data); !fast {
		t.Fatal("the fast path gave up; the test reuses nothing")
	}
	cluster.RequireSameDecode(t, "list.json", data)
}
