import sentry_sdk
sentry_sdk.init(dsn="https://abc@o1.ingest.sentry.io/1")
