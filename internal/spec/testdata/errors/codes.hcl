version = 1
hospital "al-madina" {  # ERROR: Hospital code "al-madina" must be 2 to 32 characters
}
hospital "A" {  # ERROR: Hospital code "A"
}
hospital "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" {  # ERROR: Invalid hospital code
}
hospital "NO" {
  name = "Norway Street Clinic"
}
