resource "aws_elastic_beanstalk_application" "example" {
}
