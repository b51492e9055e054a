resource "aws_rds_cluster" "example" {
  engine = "aurora-postgresql"
  global_cluster_identifier {}
}
