#!/usr/bin/env python3
"""Builds the labelled DLP corpus (bench/dlp-corpus/corpus.jsonl) from realistic API payload templates.

Independent of the detectors: values are produced by their *definitions* (issuer prefixes and Luhn for
cards, SSA rules for SSNs, ISO 13616 for IBANs, vendor-documented token formats for secrets), placed in
payload shapes seen in real APIs (payments, CRM, support tickets, logs, HR, forms, deploy configs,
webhooks, analytics, shipping), next to hard negatives (order and tracking numbers, UUIDs, hashes,
timestamps, Luhn-failing digit runs, phone-like ids, base64 images, vendor-doc example keys).

Labelling rules (what counts as sensitive) are written down in README.md. Deterministic (fixed seed).
Records whose id % 10 >= 7 form the held-out split: they are never looked at while tuning.
"""
import base64, hashlib, json, random, string, sys, uuid, urllib.parse

R = random.Random(20261122)

# ----------------------------------------------------------------------------- value generators

def luhn_digit(p):
    total = 0
    for i, ch in enumerate(reversed(p)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9: d -= 9
        total += d
    return str((10 - total % 10) % 10)

def card():
    kind = R.choice(["visa", "visa", "mc", "mc2", "amex", "discover", "jcb"])
    if kind == "visa": p, n = "4" + "".join(R.choice(string.digits) for _ in range(5)), 16
    elif kind == "mc": p, n = str(R.randint(51, 55)), 16
    elif kind == "mc2": p, n = str(R.randint(2221, 2720)), 16
    elif kind == "amex": p, n = R.choice(["34", "37"]), 15
    elif kind == "discover": p, n = "6011", 16
    else: p, n = str(R.randint(3528, 3589)), 16
    body = p + "".join(R.choice(string.digits) for _ in range(n - len(p) - 1))
    num = body + luhn_digit(body)
    style = R.choice(["plain", "plain", "space", "dash"])
    if style == "plain": return num
    sep = " " if style == "space" else "-"
    if n == 15: return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i:i + 4] for i in range(0, 16, 4))

TEST_CARDS = ["4111111111111111", "4242424242424242", "5555555555554444", "378282246310005", "6011111111111117"]

def luhn_failing_16():
    while True:
        s = R.choice("123456789") + "".join(R.choice(string.digits) for _ in range(15))
        if luhn_digit(s[:-1]) != s[-1]: return s

def ssn():
    while True:
        a = R.randint(1, 899)
        if a != 666: break
    return "%03d-%02d-%04d" % (a, R.randint(1, 99), R.randint(1, 9999))

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "Priya",
         "Arjun", "Sofia", "Mateo", "Lucía", "Oliver", "Amelia", "Chen", "Fatima", "Noah", "Emma", "Liam", "Aisha", "Kenji"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Martinez", "Patel", "Sharma",
        "Fernández", "López", "Taylor", "Thomas", "Moore", "Nguyen", "Kim", "Okafor", "Schmidt", "Rossi", "Tanaka"]
DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "acme-corp.io", "northwind.com", "contoso.org", "fastmail.fm",
           "proton.me", "globex.co", "initech.net", "hooli.xyz", "umbrella-health.org"]

def ascii_name(s):
    return s.replace("í", "i").replace("á", "a").replace("é", "e").lower()

def person():
    f, l = R.choice(FIRST), R.choice(LAST)
    email = R.choice(["%s.%s", "%s%s", "%s_%s"]) % (ascii_name(f), ascii_name(l))
    if R.random() < 0.3: email += str(R.randint(1, 99))
    return f, l, email + "@" + R.choice(DOMAINS)

US_AREAS = [212, 213, 312, 415, 512, 617, 646, 702, 303, 206, 404, 305, 718, 917, 469, 510]

def phone():
    k = R.random()
    if k < 0.55:
        a, ex, ln = R.choice(US_AREAS), R.randint(201, 989), R.randint(1000, 9999)
        return R.choice(["(%d) %d-%04d", "%d-%d-%04d", "+1 %d %d %04d", "+1-%d-%d-%04d", "%d.%d.%04d"]) % (a, ex, ln)
    if k < 0.75:
        return "+44 7%d %06d" % (R.randint(400, 999), R.randint(0, 999999))
    if k < 0.9:
        return "+91 9%04d %05d" % (R.randint(0, 9999), R.randint(0, 99999))
    return "+33 6 %02d %02d %02d %02d" % ((R.randint(10, 38),) + tuple(R.randint(10, 99) for _ in range(3)))

