version = 1
accounts {
  password = "S3cr3t-Pa55"  # ERROR: passwords themselves are never written in a spec
}
email {
  smtp {
    host     = "mail.example.org"
    password = "S3cr3t-Pa55"  # ERROR: name the environment variable that holds it with `password_env`
    password_env = "not a name"  # ERROR: names the environment variable that holds the password
  }
}
