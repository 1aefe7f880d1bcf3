# METADATA
# title: selmount
# description: >-
#   SELinux volume labelling rules for the SELinuxMount change of Kubernetes v1.37 (conftest entry
#   point). deny = errors, warn = warnings; each result is an object with msg (subject first), _loc
#   (the file), rule, severity, pod and the finding's fields. Profile: data.selmount.profile (default v1.37).
package main

import data.lib.selmount.findings
import data.lib.selmount.gates
import data.lib.selmount.subject

# A profile no cluster can have (a locked gate overridden) is bad input, not a clean pass.
deny contains {"msg": sprintf("selmount profile: %s", [e]), "rule": "profile", "severity": "error"} if some e in gates.errors

# of(rule, severity) are the results of one rule and severity. Each message names its subject
# first: "SELINUX-00N: <Kind> <namespace>/<name> in <file>: <the finding's text>"; "_loc" gives
# conftest's SARIF output the file.
of(rule, severity) := {object.union(f, conftest_fields(f)) | some f in findings.results; f.rule == rule; f.severity == severity}

conftest_fields(f) := {"msg": subject.message(f), "_loc": loc} if loc := subject.location(f.pod)

else := {"msg": subject.message(f)}

# METADATA
# title: Volume SELinux label conflict
# description: >-
#   Two Pods use one volume with SELinux labels the selinux-warning-controller reports as
#   conflicting (SELinuxLabel).
# custom:
#   id: SELINUX-001
#   severity: warning
warn contains f if some f in of("SELINUX-001", "warning")

# METADATA
# title: Volume seLinuxChangePolicy conflict
# description: >-
#   Two Pods use one volume with different effective seLinuxChangePolicy values (SELinuxChangePolicy).
# custom:
#   id: SELINUX-002
#   severity: warning
warn contains f if some f in of("SELINUX-002", "warning")

# METADATA
# title: Multiple SELinux labels in one Pod
# description: >-
#   Containers of one Pod mount one volume with different file labels; the kubelet refuses the Pod
#   when the volume is eligible for the mount option.
# custom:
#   id: SELINUX-003
#   severity: error
deny contains f if some f in of("SELINUX-003", "error")

# METADATA
# title: Multiple SELinux labels in one Pod (not eligible for the mount option)
# description: Containers of one Pod mount one volume with different file labels; the kubelet counts a warning.
# custom:
#   id: SELINUX-003
#   severity: warning
warn contains f if some f in of("SELINUX-003", "warning")

# METADATA
# title: Namespace opt-out to Recursive relabeling
# description: >-
#   A Pod in a namespace labelled selmount.io/change-policy=Recursive|MountOption has no
#   seLinuxChangePolicy (the opt-out sets it only on create).
# custom:
#   id: SELINUX-004
#   severity: warning
warn contains f if some f in of("SELINUX-004", "warning")

# METADATA
# title: seLinuxChangePolicy misuse
# description: >-
#   A seLinuxChangePolicy the API server rejects (unknown value, Windows Pod, MountOption while
#   SELinuxMount is off).
# custom:
#   id: SELINUX-005
#   severity: error
deny contains f if some f in of("SELINUX-005", "error")

# METADATA
# title: Invalid opt-out label value
# description: The namespace's selmount.io/change-policy label is neither Recursive nor MountOption.
# custom:
#   id: SELINUX-005
#   severity: warning
warn contains f if some f in of("SELINUX-005", "warning")

# METADATA
# title: Pod will be stuck in ContainerCreating
# description: >-
#   The kubelet refuses the later of two Pods on one volume because their mount labels differ and
#   the volume is eligible for the mount option.
# custom:
#   id: SELINUX-006
#   severity: error
deny contains f if some f in of("SELINUX-006", "error")

# METADATA
# title: Pod would be stuck in ContainerCreating (latent, different nodes today)
# description: As SELINUX-006, for Pods scheduled to different nodes today.
# custom:
#   id: SELINUX-006
#   severity: warning
warn contains f if some f in of("SELINUX-006", "warning")
