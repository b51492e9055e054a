resource "aws_opensearch_domain" "example" {
  cognito_options = ["example"]
}
