package gatekeeper

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/selmount/selmount/e2e/replay"
	"github.com/selmount/selmount/harness"
	"github.com/selmount/selmount/policies"
)

// Result compares one Pod admission through Gatekeeper's webhooks with the model.
type Result struct {
	Scenario, Pod, Operation string
	Sent                     string // what reached admission
	Accepted                 bool
	ChangePolicy, Model      string // seLinuxChangePolicy after admission, and the model's
	Rules, ModelRules        []string
	Denied, ModelRefuses     bool
	Differences              []string
	Known                    string // why a listed divergence is expected (Known or Found)
	Texts                    []string
}

// Replay sends sc's objects in order through the API server behind c, compares each Pod admission
// with the model, and deletes everything it created. deny is true with overlays/deny.
// Before each admission, and after the cleanup, the barrier waits until Gatekeeper's sync has copied
// every write into data.inventory (the referential rules read it, the mutation webhook reads the
// namespace's labels from its cache). With audit, the replay then waits for an audit of the final
// state and compares the constraints' status with the model's audit of the server's objects.
func Replay(ctx context.Context, c *replay.Clients, sc *harness.Scenario, deny, audit bool, known Known, barrier Barrier) (out []Result, aud *AuditResult, refused []string, err error) {
	model, err := harness.Run(ctx, harness.ModelEngine{}, sc)
	if err != nil {
		return nil, nil, nil, err
	}
	admits := map[int]harness.AdmitCase{}
	for _, a := range model.Admits {
		admits[a.Index] = a
	}
	var created []*unstructured.Unstructured
	binder := &Binder{Client: c.Typed}
	defer func() {
		created = append(created, binder.Created...)
		cerr := c.Cleanup(context.WithoutCancel(ctx), created)
		if cerr == nil {
			// The next scenario reuses names: the inventory must have dropped these.
			cerr = barrier.Wait(context.WithoutCancel(ctx), c)
		}
		if cerr != nil && err == nil {
			err = cerr
		}
	}()
	missing, err := c.CreateMissingNamespaces(ctx, sc.Objects)
	created = append(created, missing...)
	if err != nil {
		return nil, nil, nil, err
	}
	seen, dirty := map[string]bool{}, len(missing) > 0
	settle := func() error {
		if !dirty {
			return nil
		}
		dirty = false
		return barrier.Wait(ctx, c)
	}
	for i := range sc.Objects {
		o := &sc.Objects[i]
		obj, err := replay.Unstructured(o)
		if err != nil {
			return nil, nil, nil, err
		}
		a, isAdmission := admits[i]
		if isAdmission {
			if err := settle(); err != nil {
				return nil, nil, nil, fmt.Errorf("before %s: %v", o.ID(), err)
			}
		}
		id, what := o.Identity(), o.ID()
		var sent replay.Sent
		if isAdmission && a.Request.Subresource == harness.SubresourceEphemeralContainers {
			sent, what = c.SendDebug(ctx, obj), what+" (PATCH pods/ephemeralcontainers)"
		} else {
			sent = c.Send(ctx, obj, seen[id])
		}
		if sent.Object != nil && !seen[id] {
			created = append(created, sent.Object)
		}
		if sent.Err == nil && !seen[id] {
			if err := bindStorage(ctx, binder, obj); err != nil {
				return nil, nil, nil, fmt.Errorf("%s: %v", o.ID(), err)
			}
		}
		seen[id] = seen[id] || sent.Object != nil
		dirty = true
		if !isAdmission || o.Kind != "Pod" {
			switch {
			case sent.Err != nil && !isAdmission:
				refused = append(refused, fmt.Sprintf("%s: %v", o.ID(), sent.Err))
				continue
			case sent.Err != nil:
				// The constraints match workloads too: a refused workload is compared with the
				// model's answer for the Pods it would make, and no Pod follows.
				what = o.Kind + " " + o.Namespace + "/" + o.Name
			case !isAdmission || a.Operation != policies.OperationCreate:
				continue
			}
		}
		if o.Kind != "Pod" && sent.Err == nil {
			// A workload: its controller's Pod is what is compared, as e2e/replay does.
			pod, err := replay.ControllerPod(o)
			if err != nil {
				return nil, nil, nil, err
			}
			what = "Pod " + pod.GetNamespace() + "/" + pod.GetName() + " (from " + o.Kind + " " + o.Name + ")"
			if err := settle(); err != nil {
				return nil, nil, nil, fmt.Errorf("before %s: %v", what, err)
			}
			sent = c.Send(ctx, pod, false)
			if sent.Object != nil {
				created = append(created, sent.Object)
			}
		}
		r := Compare(a, what, sent, deny)
		r.Scenario = sc.Name
		if r.Known = known.Reason(sc.Name, a.Pod); r.Known == "" {
			r.Known = FoundReason(deny, sc.Name, a.Pod)
		}
		out = append(out, r)
	}
	if audit {
		a, err := auditFinal(ctx, c, sc, barrier)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("audit: %v", err)
		}
		aud = &a
	}
	return out, aud, refused, nil
}

