resource "aws_sagemaker_model" "example" {
}
