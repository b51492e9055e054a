resource "incapsula_site" "s" {
}
