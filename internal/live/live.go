// Package live reads what selmount audits from a running cluster: Namespaces, Pods, claims, volumes,
// StorageClasses and CSIDrivers, as `kubectl get … -A -o json` would dump them, with paged LISTs so
// that a big cluster is read in pieces the API server can serve. Only list is used
// (kubectl-plugin/rbac.yaml is the ClusterRole). It speaks plain HTTP to the API server through
// client-go's transport (kubeconfig, auth plugins, TLS) without the typed clients, which would double
// the binary's size.
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
	"path"
	"slices"
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/selmount/selmount/policies/cluster"
)

// DefaultPageSize is the LIST page: kubectl's own default chunk size.
const DefaultPageSize = 500

// maxPageBytes bounds one response, so that a misbehaving server cannot exhaust memory.
const maxPageBytes = 256 << 20

// Options says which cluster to read and how.
type Options struct {
	// Kubeconfig is a kubeconfig path; "" follows KUBECONFIG and ~/.kube/config as kubectl does.
	Kubeconfig string
	// Context is a kubeconfig context; "" is the current one.
	Context  string
	PageSize int64
	// Progress receives a line per page of a kind with more than one page, for big clusters.
	Progress io.Writer
	// InCluster uses the Pod's service account when no kubeconfig or context is given (the webhook).
	InCluster bool
}

// Source is the name the objects carry in messages: the context they were read through.
func Source(contextName string) string { return "<cluster " + contextName + ">" }

// Kinds are what a scan reads, in the order of a dump: the collection path and the item kind.
var Kinds = []struct{ Path, APIVersion, Kind string }{
	{"/api/v1/namespaces", "v1", "Namespace"},
	{"/api/v1/pods", "v1", "Pod"},
	{"/api/v1/persistentvolumeclaims", "v1", "PersistentVolumeClaim"},
	{"/api/v1/persistentvolumes", "v1", "PersistentVolume"},
	{"/apis/storage.k8s.io/v1/storageclasses", "storage.k8s.io/v1", "StorageClass"},
	{"/apis/storage.k8s.io/v1/csidrivers", "storage.k8s.io/v1", "CSIDriver"},
}

// Resources are the Kinds as RBAC names them, "group/resource" ("" for the core group), sorted: what a
// ClusterRole for reading a cluster must grant.
func Resources() []string {
	var out []string
	for _, k := range Kinds {
		group := ""
		if rest, ok := strings.CutPrefix(k.Path, "/apis/"); ok {
			group, _, _ = strings.Cut(rest, "/")
		}
		out = append(out, group+"/"+path.Base(k.Path))
	}
	slices.Sort(out)
	return out
}

// Granted are the "group/resource" pairs rules grant verbs on, sorted.
func Granted(rules []rbacv1.PolicyRule) []string {
	var out []string
	for _, r := range rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				out = append(out, g+"/"+res)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Load reads the cluster the options name and decodes it as a dump of it would be decoded.
func Load(ctx context.Context, opts Options) ([]cluster.Object, error) {
	conn, err := Connect(opts)
	if err != nil {
		return nil, err
	}
	return Read(ctx, conn.Client, conn.Base, Source(conn.Context), opts)
}

// Conn is an API server to talk to: an authenticated client, the server's base URL and the name of
// the kubeconfig context (or "in-cluster").
type Conn struct {
	Client  *http.Client
	Base    *url.URL
	Context string
}

// Connect resolves the kubeconfig as kubectl does; with InCluster set and no kubeconfig or context
// given, it uses the Pod's service account instead.
func Connect(opts Options) (*Conn, error) {
	var cfg *rest.Config
	name := "in-cluster"
	if opts.InCluster && opts.Kubeconfig == "" && opts.Context == "" {
		c, err := rest.InClusterConfig()
		if err != nil {
			return nil, fmt.Errorf("in-cluster config: %w", err)
		}
		cfg = c
	} else {
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		rules.ExplicitPath = opts.Kubeconfig
		cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: opts.Context})
		raw, err := cc.RawConfig()
		if err != nil {
			return nil, fmt.Errorf("kubeconfig: %w", err)
		}
		name = opts.Context
		if name == "" {
			name = raw.CurrentContext
		}
		if cfg, err = cc.ClientConfig(); err != nil {
			return nil, fmt.Errorf("kubeconfig context %q: %w", name, err)
		}
	}
	client, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("context %q: %w", name, err)
	}
	base, err := url.Parse(strings.TrimSuffix(cfg.Host, "/") + cfg.APIPath)
	if err != nil {
		return nil, fmt.Errorf("context %q: server %q: %w", name, cfg.Host, err)
	}
	return &Conn{Client: client, Base: base, Context: name}, nil
}

