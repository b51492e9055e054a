resource "aws_neptune_cluster" "example" {
  iam_database_authentication_enabled = true
}
