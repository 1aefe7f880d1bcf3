// Package kyverno runs Kyverno v1.19.1's own admission controller, outside a cluster, against the
// test kube-apiserver, installs selmount's kyverno/ bundle as kyverno/README.md says, and replays
// the scenarios through it (issue 14).
package kyverno

import "github.com/selmount/selmount/e2e/bundles"

// Namespace is where Kyverno's release puts its ServiceAccounts, ConfigMaps and leases.
const Namespace = "kyverno"

// AdmissionServiceAccount is the identity the release runs the admission controller as: its
// permissions (the release's ClusterRoles and what bundles aggregate into them, selmount's lookups
// included) are the ones under test, so the controller runs with this account's token, not the admin's.
const AdmissionServiceAccount = "kyverno-admission-controller"

// Release is what the test installs from Kyverno's install manifest in the module cache (the same
// objects `kubectl create -f install.yaml` creates), without what only a cluster runs: Deployments
// and Services (the controller runs as a process here, reached by URL webhooks).
var Release = bundles.Engine{
	Name:   "kyverno-release",
	Module: "github.com/kyverno/kyverno",
	Files:  []string{"config/install-latest-testing.yaml"},
	Kinds: []string{"CustomResourceDefinition", "Namespace", "ConfigMap", "ServiceAccount",
		"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"},
}
