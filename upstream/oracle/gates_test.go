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

func TestLockedGateOverrideIsRefused(t *testing.T) {
	for _, spec := range []string{"v1.37,SELinuxMountReadWriteOncePod=false", "v1.36,SELinuxChangePolicy=false"} {
		p, err := gates.Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		if err := ProfileAccepted(p); err == nil {
			t.Errorf("%s: upstream accepted a locked gate override", spec)
		}
	}
	for _, spec := range []string{"v1.37,SELinuxMount=false", "v1.36,SELinuxMount=true", "v1.35,SELinuxChangePolicy=false"} {
		p, _ := gates.Parse(spec)
		if err := ProfileAccepted(p); err != nil {
			t.Errorf("%s: %v", spec, err)
		}
	}
}
