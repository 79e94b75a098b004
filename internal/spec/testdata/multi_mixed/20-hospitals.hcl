# Uses a variable and a local declared in another file.
hospital "RIYADH" {
  name = local.riyadh_name
  staff "nurses" {
    count = var.riyadh_nurses
  }
}
