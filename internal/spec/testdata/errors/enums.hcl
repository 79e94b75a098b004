version = 1
hospital "AB" {
  language = "arabic"  # ERROR: "arabic" is not a valid language
  department "ER" {
    staff_types = ["nurse", "doctor"]  # ERROR: "doctor" is not a staff type
  }
}
accounts {
  create_users = true
  on_remove    = "deactivated"  # ERROR: Did you mean "deactivate"?
  role = {
    physician = null  # ERROR: `accounts.role.physician` must be a role name, not null
    nurses    = "nurse"  # ERROR: `accounts.role.nurses` is not a staff type; the keys are "physician", "nurse" or "admin". Did you mean "nurse"?
    admin     = "office"
  }
}
email {
  transport = "smpt"  # ERROR: Did you mean "smtp"?
  address   = "{user}@x.sa"  # ERROR: Unknown placeholder {user}
  site_url  = "localhost"  # ERROR: must be an absolute http:// or https:// URL
}
