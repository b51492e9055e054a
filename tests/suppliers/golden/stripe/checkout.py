import stripe
stripe.api_base = "https://api.stripe.com"
