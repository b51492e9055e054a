resource "aws_ecr_repository" "shop" {
}
