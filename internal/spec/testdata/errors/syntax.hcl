version = 1
version = 1  # ERROR: Attribute redefined
