resource "aws_docdb_cluster" "example" {
}
