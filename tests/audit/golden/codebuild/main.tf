resource "aws_codebuild_project" "example" {
}
