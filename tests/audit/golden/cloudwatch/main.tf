resource "aws_cloudwatch_composite_alarm" "example" {
}
