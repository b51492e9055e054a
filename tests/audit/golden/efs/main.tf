resource "aws_efs_file_system" "example" {
  lifecycle_policy {}
}
