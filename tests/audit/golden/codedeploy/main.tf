resource "aws_codedeploy_app" "example" {
}
