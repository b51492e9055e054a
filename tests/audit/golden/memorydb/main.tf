resource "aws_memorydb_cluster" "example" {
}
