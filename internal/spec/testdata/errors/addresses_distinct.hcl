version = 1
hospital "AB" {}
email {
  address = "{first}@{last}.sa"  # ERROR: The address template must tell staff apart: use {username}, or {first} and {last}
}
