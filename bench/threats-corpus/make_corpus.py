#!/usr/bin/env python3
"""Builds corpus.jsonl from attacks.txt and benign_sources.py (deterministic; seed 20261122).

Each line: {"id","split","label","category","kind","context","value"}
  label    attack | benign
  category SQLI | XSS | ... (attack only)
  kind     value (one raw string value) | json_body | form_body | query | xml_body
  context  json_value | json_key | header | query | form | url (for kind=value)
  split    tune | holdout  (holdout: ~30% by a hash of the payload text; never used for tuning)
"""
import copy, hashlib, json, os, random, sys
sys.path.insert(0, os.path.dirname(__file__))
from benign_sources import *

R = random.Random(20261122)
HERE = os.path.dirname(os.path.abspath(__file__))

def split_of(text):
    return "holdout" if int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 10 < 3 else "tune"

# ---- realistic vendor response / webhook bodies; "@" marks a string slot that a value may be placed into
def stripe_charge(v):
    return {"id": "ch_3NxYz2LkdIwHu7ix0abc", "object": "charge", "amount": 4999, "currency": "usd", "captured": True,
            "billing_details": {"address": {"city": v(), "country": "US", "line1": v(), "postal_code": "94107"},
                                "email": "jenny.rosen@example.com", "name": v(), "phone": None},
            "description": v(), "metadata": {"order_id": "6735", "note": v()}, "status": "succeeded",
            "payment_method_details": {"card": {"brand": "visa", "last4": "4242", "exp_month": 8, "exp_year": 2027}}}
def stripe_event(v):
    return {"id": "evt_1NG8Du2eZvKYlo2CUI79vXWy", "object": "event", "api_version": "2023-10-16", "created": 1686089970,
            "type": "customer.updated", "livemode": False,
            "data": {"object": {"id": "cus_NffrFeUfNV2Hib", "object": "customer", "name": v(), "email": "alice@example.com",
                                "address": {"line1": v(), "city": v()}, "description": v(),
                                "metadata": {"crm_id": "003Dn00000A1b2C", "segment": v()}},
                     "previous_attributes": {"description": v()}}}
def hubspot_contacts(v):
    return {"results": [{"id": str(51 + i), "properties": {"firstname": v(), "lastname": v(), "company": v(),
                                                              "email": f"contact{i}@example.org", "city": v(), "notes": v(),
                                                              "lifecyclestage": "lead"},
                         "createdAt": "2024-03-01T10:15:00.000Z", "archived": False} for i in range(3)],
            "paging": {"next": {"after": "NTI1Cg%3D%3D", "link": "https://api.hubapi.com/crm/v3/objects/contacts?after=NTI1Cg%3D%3D"}}}
def zendesk_ticket(v):
    return {"ticket": {"id": 35436, "url": "https://company.zendesk.com/api/v2/tickets/35436.json", "subject": v(),
                       "description": v(), "priority": "high", "status": "open", "tags": ["billing", "enterprise"],
                       "requester": {"name": v(), "email": "requester@example.com"},
                       "custom_fields": [{"id": 27642, "value": v()}, {"id": 27648, "value": v()}],
                       "comments": [{"author_id": 123, "body": v(), "public": True}, {"author_id": 456, "body": v(), "public": False}]}}
def shippo_shipment(v):
    return {"object_id": "5e40ead7cffe4cc1ad45108696162e42", "status": "SUCCESS",
            "address_from": {"name": v(), "company": v(), "street1": v(), "city": v(), "zip": "94117", "country": "US"},
            "address_to": {"name": v(), "street1": v(), "street2": v(), "city": v(), "zip": "10118", "country": "US"},
            "parcels": [{"length": "10", "width": "15", "height": "10", "distance_unit": "in", "weight": "1", "mass_unit": "lb"}],
            "rates": [{"provider": "USPS", "servicelevel": {"name": "Priority Mail", "token": "usps_priority"}, "amount": "7.45",
                       "label_url": None, "messages": [{"text": v()}]}],
            "tracking": {"number": "9205590164917312751089", "history": [{"status_details": v(), "location": {"city": v()}}]}}
def github_issue(v):
    return {"action": "opened", "issue": {"number": 1347, "title": v(), "body": v(), "state": "open",
                                          "user": {"login": "octocat", "id": 1}, "labels": [{"name": v()}]},
            "repository": {"id": 1296269, "full_name": "octocat/Hello-World", "description": v()},
            "sender": {"login": "octocat", "html_url": "https://github.com/octocat"}}
