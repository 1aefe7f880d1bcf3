# METADATA
# description: >-
#   SELINUX-003 alone, for conftest's SARIF output: conftest names a result's rule
#   "<package>/<deny|warn>", so `conftest test --combine -p rego/ -n 'SELINUX_*' -o sarif` reports
#   this rule as SELINUX_003/deny or SELINUX_003/warn. The results are data.main's.
package SELINUX_003

import data.main

deny contains f if some f in main.of("SELINUX-003", "error")

warn contains f if some f in main.of("SELINUX-003", "warning")
