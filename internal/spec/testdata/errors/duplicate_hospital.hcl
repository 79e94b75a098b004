version = 1
hospital "AB" {
  department "ER" {
  }
  department "ER" {  # ERROR: Department "ER" is already defined at
  }
  staff "nurses" {
    count = 1
  }
  staff "nurses" {  # ERROR: Hospital AB already has a `staff "nurses"` block at
    count = 2
  }
}
hospital "AB" {  # ERROR: Hospital AB is already defined at testdata/errors/duplicate_hospital.hcl:2:
}
staff "nurses" {
  count = 1
}
staff "nurses" {  # ERROR: The spec already has a `staff "nurses"` block
  count = 2
}
accounts {
}
accounts {  # ERROR: already has an `accounts` block at
}
variable "n" {
  default = 1
}
variable "n" {  # ERROR: Variable "n" is already declared at testdata/errors/duplicate_hospital.hcl:26:
  default = 2
}
locals {
  a = 1
}
locals {
  a = 2  # ERROR: local.a is already defined at
}
