resource "aws_ebs_volume" "example" {
  multi_attach_enabled = true
}
