resource "aws_cognito_user_pool" "example" {
  lambda_config {}
}
