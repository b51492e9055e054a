resource "aws_keyspaces_keyspace" "example" {
}
