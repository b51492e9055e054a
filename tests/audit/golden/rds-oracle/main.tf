resource "aws_db_instance" "example" {
  engine = "oracle"
  iam_database_authentication_enabled = true
}
