# Gatekeeper's gate profile: the constraint's parameters.profile (a release such as "v1.36", with
# optional gate overrides "v1.36,SELinuxMount=true", or {name, rwop, cp, mount}); default v1.37.
# It replaces rego/lib/selmount/profile.rego in the templates.
package lib.selmount.profile

raw := input.parameters.profile
