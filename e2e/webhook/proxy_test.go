package webhook

import (
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
)

// partition is a TCP proxy on loopback between the webhook and the API server that can be cut:
// every connection through it closed (the watches drop) and new ones refused, until restored.
type partition struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	up    bool
	conns map[net.Conn]bool
}

func newPartition(t *testing.T, target string, up bool) *partition {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &partition{ln: ln, target: target, up: up, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *partition) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		go p.pipe(c)
	}
}

func (p *partition) pipe(c net.Conn) {
	p.mu.Lock()
	up := p.up
	p.mu.Unlock()
	if !up {
		c.Close()
		return
	}
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(c, s) {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(s, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, s); done <- struct{}{} }()
	<-done
	c.Close()
	s.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, s)
	p.mu.Unlock()
}

// track records a pair of connections, unless the partition was cut meanwhile.
func (p *partition) track(c, s net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.up {
		c.Close()
		s.Close()
		return false
	}
	p.conns[c], p.conns[s] = true, true
	return true
}

func (p *partition) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = false
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *partition) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = true
}

// kubeconfigThrough rewrites the kubeconfig at path to reach serverURL's API server through p.
func (p *partition) kubeconfigThrough(t *testing.T, path, serverURL string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	through := strings.Replace(string(data), "server: "+serverURL, "server: https://"+p.ln.Addr().String(), 1)
	if through == string(data) {
		t.Fatalf("%s does not name the server %s", path, serverURL)
	}
	out := path + ".partition"
	if err := os.WriteFile(out, []byte(through), 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}
