resource "aws_transfer_server" "example" {
  identity_provider_type = "AWS_LAMBDA"
}
