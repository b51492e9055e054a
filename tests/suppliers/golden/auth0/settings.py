AUTH0_DOMAIN = "shop.eu.auth0.com"
