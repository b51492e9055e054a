resource "aws_vpc" "example" {
}
