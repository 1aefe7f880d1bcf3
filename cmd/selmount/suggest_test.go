package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies"
)

func side(ns, name, value string) policies.ConflictSide {
	return policies.ConflictSide{Namespace: ns, Name: name, Value: value}
}

func record(rule, property string, pod, other policies.ConflictSide) policies.ConflictRecord {
	return policies.ConflictRecord{Rule: rule, Property: property, Volume: "vol", Pod: pod, OtherPod: other}
}

func TestPairConflictsFoldsDirectionsAndProperties(t *testing.T) {
	app, backup := side("shop", "web", ":::s0:c1,c2"), side("shop", "backup", "")
	appP, backupP := side("shop", "web", "MountOption"), side("shop", "backup", "Recursive")
	pairs := pairConflicts([]policies.ConflictRecord{
		record("SELINUX-002", "SELinuxChangePolicy", backupP, appP),
		record("SELINUX-001", "SELinuxLabel", backup, app),
		record("SELINUX-002", "SELinuxChangePolicy", appP, backupP),
		record("SELINUX-001", "SELinuxLabel", app, backup),
	})
	require.Len(t, pairs, 1)
	p := pairs[0]
	assert.Equal(t, "shop/backup", sideKey(p.a))
	assert.Equal(t, [2]string{"Recursive", "MountOption"}, *p.policy)
	assert.Equal(t, [2]string{"", ":::s0:c1,c2"}, *p.label)
	assert.Equal(t, `label namespace shop with selmount.io/change-policy=Recursive to opt out (or set seLinuxChangePolicy: Recursive on shop/web), or give shop/backup seLinuxOptions.level "s0:c1,c2" like shop/web`, p.suggestion(noOptOut))
}

func TestSuggestionPolicyWithoutLevel(t *testing.T) {
	p := &pairConflict{a: side("a", "x", ""), b: side("a", "y", ""), policy: &[2]string{"MountOption", "Recursive"}}
	assert.Equal(t, "label namespace a with selmount.io/change-policy=Recursive to opt out (or set seLinuxChangePolicy: Recursive on a/x), or give a/y the same seLinuxOptions as a/x", p.suggestion(noOptOut))
}

func TestSuggestionLabelOnlyAcrossNamespaces(t *testing.T) {
	p := &pairConflict{a: side("audit", "e", ""), b: side("finance", "d", ""), label: &[2]string{":::s0:c3,c4", "system_u:system_r:container_t:s0:c1,c2"}}
	// Each pod gets its own line, naming neither the other pod nor its namespace or level.
	assert.Equal(t, []string{
		`for audit/e: label namespace audit with selmount.io/change-policy=Recursive to opt out, or align its seLinuxOptions.level ("s0:c3,c4") with a pod in another namespace that uses the volume`,
		`for finance/d: label namespace finance with selmount.io/change-policy=Recursive to opt out, or align its seLinuxOptions.level ("s0:c1,c2") with a pod in another namespace that uses the volume`,
	}, p.suggestions(noOptOut))
}

func TestSuggestionPolicyAcrossNamespaces(t *testing.T) {
	p := &pairConflict{a: side("a", "x", ""), b: side("b", "y", ""), policy: &[2]string{"MountOption", "Recursive"}}
	assert.Equal(t, []string{
		"for a/x: label namespace a with selmount.io/change-policy=Recursive to opt out (or set seLinuxChangePolicy: Recursive on a/x), because a pod in another namespace uses the volume with Recursive",
		"for b/y: it relabels recursively while a pod in another namespace mounts the volume with -o context; give it the same seLinuxOptions as that pod, or let that pod's namespace opt out",
	}, p.suggestions(noOptOut))
}

func noOptOut(string) (string, bool) { return "", false }

func TestSuggestionRespectsExistingOptOut(t *testing.T) {
	labels := map[string]string{"legacy": "Recursive", "intranet": "recursive"}
	lookup := func(ns string) (string, bool) { v, ok := labels[ns]; return v, ok }
	p := &pairConflict{a: side("legacy", "a", ""), b: side("legacy", "b", ""), label: &[2]string{":::s0:c1,c2", ":::s0:c3,c4"}}
	assert.Equal(t, `namespace legacy already opts out: recreate its Pods (roll out their workloads) so that admission sets seLinuxChangePolicy: Recursive, or align seLinuxOptions.level of legacy/a and legacy/b ("s0:c1,c2" vs "s0:c3,c4")`, p.suggestion(lookup))

	p = &pairConflict{a: side("intranet", "a", ""), b: side("intranet", "b", ""), label: &[2]string{":::s0:c1,c2", ":::s0:c3,c4"}}
	assert.Equal(t, `change namespace intranet's label selmount.io/change-policy="recursive" to Recursive to opt out, or align seLinuxOptions.level of intranet/a and intranet/b ("s0:c1,c2" vs "s0:c3,c4")`, p.suggestion(lookup))
}

func TestLabelLevel(t *testing.T) {
	assert.Equal(t, "s0:c1,c2", labelLevel(":::s0:c1,c2"))
	assert.Equal(t, "s0:c1,c2:extra", labelLevel("u:r:t:s0:c1,c2:extra"))
	assert.Equal(t, "", labelLevel("::spc_t:"))
	assert.Equal(t, "", labelLevel(""))
	assert.Equal(t, "no level", quoteLevel("::spc_t:"))
}
