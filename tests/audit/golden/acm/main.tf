resource "aws_acm_certificate" "example" {
}
