package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/selmount/selmount/policies"
	"github.com/selmount/selmount/policies/cluster"
)

// renderSARIF writes one run whose results are the findings, located at the manifest of the pod
// (or workload) they are about, so that code-scanning UIs annotate the file a fix goes into.
func renderSARIF(w io.Writer, res *scanResult) error {
	catalogue := policies.Catalogue()
	ruleIndex := map[string]int{}
	rules := make([]sarifRule, 0, len(catalogue))
	for i, r := range catalogue {
		ruleIndex[r.ID] = i
		rules = append(rules, sarifRule{
			ID: r.ID, Name: ruleName(r.Title),
			ShortDescription:     sarifText{Text: r.Title},
			FullDescription:      sarifText{Text: r.Description},
			DefaultConfiguration: sarifRuleConfig{Level: r.Severity},
			Properties:           map[string]any{"tags": []string{"kubernetes", "selinux"}},
		})
	}
	findings := res.grouped.Findings
	if res.pairs {
		findings = res.report.Findings
	}
	results := make([]sarifResult, 0, len(findings)+len(res.grouped.Groups))
	for _, g := range res.grouped.Groups {
		results = append(results, sarifGroup(res, g, ruleIndex))
	}
	for _, f := range findings {
		results = append(results, sarifFinding(res, f, ruleIndex))
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{
		Tool:        sarifTool{Driver: sarifDriver{Name: "selmount", Version: currentVersion(), InformationURI: projectURI, Rules: rules}},
		Invocations: sarifInvocations(res),
		Results:     results,
	}}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

func sarifFinding(res *scanResult, f policies.Finding, ruleIndex map[string]int) sarifResult {
	r := sarifResult{
		RuleID: f.Rule, Level: f.Severity,
		Message:             sarifText{Text: strings.TrimPrefix(f.Message, f.Rule+": ")},
		Locations:           []sarifLocation{podLocation(res, f.Pod, nil)},
		PartialFingerprints: map[string]string{"selmountFinding/v1": fingerprint(f.Key())},
		Properties:          findingProperties(f),
	}
	// A rule outside the catalogue keeps its ID but gets no index, which would point at another rule.
	if i, ok := ruleIndex[f.Rule]; ok {
		r.RuleIndex = &i
	}
	// A pod of another namespace is not located: its file, line and name would tell the reader of
	// this namespace's alert who it is, which upstream's censored events never do.
	if f.OtherPod != nil && f.OtherPod.Namespace == f.Pod.Namespace {
		id := 1
		loc := podLocation(res, *f.OtherPod, &sarifText{Text: "the other pod: " + f.OtherPod.Key()})
		loc.ID = &id
		r.RelatedLocations = []sarifLocation{loc}
	}
	return r
}

// sarifGroup is one result for a group, located at every one of its Pods (all of one namespace), so
// that each manifest a fix goes into is annotated; the Pods it meets are counted in the message only.
func sarifGroup(res *scanResult, g policies.ConflictGroup, ruleIndex map[string]int) sarifResult {
	r := sarifResult{
		RuleID: g.Rule, Level: g.Severity,
		Message: sarifText{Text: strings.TrimPrefix(g.Message, g.Rule+": ")},
		PartialFingerprints: map[string]string{"selmountGroup/v1": fingerprint(strings.Join([]string{
			g.Rule, g.Volume, g.Property, g.Namespace, g.Value, fmt.Sprint(g.Latent)}, "\x1e"))},
		Properties: groupProperties(g),
	}
	for _, name := range g.Pods {
		r.Locations = append(r.Locations, podLocation(res, policies.PodRef{Namespace: g.Namespace, Name: name}, nil))
	}
	if i, ok := ruleIndex[g.Rule]; ok {
		r.RuleIndex = &i
	}
	return r
}

func groupProperties(g policies.ConflictGroup) map[string]any {
	p := map[string]any{"namespace": g.Namespace, "volume": g.Volume, "value": g.Value, "pods": len(g.Pods), "pairs": g.Pairs}
	if g.Property != "" {
		p["property"] = g.Property
	}
	if g.Latent {
		p["latent"] = true
	}
	if g.Assumed {
		p["assumed"] = true
	}
	return p
}

// sarifInvocations lists the diagnostics --fail-on counts (warning and error); info diagnostics, such
// as every ConfigMap being a kind selmount does not read, would only bury them.
func sarifInvocations(res *scanResult) []sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, d := range *res.diagnostics() {
		if d.Severity == cluster.DiagInfo {
			continue
		}
		where := d.File
		if d.Object != "" {
			where += ": " + d.Object
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: d.Severity, Message: sarifText{Text: where + ": " + d.Message}, Descriptor: &sarifDescrRef{ID: d.Kind},
		})
	}
	return []sarifInvocation{inv}
}

// podLocation points at the document that defines the pod. Standard input has no file to point at,
// and kustomize output no line, so those keep only what is known.
func podLocation(res *scanResult, ref policies.PodRef, msg *sarifText) sarifLocation {
	loc := sarifLocation{Message: msg, LogicalLocations: []sarifLogical{{
		Name: ref.Name, FullyQualifiedName: ref.Key(), Kind: "object",
	}}}
	pod := res.state.Pod(ref.Key())
	if pod == nil || pod.Source.File == stdinName || pod.Source.File == "" {
		return loc
	}
	loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: fileURI(pod.Source.File)}}
	if line := res.lines.line(pod.Source); line > 0 {
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
	}
	return loc
}

// fileURI keeps the path relative, as given, so that uploads resolve it against the checkout; only
// characters a URI cannot hold are escaped.
func fileURI(path string) string {
	return (&url.URL{Path: filepath.ToSlash(path)}).String()
}

func findingProperties(f policies.Finding) map[string]any {
	p := map[string]any{"pod": f.Pod.Key()}
	if f.Volume != "" {
		p["volume"] = f.Volume
	}
	if f.Property != "" {
		p["property"] = f.Property
	}
	if len(f.Values) > 0 {
		p["values"] = f.Values
	}
	if f.Latent {
		p["latent"] = true
	}
	if f.Assumed {
		p["assumed"] = true
	}
	return p
}

// fingerprint lets code-scanning services match a finding across runs although line numbers move.
func fingerprint(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// ruleName turns a catalogue title into the PascalCase identifier SARIF viewers show.
func ruleName(title string) string {
	var b strings.Builder
	for _, word := range strings.Fields(title) {
		rs := []rune(word)
		rs[0] = unicode.ToUpper(rs[0])
		for _, r := range rs {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
