package oracle

// This file is the only place that reaches into unexported parts of upstream's
// selinux-warning-controller. Why: the controller has no exported way to process one Pod
// synchronously (its worker loop pulls from a rate-limited queue in goroutines) nor to swap its event
// recorder or read its conflict cache per volume (the metric collector reads GetConflicts, which drops
// the volume name). The oracle must call the controller's own sync, in admission order, and read what
// it recorded, so it uses a go:linkname to (*Controller).sync and reflection for three fields.

import (
	"context"
	"reflect"
	"unsafe"

	v1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/kubernetes/pkg/controller/volume/selinuxwarning"
	volumecache "k8s.io/kubernetes/pkg/controller/volume/selinuxwarning/cache"
)

//go:linkname controllerSync k8s.io/kubernetes/pkg/controller/volume/selinuxwarning.(*Controller).sync
func controllerSync(c *selinuxwarning.Controller, ctx context.Context, podRef cache.ObjectName) error

// field is the settable value of the unexported field name of the struct *ptr points to.
func field(ptr any, name string) reflect.Value {
	v := reflect.ValueOf(ptr).Elem().FieldByName(name)
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// setRecorder replaces the controller's event recorder.
func setRecorder(c *selinuxwarning.Controller, r record.EventRecorder) {
	field(c, "eventRecorder").Set(reflect.ValueOf(r))
}

// shutdown stops the goroutines NewController started (event broadcaster, work queue).
func shutdown(c *selinuxwarning.Controller) {
	field(c, "eventBroadcaster").Interface().(record.EventBroadcaster).Shutdown()
	field(c, "queue").MethodByName("ShutDown").Call(nil)
}

// labelCache is the controller's conflict cache.
func labelCache(c *selinuxwarning.Controller) volumecache.VolumeCache {
	return field(c, "labelCache").Interface().(volumecache.VolumeCache)
}

// conflictsByVolume reads the cache's current conflicts per volume: exactly what GetConflicts returns
// (the metric), with the volume each belongs to.
func conflictsByVolume(vc volumecache.VolumeCache) map[v1.UniqueVolumeName][]volumecache.Conflict {
	m := field(vc, "conflicts")
	out := map[v1.UniqueVolumeName][]volumecache.Conflict{}
	iter := m.MapRange()
	for iter.Next() {
		out[iter.Key().Interface().(v1.UniqueVolumeName)] = iter.Value().Interface().([]volumecache.Conflict)
	}
	return out
}
