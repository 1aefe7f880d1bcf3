package live

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/selmount/selmount/policies/cluster"
)

// watchServer is an API server of Pods only (the other kinds empty) that lists and watches: events
// sent on its channel reach the open watch; drop ends the watch as a server or network would.
type watchServer struct {
	mu     sync.Mutex
	pods   map[string]string // name → JSON
	events chan string       // watch lines
	drop   chan struct{}
	lists  int
}

func newWatchServer(t *testing.T) (*watchServer, *Conn) {
	w := &watchServer{pods: map[string]string{}, events: make(chan string, 16), drop: make(chan struct{}, 1)}
	srv := httptest.NewServer(http.HandlerFunc(w.serve))
	t.Cleanup(srv.Close)
	base, _ := url.Parse(srv.URL)
	return w, &Conn{Client: srv.Client(), Base: base, Context: "fake"}
}

func podJSON(name, level string) string {
	return fmt.Sprintf(`{"metadata":{"name":%q,"namespace":"team"},"spec":{"securityContext":{"seLinuxOptions":{"level":%q}},"containers":[{"name":"c"}]}}`, name, level)
}

func (w *watchServer) put(name, level string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pods[name] = podJSON(name, level)
}

func (w *watchServer) serve(rw http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1/pods" {
		fmt.Fprint(rw, `{"metadata":{"resourceVersion":"1"},"items":[]}`)
		return
	}
	if r.URL.Query().Get("watch") != "1" {
		w.mu.Lock()
		w.lists++
		var items []string
		for _, p := range w.pods {
			items = append(items, p)
		}
		w.mu.Unlock()
		fmt.Fprintf(rw, `{"metadata":{"resourceVersion":"7"},"items":[%s]}`, strings.Join(items, ","))
		return
	}
	rw.WriteHeader(http.StatusOK)
	rw.(http.Flusher).Flush()
	for {
		select {
		case line := <-w.events:
			fmt.Fprintln(rw, line)
			rw.(http.Flusher).Flush()
		case <-w.drop:
			return
		case <-r.Context().Done():
			return
		}
	}
}

// eventually polls cond for at most 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func level(s *cluster.State, key string) string {
	p := s.Pod(key)
	if p == nil || p.Model.SELinux == nil {
		return ""
	}
	return p.Model.SELinux.Level
}

// The cache lists, follows events, and after a dropped watch lists again, catching what changed
// while it was not watching; it is not synced before the first list of every kind.
func TestCacheFollowsWatchesAndRecoversFromDrops(t *testing.T) {
	w, conn := newWatchServer(t)
	w.put("a", "s0:c1")
	c := NewCache(conn)
	_, synced := c.Snapshot()
	require.False(t, synced, "not synced before the first list")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	eventually(t, "synced", c.Synced)
	s, _ := c.Snapshot()
	require.Equal(t, "s0:c1", level(s, "team/a"))

	w.events <- `{"type":"ADDED","object":` + podJSON("b", "s0:c2") + `}`
	w.events <- `{"type":"MODIFIED","object":` + podJSON("a", "s0:c3") + `}`
	eventually(t, "events applied", func() bool {
		s, _ := c.Snapshot()
		return level(s, "team/a") == "s0:c3" && level(s, "team/b") == "s0:c2"
	})
	w.events <- `{"type":"DELETED","object":` + podJSON("b", "s0:c2") + `}`
	eventually(t, "delete applied", func() bool { s, _ := c.Snapshot(); return s.Pod("team/b") == nil })

	// While the watch is down, a Pod changes; the relist after the drop must see it.
	w.put("a", "s0:c9")
	w.drop <- struct{}{}
	eventually(t, "relisted after the drop", func() bool {
		s, _ := c.Snapshot()
		return level(s, "team/a") == "s0:c9" && c.Relists()["Pod"] >= 1
	})

	// A watch the server expired (410 in an ERROR event) is followed by a list too.
	before := c.Relists()["Pod"]
	w.events <- `{"type":"ERROR","object":{"kind":"Status","code":410,"message":"too old resource version"}}`
	eventually(t, "relisted after 410", func() bool { return c.Relists()["Pod"] > before })
}

// A snapshot is rebuilt only after a change: the same pointer otherwise, so admissions share it.
func TestSnapshotIsReusedUntilAChange(t *testing.T) {
	w, conn := newWatchServer(t)
	w.put("a", "s0:c1")
	c := NewCache(conn)
	for _, k := range Kinds {
		_, err := c.list(context.Background(), k.Path, k.APIVersion, k.Kind)
		require.NoError(t, err)
	}
	s1, synced := c.Snapshot()
	require.True(t, synced)
	s2, _ := c.Snapshot()
	require.Same(t, s1, s2)
	_, err := c.list(context.Background(), "/api/v1/pods", "v1", "Pod")
	require.NoError(t, err)
	s3, _ := c.Snapshot()
	require.NotSame(t, s1, s3)
}

// The snapshot holds the Pods in creation order, not in the name order of the LIST: the webhook
// replays an admission after them, and the kubelet's first holder of a volume is the oldest Pod.
func TestSnapshotOrdersPodsByCreation(t *testing.T) {
	w, conn := newWatchServer(t)
	w.mu.Lock()
	w.pods["a"] = `{"metadata":{"name":"a","namespace":"team","creationTimestamp":"2025-03-01T12:00:02Z"},"spec":{"containers":[{"name":"c"}]}}`
	w.pods["b"] = `{"metadata":{"name":"b","namespace":"team","creationTimestamp":"2025-03-01T12:00:01Z"},"spec":{"containers":[{"name":"c"}]}}`
	w.pods["c"] = `{"metadata":{"name":"c","namespace":"team","creationTimestamp":"2025-03-01T12:00:01Z"},"spec":{"containers":[{"name":"c"}]}}`
	w.mu.Unlock()
	c := NewCache(conn)
	for _, k := range Kinds {
		_, err := c.list(context.Background(), k.Path, k.APIVersion, k.Kind)
		require.NoError(t, err)
	}
	s, _ := c.Snapshot()
	var got []string
	for i, p := range s.Pods {
		got = append(got, p.Key())
		require.Equal(t, i, s.Position(p.Key()))
	}
	require.Equal(t, []string{"team/b", "team/c", "team/a"}, got)
}
