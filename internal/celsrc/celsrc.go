// Package celsrc is the one source of the per-Pod CEL that the ValidatingAdmissionPolicies (map/),
// the Gatekeeper K8sNativeValidation templates (internal/gatekeepergen) and the Kyverno
// ValidatingPolicies (kyverno/) share: which containers label a volume, the kubelet's file label
// translation, a volume's eligibility for the mount option, the API server's refusal of a
// seLinuxChangePolicy (SELINUX-005 errors) and the volumes with more than one label (SELINUX-003).
// What really differs between the engines is a parameter (Pod): where the Pod spec is, how the
// gates are read, whether StatefulSet claim templates exist. The fields are read one way everywhere,
// the way that also survives null and {} (Kyverno sees objects as written).
package celsrc

import "strings"

// Variable is one CEL variable as the engines' policies declare it.
type Variable struct {
	Name       string `json:"name"`
	Expression string `json:"expression"`
}

// Has is true when x has the field f set to something other than null.
func Has(x, f string) string {
	return x + ".?" + f + ".orValue(null) != null"
}

// Str is the string field f of x, ” when it is absent.
func Str(x, f string) string {
	return "string(" + x + ".?" + f + ".orValue(''))"
}

// Set is true when the string field f of x is neither absent, null nor ”.
func Set(x, f string) string {
	return "(" + Has(x, f) + " && " + x + "." + f + " != '')"
}

// List is the list field f of x without null elements, [] when it is absent or null.
func List(x, f string) string {
	return "(" + Has(x, f) + " ? " + x + "." + f + ".filter(e, e != null) : [])"
}

// Containers are the init, regular and ephemeral containers of the Pod spec s, in that order.
func Containers(s string) string {
	return "['initContainers', 'containers', 'ephemeralContainers']\n" +
		"  .map(f, " + s + "[?f].orValue(null) != null ? " + s + "[f].filter(c, c != null) : []).flatten()"
}

// PodOptions are the Pod spec s's seLinuxOptions, null when unset.
func PodOptions(s string) string {
	return "(" + Has(s, "securityContext") + " ? " + s + ".securityContext.?seLinuxOptions.orValue(null) : null)"
}

// ContainerOptions are container c's own seLinuxOptions, null when unset. They replace the Pod's
// wholesale.
func ContainerOptions(c string) string {
	return PodOptions(c)
}

// anySet is true when options o set a user, role or type. Without a level too, the kubelet gives
// every such mount a new random level (Decision 4).
func anySet(o string) string {
	return "(" + Set(o, "user") + " || " + Set(o, "role") + " || " + Set(o, "type") + ")"
}

// user is the options' user, or the node default's.
func user(o string) string {
	return "(" + Set(o, "user") + " ? string(" + o + ".user) : 'system_u')"
}

// KubeletLabels are the sorted kubelet file labels of os, the options (never null) of one volume's
// mounts: the node's system_u:object_r:container_file_t with the options' user and level; options
// without any of them, no label (""), counted once; a user, role or type without a level, a new
// random level for every mount, each its own label.
func KubeletLabels(os string) string {
	return "(" + os + ".filter(o, " + Set("o", "level") + " || !" + anySet("o") + ")\n" +
		"  .map(o, " + Set("o", "level") + "\n" +
		"    ? " + user("o") + " + ':object_r:container_file_t:' + string(o.level) : '')\n" +
		"  .distinct() +\n" +
		os + ".filter(o, !" + Set("o", "level") + " && " + anySet("o") + ")\n" +
		"  .map(o, " + user("o") + " + ':object_r:container_file_t:<random level>')\n" +
		").sort()"
}

// Facts are the Pod spec s's hasPolicy, policy and windows variables.
func Facts(s string) []Variable {
	return []Variable{
		{"hasPolicy", Has(s, "securityContext") + " && " + Has(s+".securityContext", "seLinuxChangePolicy")},
		{"policy", "variables.hasPolicy ? string(" + s + ".securityContext.seLinuxChangePolicy) : ''"},
		{"windows", Has(s, "os") + " && " + s + ".os.?name.orValue(null) == 'windows'"},
	}
}

