require 'stripe'
require "twilio-ruby"
require_relative 'helpers'

Stripe.api_key = ENV.fetch('STRIPE_KEY')
