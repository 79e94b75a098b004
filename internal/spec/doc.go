// Package spec decodes staffseed spec files (YAML and HCL) into one
// validated model, reporting every problem at once as hcl.Diagnostics with
// file:line:col source ranges.
//
// Load reads a file, a folder of files (merged; a setting or hospital
// written in two files is an error naming both places) or stdin. Each
// format's decoder turns one file into a fragment; merging, defaults and
// the rules that span settings are shared, so YAML and HCL accept the same
// specs and give the same model and Digest. The YAML decoder walks
// yaml.v3 nodes rather than unmarshalling, so every error keeps its
// position, string settings keep their literal text (a code NO or 0123
// stays a string), anchors and `<<` merge keys work, and alias expansion
// is bounded. Top-level keys starting with "x-" are ignored, to hold
// anchors. Staff types are written physician, nurse and admin (in
// department staff_types and in an accounts.role map); counts under
// staff: are physicians, nurses and admin_staff. A spec without seed
// uses DefaultSeed.
//
// The HCL decoder reads every HCL file of a spec in two passes: first the
// `variable` and `locals` blocks of all of them (values from defaults,
// STAFFSEED_VAR_name, var files and --var, in rising precedence; locals
// in dependency order, cycles reported), then their settings, evaluated
// against those values with the cty standard library's functions and with
// `dynamic` blocks expanded. Block labels stand for the YAML keys that
// identify things: `hospital "CODE"`, `department "Name"`, `staff "nurses"`.
// docs/spec.md documents the language in both forms.
package spec
