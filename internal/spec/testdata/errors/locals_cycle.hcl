version = 1
locals {
  a = local.b + 1  # ERROR: The local values refer to each other in a cycle: local.a → local.b → local.a
  b = local.a + 1
  c = local.a * 2
}
staff "nurses" {
  count = local.c
}
