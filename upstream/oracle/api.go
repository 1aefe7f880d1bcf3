package oracle

import (
	"context"

	"github.com/go-logr/logr"
	"k8s.io/client-go/informers"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/controller/volume/selinuxwarning"
)

// apiView is the API server's content for one replay, as informers hold it, with a
// selinux-warning-controller built on it (KCM's way). The controller doubles as the volume host of
// the kubelet's plugins: it is a CSIDriverVolumeHost, which is all the CSI plugin needs to read
// CSIDriver.spec.seLinuxMount.
type apiView struct {
	ctrl *selinuxwarning.Controller
	rec  *recorder
	pods coreinformers.PodInformer
	pvcs coreinformers.PersistentVolumeClaimInformer
	pvs  coreinformers.PersistentVolumeInformer
}

// quiet is the context the components run with: upstream logs at V(4) and below per volume.
func quiet(ctx context.Context) context.Context { return klog.NewContext(ctx, logr.Discard()) }

// newAPI fills the informers' stores with the storage objects (not the Pods) and builds the controller.
func newAPI(ctx context.Context, w *World) (*apiView, error) {
	client := fake.NewClientset()
	factory := informers.NewSharedInformerFactory(client, 0)
	a := &apiView{rec: &recorder{}, pods: factory.Core().V1().Pods(), pvcs: factory.Core().V1().PersistentVolumeClaims(), pvs: factory.Core().V1().PersistentVolumes()}
	drivers := factory.Storage().V1().CSIDrivers()
	c, err := selinuxwarning.NewController(ctx, client, a.pods, a.pvcs, a.pvs, drivers, controllerPlugins(), nil)
	if err != nil {
		return nil, err
	}
	a.ctrl = c
	setRecorder(c, a.rec)
	for _, d := range w.CSIDrivers {
		if err := drivers.Informer().GetStore().Add(d); err != nil {
			return nil, err
		}
	}
	for _, pv := range w.PVs {
		if err := a.pvs.Informer().GetStore().Add(pv); err != nil {
			return nil, err
		}
	}
	for _, pvc := range w.PVCs {
		if err := a.pvcs.Informer().GetStore().Add(pvc); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *apiView) close() { shutdown(a.ctrl) }
