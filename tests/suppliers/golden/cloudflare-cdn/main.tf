resource "cloudflare_record" "www" {
  name    = "www"
  proxied = true
}
