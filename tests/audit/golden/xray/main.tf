resource "aws_xray_sampling_rule" "example" {
}
