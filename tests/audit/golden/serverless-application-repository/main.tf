resource "aws_serverlessapplicationrepository_cloudformation_stack" "example" {
}
