resource "aws_elasticache_subnet_group" "example" {
}
