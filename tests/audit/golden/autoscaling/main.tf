resource "aws_autoscaling_group" "example" {
  initial_lifecycle_hook {}
}
