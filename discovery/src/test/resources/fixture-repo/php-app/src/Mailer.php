<?php
namespace Acme\Mailer;

use Mailgun\Mailgun;
use Stripe\StripeClient;
use Psr\Log\LoggerInterface;

final class Mailer {
    const ENDPOINT = 'https://api.mailgun.net/v3';
}
