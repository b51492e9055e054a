resource "aws_ssm_document" "example" {
}
