resource "aws_lambda_function" "example" {
  layers = ["example"]
}
