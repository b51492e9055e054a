resource "aws_kms_key" "example" {
  multi_region = true
}
