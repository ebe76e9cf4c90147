package stripe
const APIURL = "https://api.stripe.com"
