package kyverno

import (
	"context"
	"fmt"
	"reflect"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
)

// maxAggregationPasses bounds Aggregate: a role aggregated into one that is itself aggregated needs
// one pass per level; Kyverno's release has two levels.
const maxAggregationPasses = 5

// Aggregate does what kube-controller-manager's clusterrole-aggregation controller does, which no
// process runs here: every ClusterRole with an aggregationRule gets the rules of the ClusterRoles its
// selectors match. Kyverno's own permissions (kyverno:admission-controller) and the lookups selmount's
// bundle grants (its ClusterRole's aggregate-to labels) reach the controller only this way. Call it
// after each install, as the controller would react. It returns how many roles it changed.
func Aggregate(ctx context.Context, c kubernetes.Interface) (int, error) {
	roles := c.RbacV1().ClusterRoles()
	changed := 0
	for pass := 0; pass < maxAggregationPasses; pass++ {
		list, err := roles.List(ctx, metav1.ListOptions{})
		if err != nil {
			return changed, err
		}
		n := 0
		for i := range list.Items {
			r := &list.Items[i]
			if r.AggregationRule == nil {
				continue
			}
			rules, err := aggregatedRules(r, list.Items)
			if err != nil {
				return changed, err
			}
			if reflect.DeepEqual(rules, r.Rules) {
				continue
			}
			r.Rules = rules
			if _, err := roles.Update(ctx, r, metav1.UpdateOptions{}); err != nil {
				return changed, fmt.Errorf("ClusterRole %s: %v", r.Name, err)
			}
			n++
		}
		changed += n
		if n == 0 {
			return changed, nil
		}
	}
	return changed, fmt.Errorf("ClusterRole aggregation still changing after %d passes", maxAggregationPasses)
}

// aggregatedRules are the rules of every other role that one of r's selectors matches, each once,
// in the roles' name order (List's order).
func aggregatedRules(r *rbacv1.ClusterRole, all []rbacv1.ClusterRole) ([]rbacv1.PolicyRule, error) {
	var out []rbacv1.PolicyRule
	for _, sel := range r.AggregationRule.ClusterRoleSelectors {
		s, err := metav1.LabelSelectorAsSelector(&sel)
		if err != nil {
			return nil, fmt.Errorf("ClusterRole %s: %v", r.Name, err)
		}
		for i := range all {
			o := &all[i]
			if o.Name == r.Name || !s.Matches(labels.Set(o.Labels)) {
				continue
			}
			for _, rule := range o.Rules {
				if !containsRule(out, rule) {
					out = append(out, rule)
				}
			}
		}
	}
	return out, nil
}

func containsRule(rules []rbacv1.PolicyRule, r rbacv1.PolicyRule) bool {
	for _, x := range rules {
		if reflect.DeepEqual(x, r) {
			return true
		}
	}
	return false
}

// aggregateEvery is how often Aggregator runs Aggregate: the controller it stands in for reacts to
// watch events within milliseconds; a quarter second keeps the race with Kyverno's policy status
// check close to a cluster's without a watch.
const aggregateEvery = 250 * time.Millisecond

// Aggregator runs Aggregate until ctx ends, as the controller manager would, and returns a channel
// that yields the last error (nil if none) once it has stopped.
func Aggregator(ctx context.Context, c kubernetes.Interface) <-chan error {
	done := make(chan error, 1)
	go func() {
		var last error
		for {
			if _, err := Aggregate(ctx, c); err != nil && ctx.Err() == nil {
				last = err
			}
			select {
			case <-ctx.Done():
				done <- last
				return
			case <-time.After(aggregateEvery):
			}
		}
	}()
	return done
}
