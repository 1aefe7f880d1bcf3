package harness

import (
	"fmt"

	"github.com/selmount/selmount/policies/gates"
)

// RegressionSeeds are generated clusters, beyond the seeds a test run replays, on which the upstream
// oracle's 100,002-cluster sweep found the model wrong (a Pod refused on both of its pod volumes on
// one volume). Every check of generated clusters replays them too, under every profile, so the fix
// stays fixed in the model and in every engine; add a seed when a large sweep finds another bug.
var RegressionSeeds = []uint64{4366, 5732, 21468, 25330, 31447}

// Regressions are the clusters of RegressionSeeds, one per seed and profile.
func Regressions() []*Scenario {
	var out []*Scenario
	for _, seed := range RegressionSeeds {
		for _, name := range gates.Names() {
			profile, _ := gates.Parse(name)
			sc := Generate(seed, GenOptions{MaxPods: 12})
			sc.Profile = profile
			sc.Name = fmt.Sprintf("regression-%d/%s", seed, name)
			out = append(out, sc)
		}
	}
	return out
}
