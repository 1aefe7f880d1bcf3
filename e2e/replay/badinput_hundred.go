package replay

import (
	"context"
	"fmt"
	"strings"
)

// hundredContainers is the size of the largest Pod sent: one container per level, all on one claim.
const hundredContainers = 100

const hundredNamespace = "selmount-e2e-hundred"

// hundredLevels sends one Pod with 100 containers, each with its own SELinux level (MCS pairs of
// three digits, as container runtimes assign them), all mounting one claim. It checks that the
// policies' CEL stays within the API server's runtime cost budget: with failurePolicy Ignore an
// evaluation over budget would admit silently, with neither the rule in the warnings nor the
// `evaluated` audit annotation, so the comparison with the model shows it.
func hundredLevels(ctx context.Context, c *Clients, version, bundle string, denies bool) ([]BadInput, error) {
	sc, err := scenarioOf("hundred-levels-one-claim", "v"+version, hundredLevelsDocs())
	if err != nil {
		return nil, err
	}
	from := logSize(c.ServerLog)
	res, err := c.Scenario(ctx, sc, version, bundle, denies)
	if err != nil {
		return nil, err
	}
	if len(res.Pods) != 1 {
		return nil, fmt.Errorf("%s: %d Pod admissions compared, want 1 (refused: %v)", sc.Name, len(res.Pods), res.Refused)
	}
	p := res.Pods[0]
	req := fmt.Sprintf("CREATE of a Pod with %d containers, levels s0:c100,c600 … s0:c199,c699, all mounting claim `data`", hundredContainers)
	row := fromPod(sc.Name, version, bundle, req, p)
	row.Expected += "; within the CEL cost budget"
	for _, o := range res.Refused {
		row.Differences = append(row.Differences, "refused: "+o)
	}
	for _, t := range p.Texts {
		if strings.Contains(t, "cost") || strings.Contains(t, "budget") {
			row.Differences = append(row.Differences, "CEL cost limit: "+t)
		}
	}
	if unread := unreadMessages(p.Texts); len(unread) > 0 {
		why, err := whyReplaced(c.ServerLog, from)
		if err != nil {
			return nil, err
		}
		row.Differences = append(append(row.Differences, unread...), why...)
	}
	return []BadInput{row}, nil
}

func hundredLevelsDocs() string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: v1
kind: Namespace
metadata:
  name: %[1]s
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: %[1]s
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: hundred
  namespace: %[1]s
spec:
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
  containers:
`, hundredNamespace)
	for i := 0; i < hundredContainers; i++ {
		fmt.Fprintf(&b, `  - name: c%03d
    image: registry.example/app:1.0
    securityContext:
      seLinuxOptions:
        level: "s0:c%d,c%d"
    volumeMounts:
    - name: data
      mountPath: /data
`, i, 100+i, 600+i)
	}
	return b.String()
}
