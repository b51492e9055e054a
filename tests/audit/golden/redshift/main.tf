resource "aws_redshiftdata_statement" "example" {
}
