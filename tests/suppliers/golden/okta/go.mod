module example.com/shop

go 1.22

require github.com/okta/okta-sdk-golang/v2 v2.20.0
