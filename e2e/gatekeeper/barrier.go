package gatekeeper

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"

	"github.com/selmount/selmount/e2e/replay"
)

// barrierTimeout bounds one wait for Gatekeeper's sync.
const barrierTimeout = 60 * time.Second

// Barrier waits until data.inventory holds exactly what the API server holds of the synced kinds,
// asking the test-only template testdata/barrier.yaml through a dry-run ConfigMap. Gatekeeper's sync
// is eventually consistent and says nowhere when it has caught up; a fixed sleep was flaky.
type Barrier struct {
	Kinds []schema.GroupVersionKind
}

// LoadSynced reads the kinds the sync Config at path (gatekeeper/base/sync.yaml) replicates.
func LoadSynced(path string) (Barrier, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Barrier{}, err
	}
	var cfg struct {
		Spec struct {
			Sync struct {
				SyncOnly []struct{ Group, Version, Kind string } `json:"syncOnly"`
			} `json:"sync"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return Barrier{}, fmt.Errorf("%s: %v", path, err)
	}
	var b Barrier
	for _, s := range cfg.Spec.Sync.SyncOnly {
		b.Kinds = append(b.Kinds, schema.GroupVersionKind{Group: s.Group, Version: s.Version, Kind: s.Kind})
	}
	if len(b.Kinds) == 0 {
		return Barrier{}, fmt.Errorf("%s: no syncOnly entry", path)
	}
	return b, nil
}

type wantObject struct {
	Key        string `json:"key"`
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
	RV         string `json:"rv"`
}

type wantKind struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
}

// want lists the server's objects of the synced kinds, outside Gatekeeper's own namespace.
func (b Barrier) want(ctx context.Context, c *replay.Clients) (string, error) {
	w := struct {
		Objects       []wantObject `json:"objects"`
		Kinds         []wantKind   `json:"kinds"`
		SkipNamespace string       `json:"skipNamespace"`
	}{SkipNamespace: Namespace}
	for _, gvk := range b.Kinds {
		m, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil {
			return "", err
		}
		apiVersion := gvk.GroupVersion().String()
		w.Kinds = append(w.Kinds, wantKind{APIVersion: apiVersion, Kind: gvk.Kind})
		list, err := c.Dynamic.Resource(m.Resource).List(ctx, metav1.ListOptions{})
		if err != nil {
			return "", err
		}
		for _, o := range list.Items {
			if o.GetNamespace() == Namespace {
				continue
			}
			w.Objects = append(w.Objects, wantObject{Key: strings.Join([]string{gvk.Kind, o.GetNamespace(), o.GetName()}, "/"),
				APIVersion: apiVersion, Kind: gvk.Kind, Namespace: o.GetNamespace(), Name: o.GetName(), RV: o.GetResourceVersion()})
		}
	}
	out, err := json.Marshal(w)
	return string(out), err
}

var syncMessage = regexp.MustCompile(`\[selmount-e2e-barrier\] SYNC ([0-9]+)`)

// Wait returns once the inventory matches the server, or fails after barrierTimeout.
func (b Barrier) Wait(ctx context.Context, c *replay.Clients) error {
	deadline := time.Now().Add(barrierTimeout)
	last := ""
	for {
		want, err := b.want(ctx, c)
		if err != nil {
			return err
		}
		cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "selmount-e2e-barrier", Namespace: "default",
			Labels: map[string]string{"selmount.io/e2e-barrier": "yes"}}, Data: map[string]string{"want": want}}
		c.Warnings.Take()
		_, err = c.Typed.CoreV1().ConfigMaps("default").Create(ctx, cm, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		texts := c.Warnings.Take()
		if err != nil {
			return fmt.Errorf("barrier: %v", err)
		}
		last = strings.Join(texts, " | ")
		if m := syncMessage.FindStringSubmatch(last); m != nil && m[1] == "0" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("data.inventory not in sync with the server after %s: %q", barrierTimeout, last)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
