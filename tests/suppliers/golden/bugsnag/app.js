import Bugsnag from "@bugsnag/js";
const NOTIFY = "https://notify.bugsnag.com";
