package selinux

import "sort"

// LabelSet collects the labels the containers of one pod give one volume. Every container with
// effective options adds its label, "" included, as upstream inserts each translation into a set.
func LabelSet(opts []Options, translate func(*Options) string) []string {
	seen := map[string]bool{}
	var out []string
	for i := range opts {
		l := translate(&opts[i])
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}
