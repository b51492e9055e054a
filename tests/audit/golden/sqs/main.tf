resource "aws_sqs_queue" "example" {
  fifo_queue = true
}
