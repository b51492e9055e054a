resource "aws_route53domains_registered_domain" "d" {
}
