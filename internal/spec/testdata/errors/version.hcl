version = 2  # ERROR: Spec version 2 is not supported
