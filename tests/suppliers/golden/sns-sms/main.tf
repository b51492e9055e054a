resource "aws_sns_topic_subscription" "s" {
  protocol = "sms"
}
