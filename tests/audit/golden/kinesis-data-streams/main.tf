resource "aws_kinesis_stream" "example" {
}
