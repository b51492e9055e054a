resource "aws_kinesis_firehose_delivery_stream" "example" {
  processing_configuration {}
}
