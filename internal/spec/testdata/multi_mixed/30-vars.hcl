variable "riyadh_nurses" {
  type    = number
  default = 7
}
locals {
  riyadh_name = upper("king fahd medical city")
}
staff "nurses" {
  count        = 20
  female_ratio = 0.5
}
