resource "aws_mq_broker" "example" {
}
