resource "aws_codecommit_repository" "example" {
}
