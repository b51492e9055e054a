resource "aws_cloudfront_distribution" "example" {
  lambda_function_association {}
}
