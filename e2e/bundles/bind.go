package bundles

import (
	"encoding/json"
	"fmt"
)

// BindClaims does what the PV controller (not running in these tests) would: each claim that names a
// volume gets that volume's claimRef pointed at its uid and both the phase Bound, so that the model
// resolves it as a live cluster's claim. It returns how many claims it bound.
func (k Kubectl) BindClaims() (int, error) {
	out, code := k.Run("get", "persistentvolumeclaims", "-A", "-o", "json")
	if code != 0 {
		return 0, fmt.Errorf("kubectl get pvc: %s", out)
	}
	var claims struct {
		Items []struct {
			Metadata struct{ Name, Namespace, UID string }
			Spec     struct {
				VolumeName string `json:"volumeName"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &claims); err != nil {
		return 0, err
	}
	bound := 0
	for _, c := range claims.Items {
		if c.Spec.VolumeName == "" {
			continue
		}
		ref := `{"spec":{"claimRef":{"namespace":"` + c.Metadata.Namespace + `","name":"` + c.Metadata.Name + `","uid":"` + c.Metadata.UID + `"}}}`
		for _, args := range [][]string{
			{"patch", "persistentvolume", c.Spec.VolumeName, "--type=merge", "-p", ref},
			{"patch", "persistentvolume", c.Spec.VolumeName, "--subresource=status", "--type=merge", "-p", `{"status":{"phase":"Bound"}}`},
			{"patch", "persistentvolumeclaim", c.Metadata.Name, "-n", c.Metadata.Namespace, "--subresource=status", "--type=merge", "-p", `{"status":{"phase":"Bound"}}`},
		} {
			if out, code := k.Run(args...); code != 0 {
				return bound, fmt.Errorf("kubectl %v: %s", args, out)
			}
		}
		bound++
	}
	return bound, nil
}