def slack_event(v):
    return {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "team_id": "T061EG9RZ", "api_app_id": "A0FFV41KK",
            "event": {"type": "message", "channel": "C2147483705", "user": "U2147483697", "text": v(), "ts": "1355517523.000005",
                      "blocks": [{"type": "rich_text", "elements": [{"type": "text", "text": v()}]}]},
            "type": "event_callback", "event_id": "Ev08MFMKH6", "event_time": 1234567890}
def paypal_webhook(v):
    return {"id": "WH-2WR32451HC0233532-67976317FL4543714", "event_type": "PAYMENT.CAPTURE.COMPLETED", "summary": v(),
            "resource": {"id": "42311647XV020574X", "amount": {"currency_code": "EUR", "value": "19.99"}, "status": "COMPLETED",
                         "custom_id": v(), "invoice_id": v(), "note_to_payer": v(),
                         "payer": {"name": {"given_name": v(), "surname": v()}, "address": {"address_line_1": v(), "admin_area_2": v()}}},
            "links": [{"href": "https://api.paypal.com/v1/notifications/webhooks-events/WH-2WR32451HC0233532", "rel": "self", "method": "GET"}]}
def salesforce_query(v):
    return {"totalSize": 2, "done": True, "records": [
        {"attributes": {"type": "Account", "url": "/services/data/v59.0/sobjects/Account/001D000000IRFmaIAH"},
         "Id": "001D000000IRFmaIAH", "Name": v(), "BillingStreet": v(), "BillingCity": v(), "Description": v(), "Website": v()},
        {"attributes": {"type": "Account", "url": "/services/data/v59.0/sobjects/Account/001D000000IomazIAB"},
         "Id": "001D000000IomazIAB", "Name": v(), "BillingStreet": v(), "BillingCity": v(), "Description": v(), "Website": v()}]}
TEMPLATES = [stripe_charge, stripe_event, hubspot_contacts, zendesk_ticket, shippo_shipment, github_issue, slack_event,
             paypal_webhook, salesforce_query]

def body_with(payload_slot_value, filler):
    """Builds a random vendor body whose slots hold filler values, then puts payload into one random slot."""
    t = R.choice(TEMPLATES)
    count = [0]
    def counter():
        count[0] += 1
        return None
    t(counter)
    target = R.randrange(count[0])
    idx = [0]
    def v():
        i = idx[0]; idx[0] += 1
        return payload_slot_value if i == target else filler()
    return t(v)

def body_with_key(key, filler):
    t = R.choice(TEMPLATES)
    b = t(filler)
    # NoSQL operator key placed as a filter on a nested field, as a vendor "search echo" or webhook would carry it
    b["filter"] = {"email": {key: filler()}}
    return b

# ---- benign value pools
def ascii_slug(s):
    return "".join(c for c in s.lower() if c.isascii() and c.isalnum()) or "user"
