resource "aws_instance" "example" {
  iam_instance_profile {}
}
