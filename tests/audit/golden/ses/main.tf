resource "aws_ses_domain_identity" "example" {
}