// Read lists every kind from the server at base into one List document and decodes it with the
// scan's decoder, so that a live cluster and its dump give the same objects.
func Read(ctx context.Context, client *http.Client, base *url.URL, source string, opts Options) ([]cluster.Object, error) {
	if opts.PageSize <= 0 {
		opts.PageSize = DefaultPageSize
	}
	l := &lister{ctx: ctx, client: client, base: base, opts: opts, source: source}
	l.buf.WriteString(`{"apiVersion":"v1","kind":"List","items":[`)
	for _, k := range Kinds {
		if err := l.all(k.Path, k.APIVersion, k.Kind); err != nil {
			return nil, err
		}
	}
	l.buf.WriteString("]}")
	return cluster.DecodeScan(source, l.buf.Bytes())
}

type lister struct {
	ctx    context.Context
	client *http.Client
	base   *url.URL
	opts   Options
	source string
	buf    bytes.Buffer
	items  int
}

// page is a LIST response: its continue token and its items, kept as they came.
type page struct {
	Metadata struct {
		Continue        string `json:"continue"`
		ResourceVersion string `json:"resourceVersion"`
	} `json:"metadata"`
	Items []json.RawMessage `json:"items"`
}

// all pages through one kind. Items of a LIST carry no apiVersion and kind, which the decoder needs:
// they are written into each item, as kubectl get -o json does.
func (l *lister) all(path, apiVersion, kind string) error {
	total, cont := 0, ""
	for pages := 1; ; pages++ {
		p, err := l.get(path, cont)
		if err != nil {
			return fmt.Errorf("%s: list %ss: %w", l.source, kind, err)
		}
		for _, it := range p.Items {
			if l.items > 0 {
				l.buf.WriteByte(',')
			}
			if err := writeItem(&l.buf, apiVersion, kind, it); err != nil {
				return fmt.Errorf("%s: list %ss: %w", l.source, kind, err)
			}
			l.items++
		}
		total += len(p.Items)
		if p.Metadata.Continue == "" {
			if pages > 1 && l.opts.Progress != nil {
				fmt.Fprintf(l.opts.Progress, "selmount scan: %s: %d %ss in %d pages\n", l.source, total, kind, pages)
			}
			return nil
		}
		if l.opts.Progress != nil {
			fmt.Fprintf(l.opts.Progress, "selmount scan: %s: %d %ss so far …\n", l.source, total, kind)
		}
		cont = p.Metadata.Continue
	}
}

// writeItem writes an item of a LIST or watch with the apiVersion and kind items lack, as kubectl get
// -o json gives them.
func writeItem(b *bytes.Buffer, apiVersion, kind string, item []byte) error {
	body := bytes.TrimSpace(item)
	if len(body) < 2 || body[0] != '{' {
		return errors.New("an item is not an object")
	}
	prefix := fmt.Sprintf(`{"apiVersion":%q,"kind":%q`, apiVersion, kind)
	rest := bytes.TrimSpace(body[1:])
	b.WriteString(prefix)
	if rest[0] != '}' { // an empty object needs no comma after the kind
		b.WriteByte(',')
	}
	b.Write(rest)
	return nil
}

func (l *lister) get(path, cont string) (*page, error) {
	u := l.base.JoinPath(path)
	q := url.Values{"limit": {strconv.FormatInt(l.opts.PageSize, 10)}}
	if cont != "" {
		q.Set("continue", cont)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(l.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "selmount")
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxPageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxPageBytes {
		return nil, fmt.Errorf("a page of more than %d MiB", maxPageBytes>>20)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", resp.Status, statusMessage(data))
	}
	var p page
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("unreadable response: %w", err)
	}
	return &p, nil
}

// statusMessage is a Status object's message (what RBAC refusals say), or the body's start.
func statusMessage(data []byte) string {
	var st struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &st) == nil && st.Message != "" {
		return st.Message
	}
	return string(data[:min(len(data), 200)])
}
