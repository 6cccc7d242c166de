provider "google" {
  project     = var.project_id
  region      = "europe-west1"
  credentials = file(var.credentials_file)
}

resource "google_sql_user" "app" {
  name     = "app"
  instance = google_sql_database_instance.main.name
  password = data.google_secret_manager_secret_version.db.secret_data
}

resource "google_service_account_key" "ci" {
  service_account_id = google_service_account.ci.name
}

output "ci_key" {
  value     = google_service_account_key.ci.private_key
  sensitive = true
}
