# The scenario of the old `seed_staff --create-users --send-emails` command:
# three hospitals, each with 10 physicians, 15 nurses and 5 admin staff, a
# user account with the `staff` role for everyone, and credential emails.
# The same model as px360.yaml: both give the same digest and plan.
#
# Emails are written as .eml files into the repository's outbox folder: the
# file transport's dir is relative to this file, so `../outbox` is the
# `outbox/` folder at the root of the repository. Switch `transport` to
# "smtp" (and fill in an `smtp` block) to deliver them for real.
version = 1
seed    = 20261203

variable "nurses" {
  type        = number
  default     = 15
  description = "Nurses per hospital (--var nurses=20 or STAFFSEED_VAR_nurses=20)."
  validation {
    condition     = var.nurses >= 0 && var.nurses <= 1000
    error_message = "nurses must be between 0 and 1000."
  }
}

locals {
  # Departments shared by every hospital, made with `dynamic` blocks below.
  departments = [
    { name = "Emergency", name_ar = "الطوارئ", staff_types = ["physician", "nurse"], specializations = ["Emergency Medicine"] },
    { name = "Internal Medicine", name_ar = "الطب الباطني", staff_types = ["physician"], specializations = ["Internal Medicine", "Family Medicine", "Cardiology", "Neurology", "Nephrology", "Gastroenterology", "Pulmonology", "Oncology", "Dermatology"] },
    { name = "Surgery", name_ar = "الجراحة", staff_types = ["physician"], specializations = ["General Surgery", "Orthopedics", "Urology", "ENT", "Ophthalmology", "Anesthesiology"] },
    { name = "Women's Health", name_ar = "صحة المرأة", staff_types = ["physician"], specializations = ["Obstetrics and Gynecology"] },
    { name = "Pediatrics", name_ar = "طب الأطفال", staff_types = ["physician"], specializations = ["Pediatrics"] },
    { name = "Radiology", name_ar = "الأشعة", staff_types = ["physician"], specializations = ["Radiology"] },
    { name = "Psychiatry", name_ar = "الطب النفسي", staff_types = ["physician"], specializations = ["Psychiatry"] },
    { name = "Nursing", name_ar = "التمريض", staff_types = ["nurse"], specializations = [] },
    { name = "Administration", name_ar = "الإدارة", staff_types = ["admin"], specializations = [] },
  ]
}

hospital "ALMADINA" {
  name    = "Al Madina General Hospital"
  name_ar = "مستشفى المدينة العام"
  dynamic "department" {
    for_each = local.departments
    labels   = [department.value.name]
    content {
      name_ar         = department.value.name_ar
      staff_types     = department.value.staff_types
      specializations = department.value.specializations
    }
  }
}

hospital "RIYADH" {
  name    = "King Fahd Medical City Riyadh"
  name_ar = "مدينة الملك فهد الطبية بالرياض"
  dynamic "department" {
    for_each = local.departments
    labels   = [department.value.name]
    content {
      name_ar         = department.value.name_ar
      staff_types     = department.value.staff_types
      specializations = department.value.specializations
    }
  }
}

hospital "JEDDAH" {
  name    = "King Abdulaziz Hospital Jeddah"
  name_ar = "مستشفى الملك عبدالعزيز بجدة"
  dynamic "department" {
    for_each = local.departments
    labels   = [department.value.name]
    content {
      name_ar         = department.value.name_ar
      staff_types     = department.value.staff_types
      specializations = department.value.specializations
    }
  }
}

staff "physicians" {
  count        = 10
  female_ratio = 0.40
}

staff "nurses" {
  count        = var.nurses
  female_ratio = 0.70
}

staff "admin_staff" {
  count        = 5
  female_ratio = 0.40
}

accounts {
  create_users = true
  role         = "staff"
  password {
    length     = 12
    hasher     = "pbkdf2_sha256"
    iterations = 1000000
  }
}

email {
  send_credentials = true
  from             = "noreply@px360.local"
  site_url         = "http://localhost:8000"
  address          = "{username}@{hospital_code}.sa"
  transport        = "file"
  language         = "bilingual"
  file {
    dir = "../outbox"
  }
}
