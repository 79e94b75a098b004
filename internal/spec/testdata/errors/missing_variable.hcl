version = 1
variable "nurses" {  # ERROR: Variable "nurses" has no default and no value; set it with --var nurses=VALUE
  type = number
}
staff "nurses" {
  count = var.nurses
}
