variable "reporting_db_password" {
  description = "Master password of the reporting database (from the CI's secret store)."
  type        = string
  sensitive   = true
}

variable "datadog_api_key" {
  type      = string
  sensitive = true
  default   = ""
}

variable "github_token" {
  description = "Token for the GitHub provider; set TF_VAR_github_token."
  type        = string
  sensitive   = true
}
