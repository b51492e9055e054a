resource "aws_db_subnet_group" "example" {
}
