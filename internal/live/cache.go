package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/selmount/selmount/policies/cluster"
)

// Cache keeps the kinds a scan reads in memory, listed then watched as an informer does, so that an
// admission is answered from memory with no API call. A watch that ends (the server closed it, the
// network dropped, a 410 Gone) is followed by a fresh list, after a bounded backoff.
type Cache struct {
	conn *Conn
	// page bounds each LIST, as Read's.
	page int64

	mu      sync.Mutex
	objects map[string]map[string]cluster.Object // kind → namespace/name → object
	synced  map[string]bool
	changes uint64
	snap    *cluster.State
	snapAt  uint64
	// Relists counts lists after the first, per kind: a watch that ended and was recovered.
	relists map[string]int
}

// NewCache is a cache of the cluster conn reaches; Run fills it.
func NewCache(conn *Conn) *Cache {
	return &Cache{conn: conn, page: DefaultPageSize, objects: map[string]map[string]cluster.Object{},
		synced: map[string]bool{}, relists: map[string]int{}}
}

// backoff bounds the wait between a failed list or an ended watch and the next list.
const (
	minBackoff = 200 * time.Millisecond
	maxBackoff = 30 * time.Second
)

// Run lists and watches every kind until ctx ends.
func (c *Cache) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, k := range Kinds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.follow(ctx, k.Path, k.APIVersion, k.Kind)
		}()
	}
	wg.Wait()
}

func (c *Cache) follow(ctx context.Context, path, apiVersion, kind string) {
	wait := minBackoff
	for lists := 0; ctx.Err() == nil; lists++ {
		rv, err := c.list(ctx, path, apiVersion, kind)
		if err == nil {
			if lists > 0 {
				c.mu.Lock()
				c.relists[kind]++
				c.mu.Unlock()
			}
			wait = minBackoff
			err = c.watch(ctx, path, apiVersion, kind, rv)
		}
		if ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		if err != nil {
			wait = min(2*wait, maxBackoff)
		}
	}
}

// list replaces one kind's objects with a fresh LIST and returns its resourceVersion.
func (c *Cache) list(ctx context.Context, path, apiVersion, kind string) (string, error) {
	l := &lister{ctx: ctx, client: c.conn.Client, base: c.conn.Base, opts: Options{PageSize: c.page}, source: Source(c.conn.Context)}
	fresh := map[string]cluster.Object{}
	rv, cont := "", ""
	for {
		p, err := l.get(path, cont)
		if err != nil {
			return "", err
		}
		for _, it := range p.Items {
			o, err := decodeItem(Source(c.conn.Context), apiVersion, kind, it)
			if err != nil {
				return "", err
			}
			fresh[o.Namespace+"/"+o.Name] = o
		}
		rv = p.Metadata.ResourceVersion
		if p.Metadata.Continue == "" {
			break
		}
		cont = p.Metadata.Continue
	}
	c.mu.Lock()
	c.objects[kind], c.synced[kind] = fresh, true
	c.changes++
	c.mu.Unlock()
	return rv, nil
}

// event is one line of a watch stream.
type event struct {
	Type   string          `json:"type"`
	Object json.RawMessage `json:"object"`
}

// errGone is a watch whose resourceVersion the server no longer has: list again.
var errGone = errors.New("watch expired (410 Gone)")

// watch applies one kind's events from rv until the stream ends.
func (c *Cache) watch(ctx context.Context, path, apiVersion, kind, rv string) error {
	u := c.conn.Base.JoinPath(path)
	u.RawQuery = url.Values{"watch": {"1"}, "resourceVersion": {rv}, "allowWatchBookmarks": {"true"},
		"timeoutSeconds": {"300"}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.conn.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusGone {
		return errGone
	}
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return fmt.Errorf("watch %ss: %s: %s", kind, resp.Status, statusMessage(data))
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, 1<<40))
	for {
		var ev event
		if err := dec.Decode(&ev); err != nil {
			return err // io.EOF when the server ends the watch: list again
		}
		switch ev.Type {
		case "ADDED", "MODIFIED", "DELETED":
			o, err := decodeItem(Source(c.conn.Context), apiVersion, kind, ev.Object)
			if err != nil {
				return err
			}
			c.mu.Lock()
			if ev.Type == "DELETED" {
				delete(c.objects[kind], o.Namespace+"/"+o.Name)
			} else {
				c.objects[kind][o.Namespace+"/"+o.Name] = o
			}
			c.changes++
			c.mu.Unlock()
		case "ERROR":
			if bytes.Contains(ev.Object, []byte(`"code":410`)) {
				return errGone
			}
			return fmt.Errorf("watch %ss: %s", kind, statusMessage(ev.Object))
		}
	}
}

// decodeItem decodes one object of a LIST or watch, giving it the apiVersion and kind items lack.
func decodeItem(source, apiVersion, kind string, item json.RawMessage) (cluster.Object, error) {
	var b bytes.Buffer
	if err := writeItem(&b, apiVersion, kind, item); err != nil {
		return cluster.Object{}, fmt.Errorf("%s: %ss: %w", source, kind, err)
	}
	objs, err := cluster.DecodeScan(source, b.Bytes())
	if err != nil {
		return cluster.Object{}, err
	}
	if len(objs) != 1 {
		return cluster.Object{}, fmt.Errorf("%s: %ss: an item decoded to %d objects", source, kind, len(objs))
	}
	return objs[0], nil
}

// Synced tells whether every kind has been listed once.
func (c *Cache) Synced() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.synced) == len(Kinds)
}

// Relists is how many times each kind was listed again after its watch ended.
func (c *Cache) Relists() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, n := range c.relists {
		out[k] = n
	}
	return out
}

// Snapshot is the cluster as last seen, and whether every kind was listed. Objects are applied in
// the order of a dump (kinds as Kinds lists them, objects by namespace and name, as the API server
// lists them), then the Pods and workloads put in creation order, as cluster.Build does for a scan:
// the map's order, or a LIST's, is not the order Pods came in. It is rebuilt only after a change and
// must not be modified.
func (c *Cache) Snapshot() (*cluster.State, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	synced := len(c.synced) == len(Kinds)
	if c.snap != nil && c.snapAt == c.changes {
		return c.snap, synced
	}
	s := cluster.NewState()
	for _, k := range Kinds {
		keys := make([]string, 0, len(c.objects[k.Kind]))
		for key := range c.objects[k.Kind] {
			keys = append(keys, key)
		}
		slices.Sort(keys)
		for _, key := range keys {
			o := c.objects[k.Kind][key]
			s.Apply(&o)
		}
	}
	s.OrderByCreation()
	c.snap, c.snapAt = s, c.changes
	return s, synced
}
