resource "aws_db_instance" "example" {
  engine = "mariadb"
  iam_database_authentication_enabled = true
}
