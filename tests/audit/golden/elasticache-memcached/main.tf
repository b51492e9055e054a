resource "aws_elasticache_cluster" "example" {
  engine = "memcached"
}
