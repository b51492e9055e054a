resource "aws_amplify_app" "example" {
}
