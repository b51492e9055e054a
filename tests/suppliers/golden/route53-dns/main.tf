resource "aws_route53_zone" "z" {
  name = "example.com"
}
