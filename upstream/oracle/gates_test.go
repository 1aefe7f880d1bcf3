package oracle

import (
	"testing"

	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/kubernetes/pkg/features"

	"github.com/selmount/selmount/policies/gates"
)

func TestWithProfileSetsGatesAndRestores(t *testing.T) {
	for _, name := range gates.Names() {
		p, _ := gates.Parse(name)
		err := withProfile(p, func() error {
			g := utilfeature.DefaultFeatureGate
			if g.Enabled(features.SELinuxMountReadWriteOncePod) != p.RWOP || g.Enabled(features.SELinuxChangePolicy) != p.CP || g.Enabled(features.SELinuxMount) != p.Mount {
				t.Errorf("%s: gates not as the profile says", name)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if !utilfeature.DefaultFeatureGate.Enabled(features.SELinuxMount) {
		t.Errorf("gates not restored after the replays")
	}
}

// The model refuses exactly the overrides upstream refuses: a gate locked in that release.
func TestLockedGateOverrideIsRefused(t *testing.T) {
	for _, p := range []gates.Profile{
		{Name: "v1.37,SELinuxMountReadWriteOncePod=false", RWOP: false, CP: true, Mount: true},
		{Name: "v1.36,SELinuxChangePolicy=false", RWOP: true, CP: false},
	} {
		if _, err := gates.Parse(p.Name); err == nil {
			t.Errorf("%s: the model accepts a locked gate override", p.Name)
		}
		if err := ProfileAccepted(p); err == nil {
			t.Errorf("%s: upstream accepted a locked gate override", p.Name)
		}
	}
	for _, spec := range []string{"v1.37,SELinuxMount=false", "v1.36,SELinuxMount=true", "v1.35,SELinuxChangePolicy=false", "v1.35,SELinuxMountReadWriteOncePod=false"} {
		p, err := gates.Parse(spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if err := ProfileAccepted(p); err != nil {
			t.Errorf("%s: %v", spec, err)
		}
	}
}
