# METADATA
# description: >-
#   SELINUX-005 alone, for conftest's SARIF output: conftest names a result's rule
#   "<package>/<deny|warn>", so `conftest test --combine -p rego/ -n 'SELINUX_*' -o sarif` reports
#   this rule as SELINUX_005/deny or SELINUX_005/warn. The results are data.main's.
package SELINUX_005

import data.main

deny contains f if some f in main.of("SELINUX-005", "error")

warn contains f if some f in main.of("SELINUX-005", "warning")