IBAN_SPECS = {"DE": "8n10n", "GB": "4a14n", "FR": "23n", "ES": "20n", "NL": "4a10n", "IT": "1a22n"}
IBAN_BBAN = {"DE": 18, "GB": 18, "FR": 23, "ES": 20, "NL": 14, "IT": 23}

def iban():
    cc = R.choice(list(IBAN_BBAN))
    if cc == "GB": bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + "".join(R.choice(string.digits) for _ in range(14))
    elif cc == "NL": bban = "".join(R.choice(string.ascii_uppercase) for _ in range(4)) + "".join(R.choice(string.digits) for _ in range(10))
    elif cc == "IT": bban = R.choice(string.ascii_uppercase) + "".join(R.choice(string.digits) for _ in range(22))
    else: bban = "".join(R.choice(string.digits) for _ in range(IBAN_BBAN[cc]))
    n = int("".join(str(int(ch, 36)) for ch in bban + cc + "00"))
    s = cc + "%02d" % (98 - n % 97) + bban
    if R.random() < 0.3: s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s

def nino():
    first = R.choice("ABCEGHJKLMNOPRSTWXYZ"); second = R.choice("ABCEGHJKLMNPRSTWXYZ")
    if first + second in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"): return nino()
    d = "".join(R.choice(string.digits) for _ in range(6)); suf = R.choice("ABCD")
    return R.choice(["%s%s%s" % (first + second, d, suf), "%s %s %s %s %s" % (first + second, d[:2], d[2:4], d[4:], suf)])

VD = [[0,1,2,3,4,5,6,7,8,9],[1,2,3,4,0,6,7,8,9,5],[2,3,4,0,1,7,8,9,5,6],[3,4,0,1,2,8,9,5,6,7],[4,0,1,2,3,9,5,6,7,8],
      [5,9,8,7,6,0,4,3,2,1],[6,5,9,8,7,1,0,4,3,2],[7,6,5,9,8,2,1,0,4,3],[8,7,6,5,9,3,2,1,0,4],[9,8,7,6,5,4,3,2,1,0]]
VP = [[0,1,2,3,4,5,6,7,8,9],[1,5,7,6,2,8,3,0,9,4],[5,8,0,3,7,9,6,1,4,2],[8,9,1,6,0,4,3,5,2,7],[9,4,5,3,1,2,6,8,7,0],
      [4,2,8,6,5,7,3,9,0,1],[2,7,9,3,8,0,6,4,1,5],[7,0,4,6,9,1,3,2,5,8]]
VINV = [0,4,3,2,1,5,6,7,8,9]

def aadhaar():
    body = R.choice("23456789") + "".join(R.choice(string.digits) for _ in range(10))
    c = 0
    for i, ch in enumerate(reversed(body)): c = VD[c][VP[(i + 1) % 8][int(ch)]]
    s = body + str(VINV[c])
    return R.choice([s, "%s %s %s" % (s[:4], s[4:8], s[8:])])

def dni():
    n = R.randint(10000000, 99999999)
    return "%d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23])

def ipv4():
    while True:
        a = R.randint(1, 223)
        if a not in (10, 127, 172, 192): break
    return "%d.%d.%d.%d" % (a, R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))

def ipv6():
    return "2a02:%x:%x:%x::%x" % (R.randint(0x1000, 0xffff), R.randint(1, 0xffff), R.randint(1, 0xffff), R.randint(1, 0xffff))

def dob():
    y, m, d = R.randint(1940, 2005), R.randint(1, 12), R.randint(1, 28)
    return R.choice(["%04d-%02d-%02d" % (y, m, d), "%02d/%02d/%04d" % (m, d, y), "%02d.%02d.%04d" % (d, m, y)])

def rnd(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))

AN = string.ascii_letters + string.digits
HEXL = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64U = string.ascii_letters + string.digits + "-_"

