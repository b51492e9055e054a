resource "aws_db_instance" "example" {
  engine = "postgres"
  iam_database_authentication_enabled = true
}
