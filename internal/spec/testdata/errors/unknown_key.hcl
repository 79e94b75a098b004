version = 1
hospital "ALMADINA" {
  nmae = "Al Madina"  # ERROR: Did you mean "name"?
  department "Emergency" {
    staf_types = ["nurse"]  # ERROR: Did you mean "staff_types"?
  }
}
staff "nurses" {
  count       = 20
  femal_ratio = 0.7  # ERROR: Did you mean "female_ratio"?
}
staff "doctors" {  # ERROR: "doctors" is not a kind of staff
  count = 3
}
staff "nurse" {  # ERROR: Did you mean "nurses"?
  count = 3
}
emial {  # ERROR: Did you mean "email"?
}
