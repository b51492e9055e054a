resource "aws_bedrock_model_invocation_logging_configuration" "example" {
}