// auditFinal waits until data.inventory holds the scenario's final state, then for an audit that
// started after that, and compares it with the model's audit of the objects the server holds (what
// `selmount scan` of a dump of the cluster reports): the workloads as stored, the Pods created for
// them, the claims as bound.
func auditFinal(ctx context.Context, c *replay.Clients, sc *harness.Scenario, barrier Barrier) (AuditResult, error) {
	if err := barrier.Wait(ctx, c); err != nil {
		return AuditResult{}, err
	}
	since := time.Now()
	vs, err := WaitAudit(ctx, c, since)
	if err != nil {
		return AuditResult{}, err
	}
	model, err := c.ModelAuditOfServer(ctx, sc.Profile, sc.OptOut, false)
	if err != nil {
		return AuditResult{}, err
	}
	return CompareAudit(sc.Name, vs, model.Findings)
}

// bindStorage lets binder act on a claim or PV just created from the scenario object obj.
func bindStorage(ctx context.Context, binder *Binder, obj *unstructured.Unstructured) error {
	if obj.GetAPIVersion() != "v1" {
		return nil
	}
	switch obj.GetKind() {
	case "PersistentVolumeClaim":
		phase, _, _ := unstructured.NestedString(obj.Object, "status", "phase")
		return binder.ClaimCreated(ctx, obj.GetNamespace(), obj.GetName(), string(obj.GetUID()), phase)
	case "PersistentVolume":
		return binder.VolumeCreated(ctx, obj.GetName())
	}
	return nil
}

// Compare sets what the server did next to the model's admission a.
func Compare(a harness.AdmitCase, sent string, s replay.Sent, deny bool) Result {
	r := Result{Pod: a.Pod, Operation: a.Operation, Sent: sent, Accepted: s.Err == nil,
		ModelRules: ModelRules(a.Model.Findings), ModelRefuses: ModelRefuses(a.Model.Findings, deny)}
	if cp := a.Model.Pod.ChangePolicy(); cp != nil {
		r.Model = string(*cp)
	}
	r.Texts = append(r.Texts, s.Warnings...)
	if s.Err != nil {
		r.Texts = append(r.Texts, s.Err.Error())
	} else {
		r.ChangePolicy, _, _ = unstructured.NestedString(s.Object.Object, "spec", "securityContext", "seLinuxChangePolicy")
	}
	r.Rules, r.Denied = Rules(r.Texts...)
	switch {
	case r.Accepted == r.ModelRefuses:
		r.Differences = append(r.Differences, fmt.Sprintf("accepted: server %v, model %v", r.Accepted, !r.ModelRefuses))
	case !r.Accepted:
		// Both refuse; the API server's validation may speak before the webhook.
	default:
		if r.ChangePolicy != r.Model {
			r.Differences = append(r.Differences, fmt.Sprintf("seLinuxChangePolicy: server %q, model %q", r.ChangePolicy, r.Model))
		}
		if !reflect.DeepEqual(r.Rules, r.ModelRules) {
			r.Differences = append(r.Differences, fmt.Sprintf("rules: server %v, model %v", r.Rules, r.ModelRules))
		}
	}
	return r
}
