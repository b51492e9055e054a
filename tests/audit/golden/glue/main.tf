resource "aws_glue_catalog_database" "example" {
}
