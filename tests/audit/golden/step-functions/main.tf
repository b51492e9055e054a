resource "aws_sfn_state_machine" "example" {
  type = "EXPRESS"
}
