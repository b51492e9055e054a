resource "auth0_client" "web" {
}
