version = 1
variable "nurses" {
  type    = number
  default = 5000  # ERROR: nurses must be between 0 and 1000. (The value of variable "nurses", set by its default, fails the validation at
  validation {
    condition     = var.nurses >= 0 && var.nurses <= 1000
    error_message = "nurses must be between 0 and 1000."
  }
}
variable "code" {
  type    = number
  default = "lots"  # ERROR: The default of variable "code" does not fit its type
}
staff "nurses" {
  count = var.nurses
}
