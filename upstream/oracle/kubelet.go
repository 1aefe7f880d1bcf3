package oracle

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-logr/logr"
	v1 "k8s.io/api/core/v1"
	csitrans "k8s.io/csi-translation-lib"
	kubeletcache "k8s.io/kubernetes/pkg/kubelet/volumemanager/cache"
	"k8s.io/kubernetes/pkg/volume"
	"k8s.io/kubernetes/pkg/volume/configmap"
	"k8s.io/kubernetes/pkg/volume/csi"
	"k8s.io/kubernetes/pkg/volume/csimigration"
	"k8s.io/kubernetes/pkg/volume/downwardapi"
	"k8s.io/kubernetes/pkg/volume/emptydir"
	"k8s.io/kubernetes/pkg/volume/fc"
	"k8s.io/kubernetes/pkg/volume/hostpath"
	"k8s.io/kubernetes/pkg/volume/iscsi"
	"k8s.io/kubernetes/pkg/volume/local"
	"k8s.io/kubernetes/pkg/volume/nfs"
	"k8s.io/kubernetes/pkg/volume/secret"
	volumeutil "k8s.io/kubernetes/pkg/volume/util"
)

// kubelet holds what every node of a replay shares: the kubelet's volume plugins (upstream's own,
// hosted on the replay's API view) and the node's SELinux translator.
type kubelet struct {
	api        *apiView
	vpm        *volume.VolumePluginMgr
	cmpm       csimigration.PluginManager
	translator csimigration.InTreeToCSITranslator
	labels     *nodeTranslator
}

// kubeletPlugins are the kubelet's plugins for the volume types selmount sees. The projected plugin
// is left out: its Init needs a full kubelet volume host (projected volumes never support the mount
// option and are per pod, so the kubelet's verdict on them is a MultipleSELinuxLabels warning at most,
// which is then not observed: see the README).
func kubeletPlugins() []volume.VolumePlugin {
	var all []volume.VolumePlugin
	all = append(all, emptydir.ProbeVolumePlugins()...)
	all = append(all, configmap.ProbeVolumePlugins()...)
	all = append(all, secret.ProbeVolumePlugins()...)
	all = append(all, downwardapi.ProbeVolumePlugins()...)
	all = append(all, hostpath.ProbeVolumePlugins(volume.VolumeConfig{})...)
	all = append(all, nfs.ProbeVolumePlugins(volume.VolumeConfig{})...)
	all = append(all, iscsi.ProbeVolumePlugins()...)
	all = append(all, fc.ProbeVolumePlugins()...)
	all = append(all, local.ProbeVolumePlugins()...)
	all = append(all, csi.ProbeVolumePlugins()...)
	return all
}

func newKubelet(a *apiView) (*kubelet, error) {
	vpm := &volume.VolumePluginMgr{}
	if err := vpm.InitPlugins(kubeletPlugins(), nil, a.ctrl); err != nil {
		return nil, err
	}
	t := csitrans.New()
	return &kubelet{api: a, vpm: vpm, cmpm: csimigration.NewPluginManager(t), translator: t, labels: &nodeTranslator{}}, nil
}

// podAdd is what adding one Pod to a node's desired state of world did, per pod volume.
type podAdd struct {
	// Refused maps a pod volume to the conflicting-labels error that keeps the Pod from starting.
	Refused map[string]refusedVolume
	// Multiple are the volumes whose containers give different labels (error or warning).
	Multiple []multipleLabels
	// Held are the unique names of the volumes the Pod was added to.
	Held map[v1.UniqueVolumeName]bool
	// Unresolved are pod volumes the kubelet could not build a spec for (the Pod does not start).
	Unresolved map[string]string
}

type refusedVolume struct {
	Volume      v1.UniqueVolumeName
	Held, Label string // the label the volume has on the node, the Pod's
	Message     string
}

type multipleLabels struct {
	PodVolume string
	Volume    string // see reportName
	Labels    []string
	Error     bool
}

// node is one kubelet's desired state of world.
type node struct {
	k   *kubelet
	dsw kubeletcache.DesiredStateOfWorld
	// holder is the first Pod added to each volume.
	holder map[v1.UniqueVolumeName]string
}

func (k *kubelet) newNode() *node {
	return &node{k: k, dsw: kubeletcache.NewDesiredStateOfWorld(k.vpm, k.labels), holder: map[v1.UniqueVolumeName]string{}}
}

