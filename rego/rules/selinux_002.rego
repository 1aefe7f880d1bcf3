# METADATA
# description: >-
#   SELINUX-002 alone, for conftest's SARIF output: conftest names a result's rule
#   "<package>/<deny|warn>", so `conftest test --combine -p rego/ -n 'SELINUX_*' -o sarif` reports
#   this rule as SELINUX_002/deny or SELINUX_002/warn. The results are data.main's.
package SELINUX_002

import data.main

warn contains f if some f in main.of("SELINUX-002", "warning")
