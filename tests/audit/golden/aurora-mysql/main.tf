resource "aws_rds_cluster" "example" {
  engine = "aurora"
  global_cluster_identifier {}
}
