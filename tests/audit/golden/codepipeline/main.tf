resource "aws_codepipeline" "example" {
}
