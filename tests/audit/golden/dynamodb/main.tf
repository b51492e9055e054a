resource "aws_dynamodb_table" "example" {
  stream_enabled = true
}
