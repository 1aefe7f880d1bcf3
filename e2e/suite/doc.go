// Package suite is the end-to-end run: per Kubernetes version, a real kube-apiserver, every map/
// bundle applied with kubectl, the scenarios replayed, and docs/e2e.md regenerated and compared.
package suite
