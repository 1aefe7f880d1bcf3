package opa

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// declaredRules adds to ids the rule IDs a module of package main declares: its deny or warn rules
// whose METADATA names a rule (custom.id). The engine counts a rule as evaluated only when main
// declares it, so a rule dropped from main.rego fails the harness's coverage guard instead of
// passing silently with no findings.
func declaredRules(path, src string, ids map[string]bool) error {
	m, err := ast.ParseModuleWithOpts(path, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
	if err != nil {
		return err
	}
	if m.Package.Path.String() != "data.main" {
		return nil
	}
	for _, r := range m.Rules {
		if name := r.Head.Ref().String(); name != "deny" && name != "warn" {
			continue
		}
		for _, a := range r.Annotations {
			if id, ok := a.Custom["id"].(string); ok && a.Scope == "rule" {
				ids[id] = true
			}
		}
	}
	return nil
}