def jwt():
    h = base64.urlsafe_b64encode(json.dumps({"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}).encode()).rstrip(b"=").decode()
    p = base64.urlsafe_b64encode(json.dumps({"sub": str(uuid.UUID(int=R.getrandbits(128))), "iat": 1700000000 + R.randint(0, 9999999),
                                             "scope": "read write"}).encode()).rstrip(b"=").decode()
    return "%s.%s.%s" % (h, p, rnd(B64U, 43))

def pem():
    lines = "\\n".join(rnd(B64, 64) for _ in range(R.randint(6, 12)))
    kind = R.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    return "-----BEGIN %s-----\\n%s\\n-----END %s-----" % (kind, lines, kind)

SECRETS = {
    "GITHUB_TOKEN": lambda: R.choice(["ghp_", "gho_", "ghs_"]) + rnd(AN, 36),
    "STRIPE_SECRET_KEY": lambda: R.choice(["sk_live_", "rk_live_"]) + rnd(AN, R.choice([24, 34, 99])),
    "AWS_ACCESS_KEY_ID": lambda: "AKIA" + rnd(string.ascii_uppercase + "234567", 16),
    "SLACK_TOKEN": lambda: "xoxb-%d-%d-%s" % (R.randint(10**10, 10**11), R.randint(10**12, 10**13), rnd(AN, 24)),
    "GOOGLE_API_KEY": lambda: "AIza" + rnd(B64U, 35),
    "SENDGRID_API_KEY": lambda: "SG." + rnd(B64U, 22) + "." + rnd(B64U, 43),
    "OPENAI_API_KEY": lambda: "sk-proj-" + rnd(B64U, 120),
    "ANTHROPIC_API_KEY": lambda: "sk-ant-api03-" + rnd(B64U, 93) + "AA",
    "NPM_TOKEN": lambda: "npm_" + rnd(AN, 36),
    "SHOPIFY_TOKEN": lambda: "shpat_" + rnd(HEXL, 32),
    "MAILCHIMP_API_KEY": lambda: rnd(HEXL, 32) + "-us" + str(R.randint(1, 21)),
    "TWILIO_API_KEY": lambda: "SK" + rnd(HEXL, 32),
    "GITLAB_TOKEN": lambda: "glpat-" + rnd(B64U, 20),
    "DIGITALOCEAN_TOKEN": lambda: "dop_v1_" + rnd(HEXL, 64),
    "HUGGINGFACE_TOKEN": lambda: "hf_" + rnd(string.ascii_letters, 34),
    "PYPI_TOKEN": lambda: "pypi-AgEIcHlwaS5vcmc" + rnd(B64U, 70),
    "JWT": jwt,
}

DOC_EXAMPLES = ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"]

def order_no(): return R.choice(["ORD-%d-%06d" % (R.randint(2019, 2026), R.randint(0, 999999)), "#%d" % R.randint(100000, 9999999), "PO%08d" % R.randint(0, 10**8)])
def tracking(): return R.choice(["1Z%s%s" % (rnd(string.ascii_uppercase + string.digits, 6), rnd(string.digits, 10)), rnd(string.digits, 12), "9400" + rnd(string.digits, 18)])
def sha256(): return hashlib.sha256(str(R.random()).encode()).hexdigest()
def uid(): return str(uuid.UUID(int=R.getrandbits(128)))
def epoch(): return str(R.randint(1600000000, 1790000000)) + R.choice(["", "123"])
def iso(): return "2025-%02d-%02dT%02d:%02d:%02d.%03dZ" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 999))
def phone_like_id(): return str(R.randint(2000000000, 9999999999))
def image_b64():
    raw = b"\x89PNG\r\n\x1a\n" + bytes(R.getrandbits(8) for _ in range(R.randint(600, 3000)))
    return base64.b64encode(raw).decode()

# ----------------------------------------------------------------------------- payload builder

class P:
    def __init__(self): self.parts, self.labels, self.n = [], [], 0
    def lit(self, s):
        b = s.encode(); self.parts.append(b); self.n += len(b); return self
    def val(self, s, typ=None):
        b = s.encode()
        if typ: self.labels.append({"type": typ, "start": self.n, "end": self.n + len(b)})
        self.parts.append(b); self.n += len(b); return self
    def text(self): return b"".join(self.parts).decode()

def js(s):  # JSON string body (values here need no escaping except quotes/backslashes we never generate)
    return s

# ----------------------------------------------------------------------------- templates

def t_payment():
    p = P(); f, l, e = person()
    p.lit('{"amount":%d,"currency":"%s","order_id":"%s","idempotency_key":"%s",' % (R.randint(100, 99999), R.choice(["usd", "eur", "gbp"]), order_no(), uid()))
    if R.random() < 0.75:
        num = R.choice(TEST_CARDS) if R.random() < 0.15 else card()
        p.lit('"payment_method":{"type":"card","card":{"number":"').val(num, "CREDIT_CARD_NUMBER")
        p.lit('","exp_month":%d,"exp_year":%d' % (R.randint(1, 12), R.randint(2026, 2032)))
        if R.random() < 0.6: p.lit(',"%s":"' % R.choice(["cvc", "cvv", "security_code"])).val(rnd(string.digits, R.choice([3, 3, 4])), "CARD_SECURITY_CODE").lit('"')
        p.lit('}},')
    else:
        p.lit('"payment_method":"pm_%s",' % rnd(AN, 24))
    p.lit('"billing_details":{"name":"%s %s","email":"' % (f, l)).val(e, "EMAIL_ADDRESS").lit('"')
    if R.random() < 0.6: p.lit(',"phone":"').val(phone(), "PHONE_NUMBER").lit('"')
    p.lit(',"address":{"line1":"%d %s St","postal_code":"%05d"}},' % (R.randint(1, 999), R.choice(LAST), R.randint(10000, 99999)))
    p.lit('"metadata":{"cart_id":"%s","fraud_score":%d,"reference":"%s"},"created":%s}' % (uid(), R.randint(0, 99), luhn_failing_16(), epoch()))
    return "application/json", p

def t_crm():
    p = P(); f, l, e = person()
    p.lit('{"contact":{"id":"%s","external_id":"%s","first_name":"%s","last_name":"%s","email":"' % (uid(), phone_like_id(), f, l)).val(e, "EMAIL_ADDRESS").lit('"')
    if R.random() < 0.7: p.lit(',"mobile":"').val(phone(), "PHONE_NUMBER").lit('"')
    if R.random() < 0.5: p.lit(',"date_of_birth":"').val(dob(), "DATE_OF_BIRTH").lit('"')
    if R.random() < 0.3: p.lit(',"ssn":"').val(ssn(), "US_SSN").lit('"')
    p.lit(',"created_at":"%s","updated_at":"%s","lifecycle_stage":"lead","owner_id":%d},' % (iso(), iso(), R.randint(10**6, 10**9)))
    p.lit('"company":{"name":"%s Inc","domain":"%s","employees":%d},' % (R.choice(LAST), R.choice(DOMAINS), R.randint(5, 50000)))
    p.lit('"notes":"Met at conference, follow up on order %s, version 2.%d.%d"}' % (order_no(), R.randint(0, 9), R.randint(0, 20)))
    return "application/json", p

def t_ticket():
    p = P(); f, l, e = person()
    p.lit('{"ticket":{"id":%d,"subject":"%s","requester":{"name":"%s %s","email":"' % (R.randint(10**5, 10**7), R.choice(["Double charge", "Refund request", "Cannot log in", "Shipping delay"]), f, l)).val(e, "EMAIL_ADDRESS").lit('"},')
    p.lit('"comment":{"body":"Hi team, ')
    k = R.random()
    if k < 0.3: p.lit("I was charged twice on my card ").val(card(), "CREDIT_CARD_NUMBER").lit(" for order %s. " % order_no())
    elif k < 0.5: p.lit("please call me back on ").val(phone(), "PHONE_NUMBER").lit(" after 5pm. ")
    elif k < 0.6: p.lit("my SSN is ").val(ssn(), "US_SSN").lit(" if you need to verify. ")
    elif k < 0.7: p.lit("refund to IBAN ").val(iban(), "IBAN").lit(" please. ")
    else: p.lit("tracking number %s has not moved since %s. " % (tracking(), iso()))
    p.lit('Thanks, %s"},' % f)
    if R.random() < 0.4:
        p.lit('"attachments":[{"file_name":"screenshot.png","content_type":"image/png","data":"%s"}],' % image_b64())
    if R.random() < 0.15:
        note = "card on file %s" % card()
        p.lit('"internal_note_b64":"').val(base64.b64encode(note.encode()).decode(), "CREDIT_CARD_NUMBER").lit('",')
    p.lit('"priority":"normal","via":{"channel":"email"},"created_at":"%s"}}' % iso())
    return "application/json", p

def t_log():
    p = P()
    for _ in range(R.randint(3, 8)):
        k = R.random()
        p.lit("%s %s [%s] " % (iso(), R.choice(["INFO", "WARN", "DEBUG"]), uid()[:8]))
        if k < 0.35:
            p.lit("login ok user=").val(person()[2], "EMAIL_ADDRESS").lit(" ip=").val(ipv4(), "IP_ADDRESS").lit(" latency_ms=%d\n" % R.randint(3, 900))
        elif k < 0.45:
            p.lit("request from ").val(ipv6(), "IP_ADDRESS").lit(" path=/v1/orders/%s status=200\n" % order_no())
        elif k < 0.55:
            p.lit("outbound call Authorization: Bearer ").val(jwt(), "JWT").lit(" host=api.partner.example\n")
        elif k < 0.62:
            p.lit("config loaded STRIPE_API_KEY=").val(SECRETS["STRIPE_SECRET_KEY"](), "STRIPE_SECRET_KEY").lit("\n")
        elif k < 0.7:
            p.lit("retrying job checksum=%s attempt=%d trace=%s\n" % (sha256(), R.randint(1, 5), uid()))
        elif k < 0.8:
            p.lit("webhook delivered id=evt_%s at %s epoch=%s\n" % (rnd(AN, 24), iso(), epoch()))
        else:
            p.lit("order %s shipped tracking=%s weight=%d.%dkg\n" % (order_no(), tracking(), R.randint(0, 30), R.randint(0, 9)))
    return "text/plain", p

def t_hr():
    p = P(); f, l, e = person()
    country = R.choice(["GB", "IN", "ES", "US", "DE"])
    p.lit('{"employee":{"employee_number":"E%06d","name":"%s %s","work_email":"' % (R.randint(0, 999999), f, l)).val(e, "EMAIL_ADDRESS").lit('","country":"%s",' % country)
    if country == "GB": p.lit('"national_insurance_number":"').val(nino(), "UK_NINO").lit('",')
    elif country == "IN": p.lit('"aadhaar":"').val(aadhaar(), "IN_AADHAAR").lit('",')
    elif country == "ES": p.lit('"dni":"').val(dni(), "ES_DNI").lit('",')
    elif country == "US": p.lit('"ssn":"').val(ssn(), "US_SSN").lit('",')
    p.lit('"birth_date":"').val(dob(), "DATE_OF_BIRTH").lit('","start_date":"%s",' % iso()[:10])
    p.lit('"bank":{"iban":"').val(iban(), "IBAN").lit('","bic":"%sDEFF%s"},' % (rnd(string.ascii_uppercase, 4), rnd(string.ascii_uppercase + string.digits, 3)))
    p.lit('"salary":{"amount":%d,"currency":"EUR"},"cost_center":"%d-%d"}}' % (R.randint(30000, 180000), R.randint(1000, 9999), R.randint(100, 999)))
    return "application/json", p

def t_form():
    p = P(); f, l, e = person()
    q = urllib.parse.quote_plus
    p.lit("first_name=%s&last_name=%s&email=" % (q(f), q(l))).val(q(e), "EMAIL_ADDRESS")
    if R.random() < 0.6: p.lit("&phone=").val(q(phone()), "PHONE_NUMBER")
    if R.random() < 0.5: p.lit("&password=").val(q(rnd(AN + "!#$%", R.randint(8, 20))), "PASSWORD")
    if R.random() < 0.4: p.lit("&card%5Bnumber%5D=").val(q(card()), "CREDIT_CARD_NUMBER").lit("&card%%5Bexp%%5D=%02d%%2F%d" % (R.randint(1, 12), R.randint(26, 32)))
    p.lit("&plan=pro&referral=%s&utm_campaign=spring_%d&consent=true" % (rnd(string.ascii_lowercase, 8), R.randint(2020, 2026)))
    return "application/x-www-form-urlencoded", p

def t_deploy():
    p = P()
    p.lit('{"service":"checkout","image":"registry.example.com/checkout@sha256:%s","replicas":%d,"env":{' % (sha256(), R.randint(1, 9)))
    p.lit('"LOG_LEVEL":"info","BUILD_ID":"%s","GIT_SHA":"%s"' % (uid(), sha256()[:40]))
    for typ in R.sample(list(SECRETS), R.randint(1, 4)):
        name = typ if typ != "JWT" else "SERVICE_JWT"
        p.lit(',"%s":"' % name).val(SECRETS[typ](), typ).lit('"')
    if R.random() < 0.4:
        p.lit(',"AWS_SECRET_ACCESS_KEY":"').val(rnd(B64, 40), "AWS_SECRET_ACCESS_KEY").lit('"')
    if R.random() < 0.3:
        p.lit(',"OAUTH_CLIENT_SECRET":"').val(rnd(AN, 32), "GENERIC_SECRET").lit('"')
    if R.random() < 0.3:
        p.lit(',"DB_PASSWORD":"').val(rnd(AN + "!@#%^*", R.randint(10, 24)), "PASSWORD").lit('"')
    if R.random() < 0.25:
        p.lit(',"TLS_KEY":"').val(pem(), "PRIVATE_KEY").lit('"')
    p.lit('},"healthcheck":{"path":"/healthz","interval_s":%d}}' % R.randint(5, 60))
    return "application/json", p

def t_webhook():
    p = P(); f, l, e = person()
    p.lit('{"ref":"refs/heads/main","before":"%s","after":"%s","repository":{"id":%d,"full_name":"acme/%s"},' % (sha256()[:40], sha256()[:40], R.randint(10**7, 10**9), R.choice(LAST).lower()))
    p.lit('"head_commit":{"id":"%s","message":"Fix rounding in invoice totals (#%d)","timestamp":"%s",' % (sha256()[:40], R.randint(100, 9999), iso()))
    p.lit('"author":{"name":"%s %s","email":"' % (f, l)).val(e, "EMAIL_ADDRESS").lit('","username":"%s%d"}},' % (ascii_name(f), R.randint(1, 99)))
    p.lit('"installation":{"id":%d},"sender":{"login":"%s","id":%d}}' % (R.randint(10**6, 10**8), ascii_name(l), R.randint(10**5, 10**8)))
    return "application/json", p

def t_docs():
    p = P()
    ex = R.sample(DOC_EXAMPLES, 2)
    p.lit("## Configure the client\n\nSet your credentials, for example:\n\n    export AWS_ACCESS_KEY_ID=%s\n    export TOKEN=%s\n\n" % (ex[0], ex[1]))
    p.lit("Replace the placeholder with your own key. Request id %s, build %s, released %s.\n" % (uid(), sha256()[:12], iso()[:10]))
    p.lit("In test mode use the test card ").val("4242 4242 4242 4242", "CREDIT_CARD_NUMBER").lit(" with any future expiry.\n")
    return "text/markdown", p

def t_analytics():
    p = P()
    p.lit('{"event":"page_view","anonymous_id":"%s","session_id":"%s","timestamp":%s,' % (uid(), uid(), epoch()))
    p.lit('"context":{"ip":"').val(ipv4(), "IP_ADDRESS").lit('","user_agent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/%d.0.%d.%d","locale":"en-US",' % (R.randint(100, 131), R.randint(1000, 6999), R.randint(10, 200)))
    p.lit('"screen":{"width":%d,"height":%d},"app":{"version":"%d.%d.%d","build":"%d"}},' % (R.choice([1920, 1440, 390]), R.choice([1080, 900, 844]), R.randint(1, 9), R.randint(0, 30), R.randint(0, 99), R.randint(1000, 99999)))
    p.lit('"properties":{"path":"/pricing","referrer":"https://www.google.com/","duration_ms":%d,"experiment":"%s"}}' % (R.randint(100, 99999), uid()))
    return "application/json", p

def t_shipping():
    p = P(); f, l, e = person()
    p.lit('{"shipment":{"order_number":"%s","tracking_number":"%s","carrier":"%s","weight_grams":%d,' % (order_no(), tracking(), R.choice(["UPS", "FedEx", "USPS"]), R.randint(100, 30000)))
    p.lit('"ship_to":{"name":"%s %s","phone":"' % (f, l)).val(phone(), "PHONE_NUMBER").lit('","zip":"%05d-%04d"},' % (R.randint(10000, 99999), R.randint(0, 9999)))
    p.lit('"items":[{"sku":"SKU-%d","qty":%d,"barcode":"%s"}],"label_created":"%s"}}' % (R.randint(1000, 99999), R.randint(1, 5), rnd(string.digits, 13), iso()))
    return "application/json", p

def t_upload():
    p = P()
    p.lit('{"file":{"name":"avatar.png","mime":"image/png","content":"data:image/png;base64,%s"},"user_id":"%s","uploaded_at":"%s"}' % (image_b64(), uid(), iso()))
    return "application/json", p

TEMPLATES = [(t_payment, 14), (t_crm, 12), (t_ticket, 12), (t_log, 12), (t_hr, 10), (t_form, 8), (t_deploy, 12),
             (t_webhook, 6), (t_docs, 5), (t_analytics, 6), (t_shipping, 6), (t_upload, 3)]

def main(n, out):
    names = [t for t, w in TEMPLATES for _ in range(w)]
    with open(out, "w") as fh:
        for i in range(n):
            t = R.choice(names)
            ct, p = t()
            rec = {"id": i, "split": "heldout" if i % 10 >= 7 else "tune", "template": t.__name__[2:], "content_type": ct,
                   "payload": p.text(), "labels": p.labels}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, sys.argv[2] if len(sys.argv) > 2 else "corpus.jsonl")
