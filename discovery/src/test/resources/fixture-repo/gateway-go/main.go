package main

import (
	"fmt"
	stripe "github.com/stripe/stripe-go/v76"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const githubAPI = "https://api.github.com/repos/acme/gateway"

func main() { fmt.Println(stripe.Key, s3.New) }
