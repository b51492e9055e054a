resource "aws_db_instance" "example" {
  engine = "sqlserver"
  iam_database_authentication_enabled = true
}
