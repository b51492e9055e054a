resource "aws_db_instance" "example" {
  engine = "db2"
  iam_database_authentication_enabled = true
}
