package gatekeeper

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// benchCluster is an inventory of pods Pods, 100 a namespace. The admitted Pod's namespace holds
// 100 Pods on 10 claims (bound to CSI PVs); the other namespaces hold stateless Pods (emptyDir and
// configMap volumes). pvs extra PVs, bound to claims of no Pod, stand for the rest of the cluster's
// storage.
func benchCluster(tb testing.TB, pods, pvs int) ([]cluster.Object, *cluster.Object) {
	var b strings.Builder
	doc := func(format string, args ...any) { fmt.Fprintf(&b, "---\n"+format+"\n", args...) }
	doc("{apiVersion: storage.k8s.io/v1, kind: CSIDriver, metadata: {name: rbd.csi.example.com}, spec: {seLinuxMount: true}}")
	for c := 0; c < 10; c++ {
		doc("{apiVersion: v1, kind: PersistentVolume, metadata: {name: pv-%d}, spec: {accessModes: [ReadWriteMany], csi: {driver: rbd.csi.example.com, volumeHandle: h-%d}, claimRef: {namespace: ns-0, name: data-%d}}}", c, c, c)
		doc("{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data-%d, namespace: ns-0}, spec: {accessModes: [ReadWriteMany], volumeName: pv-%d}}", c, c)
	}
	for v := 0; v < pvs; v++ {
		doc("{apiVersion: v1, kind: PersistentVolume, metadata: {name: other-%d}, spec: {accessModes: [ReadWriteOnce], csi: {driver: rbd.csi.example.com, volumeHandle: o-%d}, claimRef: {namespace: elsewhere, name: c-%d}}}", v, v, v)
	}
	for i := 0; i < pods; i++ {
		ns := fmt.Sprintf("ns-%d", i/100)
		if i%100 == 0 {
			doc("{apiVersion: v1, kind: Namespace, metadata: {name: %s}}", ns)
		}
		vol := "{name: data, emptyDir: {}}, {name: conf, configMap: {name: app}}"
		if i < 100 {
			vol = fmt.Sprintf("{name: data, persistentVolumeClaim: {claimName: data-%d}}", i%10)
		}
		doc("{apiVersion: v1, kind: Pod, metadata: {name: p-%d, namespace: %s}, spec: {nodeName: node-%d, securityContext: {seLinuxOptions: {level: 's0:c%d,c%d'}}, containers: [{name: app, image: app:1, volumeMounts: [{name: data, mountPath: /data}]}], volumes: [%s]}}", i, ns, i%30, i%7, 100+i%7, vol)
	}
	objs, err := cluster.Decode("bench.yaml", []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	admitted, err := cluster.Decode("admitted.yaml", []byte("---\n{apiVersion: v1, kind: Pod, metadata: {name: new, namespace: ns-0}, spec: {nodeName: node-1, securityContext: {seLinuxOptions: {level: 's0:c1,c2'}}, containers: [{name: app, image: app:1, volumeMounts: [{name: data, mountPath: /data}]}], volumes: [{name: data, persistentVolumeClaim: {claimName: data-1}}]}}"))
	if err != nil {
		tb.Fatal(err)
	}
	return objs, &admitted[0]
}

// admitOnce is one admission as Gatekeeper's webhook runs it: the Assign mutators, then every
// constraint, with the inventory already synced.
func (e *Engine) admitOnce(ctx context.Context, admitted *cluster.Object, objs []cluster.Object, state *cluster.State) ([]policies.Finding, error) {
	ns := namespacesOf(objs).get(admitted.Namespace)
	if _, _, err := e.mutate(ctx, admitted, ns); err != nil {
		return nil, err
	}
	fs, ev, err := e.reviewAdmission(ctx, admitted, nil, policies.OperationCreate, ns, state)
	if err == nil && len(ev) != len(e.Rules()) {
		err = fmt.Errorf("evaluated %v", ev)
	}
	return fs, err
}

func benchAdmit(b *testing.B, pods, pvs int) {
	e := engine(b, Options{})
	ctx := context.Background()
	objs, admitted := benchCluster(b, pods, pvs)
	if err := e.inv.set(ctx, objs); err != nil {
		b.Fatal(err)
	}
	state := stateWith(objs, admitted)
	for b.Loop() {
		fs, err := e.admitOnce(ctx, admitted, objs, state)
		if err != nil {
			b.Fatal(err)
		}
		if len(fs) == 0 {
			b.Fatal("the admitted Pod conflicts with its namespace's Pods, but nothing was found")
		}
	}
}

// BenchmarkAdmit: one admission with 100 and with 10,000 Pods in data.inventory. The inventory is
// read by namespace and claim, so the second should cost at most twice the first.
func BenchmarkAdmit(b *testing.B) {
	for _, pods := range []int{100, 10000} {
		b.Run(fmt.Sprintf("pods=%d", pods), func(b *testing.B) { benchAdmit(b, pods, 0) })
	}
}

// BenchmarkAdmitPVs: the one cluster-wide read, PVs (a second PV may name the same storage from
// another namespace), with 100 and 10,000 PVs. Gatekeeper copies a synced collection on every read,
// so this grows with the PV count.
func BenchmarkAdmitPVs(b *testing.B) {
	for _, pvs := range []int{100, 10000} {
		b.Run(fmt.Sprintf("pvs=%d", pvs), func(b *testing.B) { benchAdmit(b, 100, pvs) })
	}
}
