package oracle

import (
	"fmt"
	"strings"
	"sync"

	v1 "k8s.io/api/core/v1"

	volumeutil "k8s.io/kubernetes/pkg/volume/util"
)

// nodeTranslator turns container SELinux options into the file label a real SELinux node gives the
// volume, as go-selinux's label.InitLabels does on Fedora/RHEL with the container-selinux policy
// (spec Decision 4): the file context is the node default system_u:object_r:container_file_t; the
// options' user and level replace the default ones; role and type only concern the process. Options
// with nothing set (nil or {}) give "" (no mount option). Options that set user, role or type but no
// level get a FRESH level, as InitLabels allocates a new unique MCS pair for every call. Upstream's own
// translators do not fit: the real one returns "" on a host without SELinux, and the fake one keeps
// role and type and always invents the same level.
//
// Fresh levels are drawn from a counter in c1024+ (outside the c0-c1023 range real levels use), so a
// replay is reproducible and a fresh level can never equal a level written in a manifest; findings
// show them as FreshLevel.
type nodeTranslator struct {
	mu   sync.Mutex
	next int
}

// FreshLevel stands for a level the kubelet allocates at random, in finding values.
const FreshLevel = "<random level>"

var _ volumeutil.SELinuxLabelTranslator = &nodeTranslator{}

func (t *nodeTranslator) SELinuxEnabled() bool { return true }

func (t *nodeTranslator) SELinuxOptionsToFileLabel(opts *v1.SELinuxOptions) (string, error) {
	if opts == nil || (opts.User == "" && opts.Role == "" && opts.Type == "" && opts.Level == "") {
		return "", nil
	}
	user := "system_u"
	if opts.User != "" {
		user = opts.User
	}
	level := opts.Level
	if level == "" {
		t.mu.Lock()
		level = fmt.Sprintf("s0:c%d,c%d", 1024+2*t.next, 1025+2*t.next)
		t.next++
		t.mu.Unlock()
	}
	return user + ":object_r:container_file_t:" + level, nil
}

// showLabel replaces a fresh level by FreshLevel, so that findings compare across replays.
func showLabel(label string) string {
	parts := strings.SplitN(label, ":", 4)
	if len(parts) == 4 {
		var a, b int
		if n, _ := fmt.Sscanf(parts[3], "s0:c%d,c%d", &a, &b); n == 2 && a >= 1024 && b == a+1 && a%2 == 0 {
			return strings.Join(parts[:3], ":") + ":" + FreshLevel
		}
	}
	return label
}
