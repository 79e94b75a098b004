version = 1
hospital "AB" {
  existing = "maybe"  # ERROR: `hospital.AB.existing` must be true or false, not the string "maybe"
  department "ER" {
    staff_types = "nurse"  # ERROR: must be a list of strings, not the string "nurse"
  }
}
staff "nurses" {
  count = "lots"  # ERROR: `staff.nurses.count` must be a whole number, not the string "lots"
}
staff "physicians" {
  count        = 2.5  # ERROR: must be a whole number, not 2.5
  female_ratio = "half"  # ERROR: must be a number between 0 and 1, not the string "half"
}
accounts {
  create_users = 1  # ERROR: must be true or false, not the number 1
  role         = ["staff"]  # ERROR: `accounts.role` must be a string, not a list
}
email {
  smtp = {}  # ERROR: Unsupported argument
}
