package cluster

import (
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
)

// DefaultNamespace is where kubectl puts a namespaced object whose manifest names none.
const DefaultNamespace = "default"

// typedKinds are the kinds selmount reads, keyed by API group and kind (any version of the group).
var typedKinds = map[string]func() any{
	"/Pod":                        func() any { return &corev1.Pod{} },
	"/PersistentVolumeClaim":      func() any { return &corev1.PersistentVolumeClaim{} },
	"/PersistentVolume":           func() any { return &corev1.PersistentVolume{} },
	"/Namespace":                  func() any { return &corev1.Namespace{} },
	"/ReplicationController":      func() any { return &corev1.ReplicationController{} },
	"storage.k8s.io/CSIDriver":    func() any { return &storagev1.CSIDriver{} },
	"storage.k8s.io/StorageClass": func() any { return &storagev1.StorageClass{} },
	"apps/Deployment":             func() any { return &appsv1.Deployment{} },
	"apps/StatefulSet":            func() any { return &appsv1.StatefulSet{} },
	"apps/DaemonSet":              func() any { return &appsv1.DaemonSet{} },
	"apps/ReplicaSet":             func() any { return &appsv1.ReplicaSet{} },
	"batch/Job":                   func() any { return &batchv1.Job{} },
	"batch/CronJob":               func() any { return &batchv1.CronJob{} },
}

var namespaced = map[string]bool{
	"Pod": true, "PersistentVolumeClaim": true, "ReplicationController": true,
	"Deployment": true, "StatefulSet": true, "DaemonSet": true, "ReplicaSet": true, "Job": true, "CronJob": true,
}

func kindKey(apiVersion, kind string) string {
	group := ""
	if g, _, found := strings.Cut(apiVersion, "/"); found {
		group = g
	}
	return group + "/" + kind
}
