resource "aws_wafv2_web_acl" "example" {
  managed_rule_group_statement {}
}
