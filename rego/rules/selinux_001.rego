# METADATA
# description: >-
#   SELINUX-001 alone, for conftest's SARIF output: conftest names a result's rule
#   "<package>/<deny|warn>", so `conftest test --combine -p rego/ -n 'SELINUX_*' -o sarif` reports
#   this rule as SELINUX_001/deny or SELINUX_001/warn. The results are data.main's.
package SELINUX_001

import data.main

warn contains f if some f in main.of("SELINUX-001", "warning")