// Refusal says how one Pod's seLinuxChangePolicy is read for Rejected.
type Refusal struct {
	// CPGate is the SELinuxChangePolicy gate, "" where it is locked on.
	CPGate string
	// HasPolicy, Policy, Windows: the Pod's facts; Policy is a string.
	HasPolicy, Policy, Windows string
	// MountGate is the SELinuxMount gate; OldHasPolicy whether the stored Pod (UPDATE) already had a policy.
	MountGate, OldHasPolicy string
}

// Rejected is true when the API server refuses the Pod's seLinuxChangePolicy (SELINUX-005 errors):
// the Pod is never stored, so no kubelet and no controller checks it. Without SELinuxMount the
// API server accepts MountOption only on a Pod that already had a policy.
func Rejected(r Refusal) string {
	cp := ""
	if r.CPGate != "" {
		cp = r.CPGate + " && "
	}
	return cp + r.HasPolicy + " && (" + r.Windows + " || !(" + r.Policy + " in ['Recursive', 'MountOption']) ||\n" +
		"  (" + r.Policy + " == 'MountOption' && !" + r.MountGate + " && !" + r.OldHasPolicy + "))"
}

// Pod says how an engine that checks one Pod (or a workload's Pod template) reads it.
type Pod struct {
	// Spec is the Pod spec: object.spec, or variables.spec where workloads are checked too.
	Spec string
	// MountGate is true when the SELinuxMount gate is on (every claim eligible for the mount option).
	MountGate string
	// ClaimTemplates: the subject may be a StatefulSet, whose claim templates are volumes of its Pods.
	ClaimTemplates bool
	// Refusal reads the Pod's seLinuxChangePolicy.
	Refusal Refusal
	// Silent are the conditions under which no label is checked (||-joined, before rejected).
	Silent []string
}

