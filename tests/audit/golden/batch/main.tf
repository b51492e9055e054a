resource "aws_batch_job_queue" "example" {
}
