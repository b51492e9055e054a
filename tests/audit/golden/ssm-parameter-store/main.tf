resource "aws_ssm_parameter" "example" {
  type = "SecureString"
}
