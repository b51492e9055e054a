resource "aws_timestreamwrite_database" "example" {
}
