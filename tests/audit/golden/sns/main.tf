resource "aws_sns_topic" "example" {
}
