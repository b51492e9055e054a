resource "aws_eks_fargate_profile" "example" {
}
