resource "aws_db_proxy" "example" {
  iam_auth = "REQUIRED"
}
