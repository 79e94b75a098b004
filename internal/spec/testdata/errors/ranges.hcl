version = 1
hospital "ALMADINA" {
  staff "nurses" {
    count = -1  # ERROR: between 0 and 100000, not -1
  }
  staff "physicians" {
    count = 100001  # ERROR: between 0 and 100000, not 100001
  }
  staff "admin_staff" {
    count = 99999999999999999999999  # ERROR: between 0 and 100000
  }
}
staff "nurses" {
  count        = 5
  female_ratio = 1.5  # ERROR: between 0 and 1, not 1.5
}
staff "physicians" {
  female_ratio = -0.1  # ERROR: between 0 and 1
}
accounts {
  password {
    length     = 7  # ERROR: between 8 and 128, not 7
    iterations = 0  # ERROR: between 1 and 100000000, not 0
  }
}
email {
  smtp {
    host = "mail.example.org"
    port = 70000  # ERROR: between 1 and 65535
  }
}
