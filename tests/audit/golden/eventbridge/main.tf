resource "aws_pipes_pipe" "example" {
}
