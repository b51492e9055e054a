URL = "https://api.mailgun.net/v3/example.com/messages"
