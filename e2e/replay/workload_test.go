package replay

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/policies/cluster"
)

func TestControllerPodFromStatefulSet(t *testing.T) {
	objs, err := cluster.Decode("sts.yaml", []byte(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: db:1, volumeMounts: [{name: data, mountPath: /d}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`))
	if err != nil {
		t.Fatal(err)
	}
	pod, err := ControllerPod(&objs[0])
	if err != nil {
		t.Fatal(err)
	}
	if pod.GetKind() != "Pod" || pod.GetNamespace() != "shop" || pod.GetName() != "statefulset-db" || pod.GetLabels()["app"] != "db" {
		t.Errorf("pod header: %v %s/%s %v", pod.GetKind(), pod.GetNamespace(), pod.GetName(), pod.GetLabels())
	}
	vols, _, _ := unstructured.NestedSlice(pod.Object, "spec", "volumes")
	if len(vols) != 1 {
		t.Fatalf("volumes = %v, want the claim template's", vols)
	}
	claim, _, _ := unstructured.NestedString(vols[0].(map[string]any), "persistentVolumeClaim", "claimName")
	if claim != "data-db-0" {
		t.Errorf("claim = %q, want replica 0's data-db-0", claim)
	}
	podObjs, err := cluster.Decode("pod.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  containers:\n  - name: c\n    image: i\n"))
	if err != nil || len(podObjs) != 1 {
		t.Fatalf("decode pod: %v %v", podObjs, err)
	}
	if _, err := ControllerPod(&podObjs[0]); err == nil {
		t.Error("a Pod is not a workload, want an error")
	}
}
