resource "aws_db_instance" "example" {
  engine = "mysql"
  iam_database_authentication_enabled = true
}
