seed = 2
hospital "ALMADINA" {
}
variable "n" {
  default = 1
}
