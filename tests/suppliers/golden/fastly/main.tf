resource "fastly_service_vcl" "s" {
}
