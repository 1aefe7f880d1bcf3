package oracle

import (
	"strings"
	"testing"
)

func TestControllerReportsBothDirectionsWithEvents(t *testing.T) {
	res := replayYAML(t, "v1.37", sharedClaim+podYAML("p1", "n1", "{level: 's0:c1,c2'}", oneContainer)+podYAML("p2", "n2", "{level: 's0:c3,c4'}", oneContainer))
	cs := res.Controller.Conflicts
	if len(cs) != 2 {
		t.Fatalf("want 2 directed conflicts, got %+v", cs)
	}
	for _, c := range cs {
		if c.Volume != "kubernetes.io/csi/d.example.com^h1" || c.Property != "SELinuxLabel" || len(c.EventMessages) != 1 {
			t.Errorf("unexpected conflict %+v", c)
		}
		if c.Pod == "a/p2" && (c.Value != ":::s0:c3,c4" || !strings.Contains(c.EventMessages[0], "conflicts with pod p1")) {
			t.Errorf("unexpected conflict %+v", c)
		}
	}
}

func TestControllerNotStartedWithoutChangePolicyGate(t *testing.T) {
	res := replayYAML(t, "v1.35,SELinuxChangePolicy=false", sharedClaim+podYAML("p1", "n1", "{level: 's0:c1,c2'}", oneContainer)+podYAML("p2", "n2", "{level: 's0:c3,c4'}", oneContainer))
	if len(res.Controller.Conflicts) != 0 {
		t.Errorf("KCM does not start the controller with SELinuxChangePolicy off, got %+v", res.Controller.Conflicts)
	}
}
