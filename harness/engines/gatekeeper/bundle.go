package gatekeeper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/selmount/selmount/internal/kustomize"
)

// bundle is the kustomize build of gatekeeper/ sorted by what the engine does with each object.
type bundle struct {
	source      string
	templates   []*unstructured.Unstructured
	constraints []*unstructured.Unstructured
	assigns     []*unstructured.Unstructured
	// synced are the kinds the sync Config replicates into data.inventory.
	synced map[schema.GroupVersionKind]bool
}

func loadBundle(dir string) (*bundle, error) {
	name, out, err := kustomize.Build(dir)
	if err != nil {
		return nil, err
	}
	b := &bundle{source: name, synced: map[schema.GroupVersionKind]bool{}}
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(out), 4096)
	for i := 0; ; i++ {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(&u.Object); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("%s: document %d: %w", name, i, err)
		}
		if len(u.Object) == 0 {
			continue
		}
		gvk := u.GroupVersionKind()
		switch {
		case gvk.Kind == "ConstraintTemplate":
			b.templates = append(b.templates, u)
		case gvk.Group == "constraints.gatekeeper.sh":
			b.constraints = append(b.constraints, u)
		case gvk.Group == "mutations.gatekeeper.sh" && gvk.Kind == "Assign":
			b.assigns = append(b.assigns, u)
		case gvk.Group == "config.gatekeeper.sh" && gvk.Kind == "Config":
			if err := b.addSync(u); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		default:
			return nil, fmt.Errorf("%s: unexpected object %s %s", name, gvk, u.GetName())
		}
	}
	if len(b.templates) == 0 || len(b.constraints) == 0 {
		return nil, fmt.Errorf("%s: no ConstraintTemplates or Constraints", name)
	}
	return b, nil
}

func (b *bundle) addSync(u *unstructured.Unstructured) error {
	items, _, err := unstructured.NestedSlice(u.Object, "spec", "sync", "syncOnly")
	if err != nil {
		return err
	}
	for _, it := range items {
		data, _ := json.Marshal(it)
		var k struct{ Group, Version, Kind string }
		if err := json.Unmarshal(data, &k); err != nil {
			return err
		}
		b.synced[schema.GroupVersionKind{Group: strings.ToLower(k.Group), Version: k.Version, Kind: k.Kind}] = true
	}
	return nil
}
