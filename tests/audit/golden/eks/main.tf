resource "aws_eks_cluster" "example" {
}
