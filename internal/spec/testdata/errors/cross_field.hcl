version = 1
hospital "RIYADH" {
  existing = true
  roster   = "staff.csv"  # ERROR: may not set roster
}
email {
  send_credentials = true  # ERROR: requires `accounts.create_users: true`
}
