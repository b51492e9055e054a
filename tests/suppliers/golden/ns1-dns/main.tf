resource "ns1_zone" "z" {
}
