resource "datadog_monitor" "cpu" {
}
