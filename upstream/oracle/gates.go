package oracle

import (
	"fmt"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/util/version"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/component-base/featuregate"
	featuregatetesting "k8s.io/component-base/featuregate/testing"
	"k8s.io/kubernetes/pkg/features"

	"github.com/selmount/selmount/policies/gates"
)

// gateMu serialises replays: feature gates are process-wide in upstream.
var gateMu sync.Mutex

// withProfile runs f with upstream's feature gates set as a cluster of that profile has them: the
// emulation version of the release, then each SELinux gate the profile sets differently from that
// release's default. A gate that is locked in that release cannot be overridden (upstream components
// refuse to start): that is returned as an error and f does not run.
func withProfile(p gates.Profile, f func() error) error {
	gateMu.Lock()
	defer gateMu.Unlock()
	release, _, _ := strings.Cut(p.Name, ",")
	s := &scope{name: "oracle " + p.Name}
	defer s.close()
	gate := utilfeature.DefaultFeatureGate
	if err := s.run(func() {
		featuregatetesting.SetFeatureGateEmulationVersionDuringTest(s, gate, version.MustParse(strings.TrimPrefix(release, "v")))
	}); err != nil {
		return fmt.Errorf("profile %s: emulation version: %v", p.Name, err)
	}
	want := map[featuregate.Feature]bool{
		features.SELinuxMountReadWriteOncePod: p.RWOP,
		features.SELinuxChangePolicy:          p.CP,
		features.SELinuxMount:                 p.Mount,
	}
	for _, name := range []featuregate.Feature{features.SELinuxMountReadWriteOncePod, features.SELinuxChangePolicy, features.SELinuxMount} {
		if gate.Enabled(name) == want[name] {
			continue
		}
		if err := s.run(func() { featuregatetesting.SetFeatureGateDuringTest(s, gate, name, want[name]) }); err != nil {
			return fmt.Errorf("profile %s: upstream refuses %s=%t: %v", p.Name, name, want[name], err)
		}
	}
	return f()
}

// ProfileAccepted tells whether upstream v1.37.2 starts with the profile's gates.
func ProfileAccepted(p gates.Profile) error {
	return withProfile(p, func() error { return nil })
}
