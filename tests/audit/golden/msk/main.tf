resource "aws_msk_cluster" "example" {
  iam = true
}
