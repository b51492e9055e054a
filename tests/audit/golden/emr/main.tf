resource "aws_emr_cluster" "example" {
  step {}
}
