resource "aws_kinesisanalyticsv2_application" "example" {
}
