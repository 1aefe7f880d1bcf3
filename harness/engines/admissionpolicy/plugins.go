package admissionpolicy

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/admission/plugin/policy/matching"
	"k8s.io/apiserver/pkg/admission/plugin/policy/mutating"
	"k8s.io/apiserver/pkg/admission/plugin/policy/validating"
	"k8s.io/apiserver/pkg/authorization/authorizerfactory"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/client-go/discovery"
	dynamicfake "k8s.io/client-go/dynamic/fake"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/openapi"
	"sigs.k8s.io/kubectl-validate/pkg/openapiclient"
)

// openAPIVersion is the newest built-in schema kubectl-validate ships; it knows
// spec.securityContext.seLinuxChangePolicy, which ApplyConfiguration needs to merge by schema.
const openAPIVersion = "1.35"

// plugins are the API server's two policy admission plugins, fed from a fake clientset.
type plugins struct {
	mutating   *mutating.Plugin
	validating *validating.Plugin
	namespaces *namespaceLister
	stop       chan struct{}
}

// clientWithOpenAPI gives the fake clientset a real OpenAPI v3 source: the fake discovery panics there,
// and the mutating plugin builds its type converters from it.
type clientWithOpenAPI struct {
	*fake.Clientset
	discovery discovery.DiscoveryInterface
}

func (c clientWithOpenAPI) Discovery() discovery.DiscoveryInterface { return c.discovery }

type discoveryWithOpenAPI struct {
	discovery.DiscoveryInterface
	openapi openapi.Client
}

func (d discoveryWithOpenAPI) OpenAPIV3() openapi.Client { return d.openapi }

func startPlugins(b *Bundle) (*plugins, error) {
	b = b.defaulted()
	var objs []runtime.Object
	for _, p := range b.MutatingPolicies {
		objs = append(objs, p)
	}
	for _, p := range b.MutatingBindings {
		objs = append(objs, p)
	}
	for _, p := range b.ValidatingPolicies {
		objs = append(objs, p)
	}
	for _, p := range b.ValidatingBindings {
		objs = append(objs, p)
	}
	fc := fake.NewClientset(objs...)
	client := clientWithOpenAPI{Clientset: fc, discovery: discoveryWithOpenAPI{DiscoveryInterface: fc.Discovery(), openapi: openapiclient.NewHardcodedBuiltins(openAPIVersion)}}
	factory := informers.NewSharedInformerFactory(client, 0)
	mapper := meta.NewDefaultRESTMapper(nil)
	mapper.Add(podGVK, meta.RESTScopeNamespace)
	ps := &plugins{namespaces: &namespaceLister{}, stop: make(chan struct{})}
	matcher := matching.NewMatcher(ps.namespaces, client)

	mp, err := mutating.NewPlugin(nil)
	if err != nil {
		return nil, err
	}
	mp.InspectFeatureGates(utilfeature.DefaultFeatureGate)
	vp, err := validating.NewPlugin(nil)
	if err != nil {
		return nil, err
	}
	for _, p := range []interface {
		SetExternalKubeClientSet(kubernetes.Interface)
		SetExternalKubeInformerFactory(informers.SharedInformerFactory)
		SetRESTMapper(meta.RESTMapper)
		SetDrainedNotification(<-chan struct{})
		SetMatcher(*matching.Matcher)
		ValidateInitialization() error
	}{mp, vp} {
		p.SetExternalKubeClientSet(client)
		p.SetExternalKubeInformerFactory(factory)
		p.SetRESTMapper(mapper)
		p.SetDrainedNotification(ps.stop)
		p.SetMatcher(matcher)
	}
	mp.SetDynamicClient(dynamicfake.NewSimpleDynamicClient(scheme.Scheme))
	vp.SetDynamicClient(dynamicfake.NewSimpleDynamicClient(scheme.Scheme))
	mp.SetAuthorizer(authorizerfactory.NewAlwaysAllowAuthorizer())
	vp.SetAuthorizer(authorizerfactory.NewAlwaysAllowAuthorizer())
	if err := mp.ValidateInitialization(); err != nil {
		return nil, fmt.Errorf("mutating admission policy plugin: %w", err)
	}
	if err := vp.ValidateInitialization(); err != nil {
		return nil, fmt.Errorf("validating admission policy plugin: %w", err)
	}
	// The plugins' readiness waits on the namespace informer, which our own matcher never asked for;
	// register it before starting the factory.
	factory.Core().V1().Namespaces().Informer()
	factory.Start(ps.stop)
	factory.WaitForCacheSync(ps.stop)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for !mp.WaitForReady() || !vp.WaitForReady() {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("admission policy plugins not ready after 30s")
		}
	}
	ps.mutating, ps.validating = mp, vp
	return ps, nil
}

var podGVK = corev1.SchemeGroupVersion.WithKind("Pod")
var podGVR = corev1.SchemeGroupVersion.WithResource("pods")