def rid(prefix, n=14):
    return prefix + "".join(R.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789") for _ in range(n))
def uuid():
    h = "".join(R.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

def benign_values():
    out = []  # (context, value)
    names = [f"{f} {l}" for f in FIRST for l in LAST]
    R.shuffle(names)
    out += [("json_value", n) for n in names[:700]]
    out += [("json_value", f"{ascii_slug(f)}.{ascii_slug(l)}@{R.choice(['example.com','mail.example.org','corp.example.net'])}")
            for f, l in zip(R.sample(FIRST, len(FIRST)) * 5, R.sample(LAST, len(LAST)) * 5)][:220]
    out += [("json_value", c) for c in COMPANIES] + [("json_value", p) for p in PRODUCTS]
    out += [("json_value", f"{R.choice(PRODUCTS)} — sold by {R.choice(COMPANIES)}") for _ in range(250)]
    out += [("json_value", s) for s in STREETS] + [("json_value", c) for c in CITIES]
    out += [("json_value", f"Attn: {R.choice(names)}, {R.choice(STREETS)}") for _ in range(250)]
    out += [("json_value", p) for p in PROSE]
    out += [("json_value", f"{R.choice(PROSE)} {R.choice(PROSE)}") for _ in range(600)]
    out += [("json_value", f"Hi {R.choice(FIRST)}, {R.choice(PROSE)}") for _ in range(400)]
    out += [("json_value", t) for t in TICKETS_CODE]
    out += [("json_value", f"Ticket #{R.randint(1000, 99999)} from {R.choice(names)}: {R.choice(TICKETS_CODE)}") for _ in range(200)]
    out += [("json_value", f"{R.choice(TICKETS_CODE)}\n\nThanks,\n{R.choice(FIRST)}") for _ in range(150)]
    out += [("json_value", m) for m in MARKDOWN] + [("json_value", f"{R.choice(MARKDOWN)}\n\n{R.choice(PROSE)}") for _ in range(80)]
    urls = [h + p for h in PUBLIC_HOSTS for p in URL_PATHS]
    R.shuffle(urls)
    out += [("url", u) for u in urls[:350]]
    out += [("header", h) for h in HEADER_VALUES]
    out += [("json_value", " ".join(R.choice(WORDS) for _ in range(R.randint(3, 9)))) for _ in range(400)]
    out += [("json_value", " ".join(R.choice(WORDS) for _ in range(R.randint(2, 5))).capitalize() + R.choice([".", "?", "!", "", " :)"])) for _ in range(150)]
    # typical API scalar fields
    for _ in range(60):
        out += [("json_value", rid("ch_", 24)), ("json_value", rid("cus_")), ("json_value", uuid()),
                ("json_value", f"2024-{R.randint(1,12):02d}-{R.randint(1,28):02d}T{R.randint(0,23):02d}:{R.randint(0,59):02d}:00Z"),
                ("json_value", f"{R.randint(1, 99999)}.{R.randint(0, 99):02d}"),
                ("json_value", R.choice(["succeeded", "pending", "requires_action", "IN_TRANSIT", "DELIVERED", "open", "closed", "ACTIVE"])),
                ("json_value", f"+{R.randint(1, 99)} {R.randint(100, 999)} {R.randint(100, 999)} {R.randint(1000, 9999)}"),
                ("json_value", f"1Z{R.randint(100, 999)}AA1{R.randint(10**9, 10**10 - 1)}"),
                ("json_value", f"SKU-{R.randint(1000, 9999)}-{R.choice(['RED','BLU','GRN'])}-{R.choice(['S','M','L','XL'])}"),
                ("json_value", f"GB{R.randint(10, 99)}NWBK{R.randint(10**13, 10**14 - 1)}"),
                ("json_value", f"{R.choice(['invoice','report','contract','photo'])} {R.randint(2019, 2025)}-{R.randint(1,12):02d} ({R.choice(['final','copy','v2','signed'])}).{R.choice(['pdf','docx','png','xlsx'])}"),
                ("json_value", f"/v1/customers/{rid('cus_')}/invoices?limit={R.randint(1, 100)}"),
                ("json_value", f"{R.randint(1, 31)}/{R.randint(1, 12)}/{R.randint(2000, 2030)}"),
                ("json_value", f"{R.randint(0, 100)}%"), ("json_value", "#%06x" % R.randint(0, 0xFFFFFF)),
                ("json_value", f"{R.randint(0, 9)}.{R.randint(0, 30)}.{R.randint(0, 99)}"),
                ("json_value", R.choice(["application/json", "image/png", "text/csv; charset=utf-8", "multipart/form-data; boundary=----abc"])),
                ("json_value", R.choice(["en-US", "de-DE", "pt_BR", "zh-Hans-CN", "America/New_York", "Europe/Zürich", "Asia/Tokyo"])),
                ("json_value", R.choice(["*/5 * * * *", "0 0 * * 1-5", "@daily", "0 */2 * * *"])),
                ("json_value", "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(R.randint(16, 60))) + "=="),
                ("json_value", "".join(R.choice("0123456789abcdef") for _ in range(64))),
                ("json_value", f"({R.randint(1, 9)} + {R.randint(1, 9)}) * {R.randint(1, 9)} = ?"),
                ("json_value", R.choice(["#blackfriday", "@acme_support", ":-)", ";)", "¯\\_(ツ)_/¯", "<3", "→ next step", "¡Hola!", "¿Qué?", "N/A", "--", "..."])),
                ("json_value", f"{R.choice(FIRST)},{R.choice(LAST)},{R.randint(18, 90)},\"{R.choice(CITIES)}\""),
                ("json_value", f"{R.randint(1, 999)} {R.choice(['Main St', 'High Street', 'Rue de la Paix', 'Elm Ave', 'Bahnhofstr.'])} {R.choice(['', 'Apt 2', '#12', 'Suite 400', 'Unit 7/B'])}".strip()),
                ("header", R.choice(HEADER_VALUES)),
                ]
    return out

def benign_xml():
    docs = []
    for _ in range(40):
        name = R.choice(FIRST) + " " + R.choice(LAST)
        esc = name.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;")
        docs.append(R.choice([
            f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetRateResponse><Rate currency="EUR">{R.randint(1, 999)}.{R.randint(0, 99):02d}</Rate><Customer>{esc}</Customer></GetRateResponse></soap:Body></soap:Envelope>',
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Vendor status</title><item><title>Maintenance on {R.randint(1, 28)} May</title><description>{esc} wrote: scheduled &amp; announced.</description></item></channel></rss>',
            f'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>INV-{R.randint(1000, 9999)}</ID><Note><![CDATA[Paid by {name} <thanks!>]]></Note><!-- generated --></Invoice>',
            f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://www.example.com/p/{R.randint(1, 999)}</loc></url></urlset>',
            f'<TrackResponse><TrackInfo ID="9400100000000000000000"><TrackSummary>Delivered, {R.choice(CITIES)}</TrackSummary></TrackInfo></TrackResponse>',
        ]))
    return docs

def benign_form():
    forms = []
    from urllib.parse import urlencode
    for _ in range(120):
        forms.append(urlencode({"AccountSid": "AC" + "".join(R.choice("0123456789abcdef") for _ in range(32)),
                                "From": f"+1555{R.randint(1000000, 9999999)}", "To": "+15550001111",
                                "Body": R.choice(PROSE + TICKETS_CODE[:10]), "FromCity": R.choice(CITIES), "NumMedia": "0"}))
    return forms

def benign_queries():
    from urllib.parse import urlencode
    return [urlencode({"q": R.choice(PROSE + PRODUCTS), "page": R.randint(1, 9), "sort": R.choice(["-created", "name", "price"])}) for _ in range(120)]

def filler_pool():
    pool = [v for c, v in benign_values() if c == "json_value"]
    return lambda: R.choice(pool)

def main():
    items = []
    def add(label, category, kind, context, value, split_key=None):
        items.append({"id": len(items) + 1, "split": split_of(split_key or value), "label": label, "category": category,
                      "kind": kind, "context": context, "value": value})
    filler = filler_pool()
    with open(os.path.join(HERE, "attacks.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cat, ctx, payload = line.split("\t", 2)
            payload = payload.replace("\\n", "\n") if ctx in ("xml",) or cat == "CMDI" else payload
            if ctx in ("value", "header", "url"):
                add("attack", cat, "value", {"value": "json_value"}.get(ctx, ctx), payload)
                add("attack", cat, "json_body", "json_value", json.dumps(body_with(payload, filler), ensure_ascii=False), payload)
                if payload.lstrip().startswith("{"):
                    try:
                        add("attack", cat, "json_body", "json_value", json.dumps(body_with(json.loads(payload), filler), ensure_ascii=False), payload)
                    except ValueError:
                        pass
            elif ctx == "key":
                add("attack", cat, "value", "json_key", payload)
                add("attack", cat, "json_body", "json_key", json.dumps(body_with_key(payload, filler), ensure_ascii=False), payload)
            elif ctx == "query":
                add("attack", cat, "query", "query", payload)
            elif ctx == "form":
                add("attack", cat, "form_body", "form", payload)
            elif ctx == "xml":
                add("attack", cat, "xml_body", "xml", payload)
                add("attack", cat, "json_body", "json_value", json.dumps(body_with(payload, filler), ensure_ascii=False), payload)
    for ctx, v in benign_values():
        add("benign", None, "value", ctx, v)
    for _ in range(400):
        add("benign", None, "json_body", "json_value", json.dumps(body_with(filler(), filler), ensure_ascii=False))
    for x in benign_xml():
        add("benign", None, "xml_body", "xml", x)
    for fm in benign_form():
        add("benign", None, "form_body", "form", fm)
    for q in benign_queries():
        add("benign", None, "query", "query", q)
    with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    from collections import Counter
    print(Counter((i["label"], i["kind"]) for i in items), file=sys.stderr)
    print(Counter((i["category"], i["split"]) for i in items if i["label"] == "attack"), file=sys.stderr)

main()