// migrated are the inline in-tree volume sources the kubelet migrates to CSI (it gives them a PV
// spec): eligible for the mount option as a claim is (policies/cluster/migration.go).
var migrated = []string{"awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "cinder", "vsphereVolume", "portworxVolume"}

// Variables are the per-Pod variables of SELINUX-003 and SELINUX-005 in the order they depend on
// each other: podOptions, containers, labelled, [claimTemplates], volumes, volumeOptions,
// volumeLabels, rejected, multipleLabels.
func Variables(p Pod) []Variable {
	var vs []Variable
	add := func(name, expr string) { vs = append(vs, Variable{name, expr}) }
	add("podOptions", PodOptions(p.Spec)+" != null ? ["+PodOptions(p.Spec)+"] : []")
	add("containers", Containers(p.Spec))
	// Containers whose own options replace the Pod's wholesale, or that inherit the Pod's.
	add("labelled", "variables.containers.filter(c, "+ContainerOptions("c")+" != null || size(variables.podOptions) > 0)")
	volumes := List(p.Spec, "volumes")
	if p.ClaimTemplates {
		// A StatefulSet's claim templates are volumes of its Pods (they replace a volume of that name).
		add("claimTemplates", "object.kind == 'StatefulSet' && "+Has("object.spec", "volumeClaimTemplates")+
			"\n  ? object.spec.volumeClaimTemplates.filter(t, t != null).map(t, string(t.metadata.name)) : []")
		volumes = "(" + volumes + ".filter(v, !(" + Str("v", "name") + " in variables.claimTemplates)) +\n" +
			"  variables.claimTemplates.map(n, dyn({'name': dyn(n), 'persistentVolumeClaim': dyn({'claimName': n})})))"
	}
	// A claim also listed in volumeDevices fails the kubelet's volumeMode check before any SELinux
	// check, and an in-tree volume upstream cannot migrate to CSI (an azureDisk not of kind Managed, an
	// inline vsphereVolume with storagePolicyName, a malformed aws:// volume ID) is never mounted:
	// both left out.
	add("volumes", volumes+"\n"+
		".filter(v, !(("+Has("v", "persistentVolumeClaim")+" || "+Has("v", "ephemeral")+") &&\n"+
		"  variables.containers.exists(c, "+List("c", "volumeDevices")+".exists(d, "+Str("d", "name")+" == "+Str("v", "name")+"))))\n"+
		".filter(v, !("+Has("v", "azureDisk")+" && "+Str("v.azureDisk", "kind")+".lowerAscii() != 'managed') &&\n"+
		"  !("+Has("v", "vsphereVolume")+" && "+Set("v.vsphereVolume", "storagePolicyName")+") &&\n"+
		"  !("+Has("v", "awsElasticBlockStore")+" && "+Str("v.awsElasticBlockStore", "volumeID")+".startsWith('aws://') &&\n"+
		"    !"+Str("v.awsElasticBlockStore", "volumeID")+".matches('^aws://[^/?#]*/+vol-[^/?#]*/*([?#].*)?$')))")
	// Per volume: [[name, "error"|"warning"], the effective options of each volumeMount of it]. A
	// volume backed by a claim, or an inline in-tree volume the kubelet migrates to CSI, is eligible
	// for the mount option under SELinuxMount (error); without it only a ReadWriteOncePod-only volume
	// is, which a Pod shows only for ephemeral claims.
	intree := make([]string, len(migrated))
	for i, f := range migrated {
		intree[i] = Has("v", f)
	}
	add("volumeOptions", "variables.volumes.map(v, [dyn(\n"+
		"  ["+Str("v", "name")+",\n"+
		"    ("+Has("v", "persistentVolumeClaim")+" && "+p.MountGate+") ||\n"+
		"    ("+p.MountGate+" && ("+strings.Join(intree, " ||\n      ")+")) ||\n"+
		"    ("+Has("v", "ephemeral")+" && ("+p.MountGate+" ||\n"+
		"      ("+Has("v.ephemeral", "volumeClaimTemplate")+" && "+Has("v.ephemeral.volumeClaimTemplate", "spec")+" &&\n"+
		"       v.ephemeral.volumeClaimTemplate.spec.?accessModes.orValue(null) == ['ReadWriteOncePod'])))\n"+
		"    ? 'error' : 'warning']),\n"+
		"  dyn(variables.labelled\n"+
		"    .map(c, "+List("c", "volumeMounts")+".filter(m, "+Str("m", "name")+" == "+Str("v", "name")+")\n"+
		"      .map(m, "+ContainerOptions("c")+" != null ? "+ContainerOptions("c")+" : variables.podOptions[0]))\n"+
		"    .flatten())\n"+
		"])")
	// Per volume: [[name, "error"|"warning"], kubelet file labels].
	add("volumeLabels", "variables.volumeOptions.map(e, [e[0], dyn("+KubeletLabels("e[1]")+")])")
	add("rejected", Rejected(p.Refusal))
	silent := strings.Join(append(append([]string{}, p.Silent...), "variables.rejected"), " || ")
	add("multipleLabels", silent+" ? [] : variables.volumeLabels.filter(e, size(e[1]) > 1)")
	return vs
}

// MAP is how map/base/checks-variables.yaml reads the Pod: the admitted Pod itself, SELinuxMount
// from claimsEligible (overlays/v1.36 turns it off), SELinuxChangePolicy locked on (1.36+).
var MAP = Pod{
	Spec:      "object.spec",
	MountGate: "variables.claimsEligible",
	Refusal: Refusal{
		HasPolicy: "variables.hasPolicy", Policy: "variables.policy", Windows: "variables.windows",
		MountGate:    "variables.claimsEligible",
		OldHasPolicy: "(oldObject != null && " + Has("oldObject", "spec") + " && " + Has("oldObject.spec", "securityContext") + " && " + Has("oldObject.spec.securityContext", "seLinuxChangePolicy") + ")",
	},
	Silent: []string{"variables.windows"},
}

// Gatekeeper is how internal/gatekeepergen's templates read the Pod: variables.spec is a Pod's spec
// or a workload's Pod template, the gates come from the constraint's profile parameter.
var Gatekeeper = Pod{
	Spec:           "variables.spec",
	MountGate:      "variables.mountGate",
	ClaimTemplates: true,
	Refusal: Refusal{
		CPGate:    "variables.cpGate",
		HasPolicy: "variables.hasPolicy", Policy: "variables.policy", Windows: "variables.windows",
		MountGate: "variables.mountGate", OldHasPolicy: "variables.oldHasPolicy",
	},
	// Without SELinuxMountReadWriteOncePod the kubelet computes no mount labels at all.
	Silent: []string{"variables.windows", "variables.terminal", "!variables.rwopGate"},
}
