// Package spec decodes staffseed spec files (YAML and HCL) into one
// validated model, reporting every problem at once as hcl.Diagnostics with
// file:line:col source ranges.
package spec
