package cluster

import (
	"os"
	"slices"
	"testing"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"
	"sigs.k8s.io/yaml"
)

// TestAuditPolicyLogsPodWrites reads the written policy as the API server's own type: Pod and
// ephemeral-container writes at Metadata (annotations included), the rest not at all.
func TestAuditPolicyLogsPodWrites(t *testing.T) {
	a, err := WriteAuditPolicy(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(a.PolicyFile)
	if err != nil {
		t.Fatal(err)
	}
	var p auditv1.Policy
	if err := yaml.UnmarshalStrict(data, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 2 || p.Rules[0].Level != auditv1.LevelMetadata || p.Rules[1].Level != auditv1.LevelNone {
		t.Fatalf("want Metadata for Pod writes then None: %+v", p.Rules)
	}
	r := p.Rules[0]
	if len(r.Resources) != 1 || !slices.Equal(r.Resources[0].Resources, []string{"pods", "pods/ephemeralcontainers"}) {
		t.Errorf("resources: %+v", r.Resources)
	}
	if !slices.Equal(r.Verbs, []string{"create", "update", "patch"}) {
		t.Errorf("verbs: %v", r.Verbs)
	}
	if !slices.Contains(p.OmitStages, auditv1.StageRequestReceived) {
		t.Errorf("RequestReceived (before admission, no annotations) is logged: %v", p.OmitStages)
	}
}