// add adds a Pod's volumes as the populator does: every volume a container mounts or uses as a
// device, with the SELinux options of the containers that mount it (GetPodVolumeNames).
func (n *node) add(pod *v1.Pod) podAdd {
	logs := &warnings{}
	logger := logr.New(logs)
	res := podAdd{Refused: map[string]refusedVolume{}, Held: map[v1.UniqueVolumeName]bool{}, Unresolved: map[string]string{}}
	mounts, devices, contexts := volumeutil.GetPodVolumeNames(pod, true)
	podName := volumeutil.GetUniquePodName(pod)
	for _, pv := range pod.Spec.Volumes {
		if !mounts.Has(pv.Name) && !devices.Has(pv.Name) {
			continue
		}
		spec, err := n.k.spec(logger, pod, pv, mounts, devices)
		if err != nil {
			res.Unresolved[pv.Name] = err.Error()
			continue
		}
		shared := n.sharedName(spec)
		logs.errs = nil
		name, err := n.dsw.AddPodToVolume(logger, podName, pod, spec, pv.Name, "", contexts[pv.Name])
		for _, w := range logs.errs {
			if volumeutil.IsMultipleSELinuxLabelsError(w) {
				res.Multiple = append(res.Multiple, multipleLabels{PodVolume: pv.Name, Volume: n.reportName(spec, pv.Name), Labels: labelsOf(w), Error: false})
			}
		}
		switch {
		case err == nil:
			res.Held[name] = true
			if _, ok := n.holder[name]; !ok {
				n.holder[name] = pod.Namespace + "/" + pod.Name
			}
		case volumeutil.IsMultipleSELinuxLabelsError(err):
			res.Multiple = append(res.Multiple, multipleLabels{PodVolume: pv.Name, Volume: n.reportName(spec, pv.Name), Labels: labelsOf(err), Error: true})
		case strings.HasPrefix(err.Error(), "conflicting SELinux labels of volume"):
			held, label := conflictLabels(err.Error())
			res.Refused[pv.Name] = refusedVolume{Volume: v1.UniqueVolumeName(shared), Held: held, Label: label, Message: err.Error()}
		default:
			res.Unresolved[pv.Name] = err.Error()
		}
	}
	return res
}

// sharedName is the volume's unique name when pods share it on a node (attachable or device-mountable
// plugins, as AddPodToVolume decides), "" for per-pod volumes.
func (n *node) sharedName(spec *volume.Spec) string {
	if !volumeutil.IsAttachableVolume(spec, n.k.vpm) && !volumeutil.IsDeviceMountableVolume(spec, n.k.vpm) {
		return ""
	}
	return n.uniqueName(spec)
}

// reportName names a volume in SELINUX-003 findings as selmount does: by the controller's unique name
// (plugin/GetVolumeName, which the controller uses for every volume) when it is PV-backed, else by the
// pod volume name. The kubelet itself names per-pod PV volumes (NFS, hostPath) with the pod's UID.
func (n *node) reportName(spec *volume.Spec, podVolume string) string {
	if spec.PersistentVolume != nil {
		if name := n.uniqueName(spec); name != "" {
			return name
		}
	}
	return podVolume
}

func (n *node) uniqueName(spec *volume.Spec) string {
	plugin, err := n.k.vpm.FindPluginBySpec(spec)
	if err != nil {
		return ""
	}
	name, err := volumeutil.GetUniqueVolumeNameFromSpec(plugin, spec)
	if err != nil {
		return ""
	}
	return string(name)
}

func labelsOf(err error) []string {
	var m *volumeutil.MultipleSELinuxLabelsError
	if !errors.As(err, &m) {
		return nil
	}
	return m.Labels()
}

// conflictLabels reads the two quoted labels of the DSW's conflict error: the volume's, then the Pod's.
func conflictLabels(msg string) (held, label string) {
	_, rest, _ := strings.Cut(msg, ": ")
	first, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", ""
	}
	second, _ := strconv.QuotedPrefix(strings.TrimPrefix(rest[len(first):], " and "))
	a, _ := strconv.Unquote(first)
	b, _ := strconv.Unquote(second)
	return a, b
}

func (r refusedVolume) String() string { return fmt.Sprintf("%s: %q vs %q", r.Volume, r.Held, r.Label) }
