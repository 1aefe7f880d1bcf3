# METADATA
# description: >-
#   SELINUX-006 alone, for conftest's SARIF output: conftest names a result's rule
#   "<package>/<deny|warn>", so `conftest test --combine -p rego/ -n 'SELINUX_*' -o sarif` reports
#   this rule as SELINUX_006/deny or SELINUX_006/warn. The results are data.main's.
package SELINUX_006

import data.main

deny contains f if some f in main.of("SELINUX-006", "error")

warn contains f if some f in main.of("SELINUX-006", "warning")
