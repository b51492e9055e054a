resource "aws_acm_certificate" "www" {
}
