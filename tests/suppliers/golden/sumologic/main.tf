resource "sumologic_collector" "c" {
}
