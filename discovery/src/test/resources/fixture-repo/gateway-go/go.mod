module github.com/acme/gateway

go 1.22

require (
	github.com/stripe/stripe-go/v76 v76.25.0
	github.com/aws/aws-sdk-go-v2 v1.24.0 // indirect
	golang.org/x/net v0.20.0
)

require github.com/slack-go/slack v0.12.3
