resource "aws_glacier_vault" "example" {
}
