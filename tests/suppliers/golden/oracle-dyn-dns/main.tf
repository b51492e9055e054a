resource "oci_dns_zone" "z" {
}
