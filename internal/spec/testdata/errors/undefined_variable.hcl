version = 1
variable "nurses" {
  default = 15
}
locals {
  name = "Al Madina"
}
hospital "AB" {
  name = local.nmae  # ERROR: No local value "nmae" is defined in a `locals` block. Did you mean "name"?
}
staff "nurses" {
  count = var.nurse  # ERROR: No variable "nurse" is declared; declare it with a `variable "nurse" {}` block. Did you mean "nurses"?
}
staff "physicians" {
  count = vars.nurses  # ERROR: Unknown variable
}
