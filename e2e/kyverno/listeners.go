package kyverno

import (
	"fmt"
	"os/exec"
	"strings"
)

// Listeners are the local addresses of the TCP sockets process pid listens on, from `ss -Hltnp`.
func Listeners(pid int) ([]string, error) {
	out, err := exec.Command("ss", "-Hltnp").Output()
	if err != nil {
		return nil, fmt.Errorf("ss -Hltnp: %v", err)
	}
	return listenersOf(string(out), pid), nil
}

// listenersOf reads ss's lines: State Recv-Q Send-Q Local Peer Process, Process naming pid=N.
func listenersOf(ss string, pid int) []string {
	var out []string
	tag := fmt.Sprintf("pid=%d,", pid)
	for _, line := range strings.Split(ss, "\n") {
		f := strings.Fields(line)
		if len(f) >= 6 && strings.Contains(line, tag) {
			out = append(out, f[3])
		}
	}
	return out
}

// OffLoopbackListeners are the addresses among ls that accept connections from elsewhere than 127.0.0.1.
func OffLoopbackListeners(ls []string) []string {
	var out []string
	for _, l := range ls {
		if !strings.HasPrefix(l, "127.0.0.1:") {
			out = append(out, l)
		}
	}
	return out
}
