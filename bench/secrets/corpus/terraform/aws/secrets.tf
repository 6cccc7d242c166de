resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = "keybase:acme_ops"
}

output "ci_secret" {
  value     = aws_iam_access_key.ci.encrypted_secret
  sensitive = true
}

data "aws_secretsmanager_secret_version" "stripe" {
  secret_id = "prod/payments/stripe"
}

locals {
  stripe_key = jsondecode(data.aws_secretsmanager_secret_version.stripe.secret_string)["api_key"]
  password_policy = {
    minimum_password_length = 14
    require_symbols         = true
  }
}
