resource "aws_route53_zone" "example" {
  vpc {}
}
