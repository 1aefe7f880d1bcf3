# METADATA
# description: >-
#   SELINUX-004 alone, for conftest's SARIF output: conftest names a result's rule
#   "<package>/<deny|warn>", so `conftest test --combine -p rego/ -n 'SELINUX_*' -o sarif` reports
#   this rule as SELINUX_004/deny or SELINUX_004/warn. The results are data.main's.
package SELINUX_004

import data.main

warn contains f if some f in main.of("SELINUX-004", "warning")
