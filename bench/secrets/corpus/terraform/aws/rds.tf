resource "random_password" "db" {
  length  = 32
  special = true
}

resource "aws_db_instance" "orders" {
  identifier              = "orders"
  engine                  = "postgres"
  engine_version          = "15.4"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 50
  username                = "orders"
  password                = random_password.db.result
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = false
}

resource "aws_secretsmanager_secret" "db" {
  name = "orders/db-password"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = random_password.db.result
}

resource "aws_db_instance" "reporting" {
  identifier        = "reporting"
  engine            = "mysql"
  instance_class    = "db.t4g.small"
  allocated_storage = 20
  username          = "admin"
  password          = var.reporting_db_password
}
