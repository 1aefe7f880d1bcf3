# Where the gate profile comes from for conftest and opa: `--data` with {"selmount": {"profile": ...}}.
# Gatekeeper templates replace this module with gatekeeper/src/profile.rego (constraint parameters),
# since a template may read no data besides data.inventory and data.lib.
package lib.selmount.profile

raw := data.selmount.profile
