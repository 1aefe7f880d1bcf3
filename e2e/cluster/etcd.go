// Package cluster starts what a real Kubernetes control plane needs for admission tests: an embedded
// etcd and a kube-apiserver process, both on loopback, both stopped by the test that started them.
package cluster

import (
	"fmt"
	"net"
	"net/url"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// TB is the part of testing.TB the cluster needs; tests pass *testing.T.
type TB interface {
	Helper()
	TempDir() string
	Cleanup(func())
	Logf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// etcdStartTimeout bounds etcd's first election; on a loaded 2-core machine it takes a few seconds.
const etcdStartTimeout = 60 * time.Second

// StartEtcd runs a single-member etcd in process, in a temporary directory, on loopback ports, and
// returns its client URL. It stops when the test ends.
func StartEtcd(t TB) string {
	t.Helper()
	cfg := embed.NewConfig()
	cfg.Name = "selmount-e2e"
	cfg.Dir = t.TempDir()
	cfg.LogLevel = "error"
	client, peer := loopbackURL(t), loopbackURL(t)
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Fatalf("etcd: %v", err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		t.Fatalf("etcd: %v", err)
	case <-time.After(etcdStartTimeout):
		t.Fatalf("etcd not ready after %s", etcdStartTimeout)
	}
	return client.String()
}

// loopbackURL reserves a free loopback port. The port is released before the server binds it, a
// window another process could use; the servers then fail loudly rather than reach elsewhere.
func loopbackURL(t TB) url.URL {
	t.Helper()
	return url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", FreePort(t))}
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort(t TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
