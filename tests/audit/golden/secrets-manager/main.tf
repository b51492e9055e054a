resource "aws_secretsmanager_secret" "example" {
}
