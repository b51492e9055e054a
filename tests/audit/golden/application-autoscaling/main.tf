resource "aws_appautoscaling_target" "example" {
}
