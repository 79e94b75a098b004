version = 1
hospital "AB" {}
email {
  from    = "مرسل@px360.local"  # ERROR: non-ASCII character
  address = "{first} {last}@x.sa"  # ERROR: does not make an address
}
