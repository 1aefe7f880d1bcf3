package bundles

import (
	"fmt"
	"strings"

	"github.com/selmount/selmount/e2e/cluster"
)

// ServiceAccountKubeconfig writes to path a kubeconfig for a token of ServiceAccount sa in ns, issued
// by the server's TokenRequest API as a kubelet would mount it: a controller run as a process then
// has its release's permissions, not the admin's.
func (k Kubectl) ServiceAccountKubeconfig(s *cluster.Server, ns, sa, path string) error {
	out, code := k.Run("create", "token", sa, "-n", ns, "--duration=2h")
	if code != 0 {
		return fmt.Errorf("kubectl create token %s -n %s: %s", sa, ns, out)
	}
	_, err := s.WriteKubeconfig(path, strings.TrimSpace(out))
	return err
}
