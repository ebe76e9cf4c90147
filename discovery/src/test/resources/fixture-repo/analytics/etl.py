import os, mixpanel
import boto3
from anthropic import Anthropic
from .local import thing

ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"
BUCKET_HOST = "acme-reports.s3.amazonaws.com"
STRIPE_KEY = "sk_live_51HqFakeKeyForFixture00000000"
CONTACT = "billing@stripe.com"
