// Package warmup imports the upstream packages the oracle drives, so that one build compiles them all.
package warmup

import (
	_ "k8s.io/client-go/informers"
	_ "k8s.io/client-go/kubernetes/fake"
	_ "k8s.io/client-go/tools/record"
	_ "k8s.io/component-base/featuregate/testing"
	_ "k8s.io/csi-translation-lib"
	_ "k8s.io/kubernetes/pkg/api/pod"
	_ "k8s.io/kubernetes/pkg/apis/core/v1"
	_ "k8s.io/kubernetes/pkg/apis/core/validation"
	_ "k8s.io/kubernetes/pkg/controller/volume/selinuxwarning"
	_ "k8s.io/kubernetes/pkg/features"
	_ "k8s.io/kubernetes/pkg/kubelet/volumemanager/cache"
	_ "k8s.io/kubernetes/pkg/volume/csi"
	_ "k8s.io/kubernetes/pkg/volume/csimigration"
	_ "k8s.io/kubernetes/pkg/volume/fc"
	_ "k8s.io/kubernetes/pkg/volume/hostpath"
	_ "k8s.io/kubernetes/pkg/volume/iscsi"
	_ "k8s.io/kubernetes/pkg/volume/nfs"
	_ "k8s.io/kubernetes/pkg/volume/testing"
	_ "k8s.io/kubernetes/pkg/volume/util"

	_ "github.com/selmount/selmount/harness"
)
