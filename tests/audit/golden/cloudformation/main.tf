resource "aws_cloudformation_stack_set" "example" {
}
