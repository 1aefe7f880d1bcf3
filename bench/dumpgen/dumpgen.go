// Package dumpgen writes synthetic cluster dumps, shaped like `kubectl get ... -A -o json`, for
// benchmarking selmount at cluster sizes no example covers.
package dumpgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
)

// Config sizes a dump. The same Config always yields the same bytes.
type Config struct {
	Pods int
	Seed uint64
	// PodsPerNamespace and PodsPerNode shape the cluster; zero picks realistic defaults.
	PodsPerNamespace int
	PodsPerNode      int
}

// Drivers of every dump: two that mount with -o context and one that does not, so that both code
// paths of the model are exercised.
var drivers = []struct {
	name         string
	seLinuxMount *bool
}{
	{"nfs.csi.bench.example", ptr(true)},
	{"cephfs.csi.bench.example", ptr(true)},
	{"smb.csi.bench.example", nil},
}

// Write streams the dump as one JSON List. Items come in kubectl's order for that command: pods,
// claims, volumes, CSI drivers, storage classes, namespaces.
func Write(w io.Writer, cfg Config) error {
	if cfg.Pods < 0 {
		return fmt.Errorf("dumpgen: negative pod count %d", cfg.Pods)
	}
	if cfg.PodsPerNamespace <= 0 {
		cfg.PodsPerNamespace = 500
	}
	if cfg.PodsPerNode <= 0 {
		cfg.PodsPerNode = 30
	}
	g := newGenerator(cfg)
	plan := g.plan()
	lw := &listWriter{w: bufio.NewWriterSize(w, 1<<20)}
	lw.open()
	for i := range plan.pods {
		lw.item(g.pod(&plan.pods[i]))
	}
	for i := range plan.groups {
		lw.item(g.claim(&plan.groups[i]))
	}
	for i := range plan.groups {
		lw.item(g.volume(&plan.groups[i]))
	}
	for _, d := range drivers {
		lw.item(csiDriver(d.name, d.seLinuxMount))
	}
	for _, d := range drivers {
		lw.item(storageClass(d.name))
	}
	for i := 0; i < plan.namespaces; i++ {
		lw.item(g.namespace(i))
	}
	return lw.close()
}

// listWriter writes {"apiVersion":"v1","items":[...],"kind":"List",...} one item at a time, so
// that a 100k-pod dump never sits in memory twice.
type listWriter struct {
	w   *bufio.Writer
	n   int
	err error
}

func (l *listWriter) open() {
	_, l.err = l.w.WriteString(`{"apiVersion":"v1","items":[`)
}

func (l *listWriter) item(v any) {
	if l.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		l.err = err
		return
	}
	sep := "\n"
	if l.n > 0 {
		sep = ",\n"
	}
	if _, err := l.w.WriteString(sep); err != nil {
		l.err = err
		return
	}
	l.n++
	_, l.err = l.w.Write(b)
}

func (l *listWriter) close() error {
	if l.err != nil {
		return l.err
	}
	if _, err := l.w.WriteString("\n],\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}}\n"); err != nil {
		return err
	}
	return l.w.Flush()
}

func ptr[T any](v T) *T { return &v }

// generator holds the seeded source; every random choice goes through it, in a fixed order.
type generator struct {
	cfg Config
	rng *rand.Rand
}

func newGenerator(cfg Config) *generator {
	return &generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x5e1a0c7))}
}

func (g *generator) uid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xfff, (b>>48)&0x3fff|0x8000, b&0xffffffffffff)
}
