#!/usr/bin/env python3
"""Generates a source tree of about SIZE_MB megabytes for bench/scan-repo.sh.

Mostly source-like text in seven languages (dotted identifiers everywhere, as real code has), with vendor
and unknown URLs sprinkled in, manifests and lock files per module, vendored node_modules/vendor dirs,
binary files and a few files above the 4 MiB size cap. Deterministic (fixed seed)."""
import os, random, sys

root, size_mb = sys.argv[1], int(sys.argv[2])
target = size_mb * 1024 * 1024
rnd = random.Random(6)

URLS = ["https://api.stripe.com/v1/charges", "https://api.twilio.com/2010-04-01/Accounts", "https://api.sendgrid.com/v3/mail/send",
        "https://slack.com/api/chat.postMessage", "https://api.openai.com/v1/chat/completions", "https://api.github.com/repos",
        "https://sqs.us-east-1.amazonaws.com/123/q", "https://api.partner-%d.example-logistics.io/v2/orders",
        "http://localhost:8080/health", "https://www.w3.org/2001/XMLSchema", "https://docs.stripe.com/api"]
LANGS = {
    "java": ("import com.stripe.model.Charge;\nimport java.util.List;\nimport com.acme.core.Service%d;\n",
             "    public Result handle%d(Request request) {\n        var value = this.repository.findById(request.getId()).orElseThrow();\n        log.info(\"handled {}\", value.getName());\n        return Result.ok(value.toString());\n    }\n"),
    "py": ("import os\nimport boto3\nfrom acme.core import service_%d\n",
           "def handle_%d(request):\n    value = self.repository.find_by_id(request.id)\n    logger.info('handled %%s', value.name)\n    return {'ok': True, 'value': str(value)}\n\n"),
    "ts": ("import { WebClient } from '@slack/web-api';\nimport { thing%d } from './thing';\n",
           "export async function handle%d(req: Request): Promise<Result> {\n  const value = await this.repository.findById(req.params.id);\n  console.log(`handled ${value.name}`);\n  return { ok: true, value: value.toString() };\n}\n"),
    "go": ("package svc\n\nimport (\n\t\"fmt\"\n\t\"github.com/stripe/stripe-go/v76\"\n\t\"github.com/acme/core/svc%d\"\n)\n",
           "func Handle%d(req *Request) (*Result, error) {\n\tvalue, err := s.repository.FindByID(req.ID)\n\tif err != nil {\n\t\treturn nil, fmt.Errorf(\"find: %%w\", err)\n\t}\n\treturn &Result{OK: true, Value: value.String()}, nil\n}\n"),
    "rb": ("require 'stripe'\nrequire 'acme/core/service_%d'\n",
           "  def handle_%d(request)\n    value = @repository.find_by_id(request.id)\n    Rails.logger.info(\"handled #{value.name}\")\n    { ok: true, value: value.to_s }\n  end\n"),
    "php": ("<?php\nuse Stripe\\StripeClient;\nuse Acme\\Core\\Service%d;\n",
            "    public function handle%d(Request $request): Result {\n        $value = $this->repository->findById($request->id);\n        $this->log->info(\"handled {$value->name}\");\n        return new Result(true, (string) $value);\n    }\n"),
    "cs": ("using System;\nusing Twilio;\nusing Acme.Core.Service%d;\n",
           "    public Result Handle%d(Request request) {\n        var value = this.Repository.FindById(request.Id);\n        Log.Information(\"handled {Name}\", value.Name);\n        return Result.Ok(value.ToString());\n    }\n"),
}
MANIFESTS = {
    "pom.xml": "<project><dependencies>\n" + "".join("<dependency><groupId>com.acme</groupId><artifactId>lib%d</artifactId><version>1.0</version></dependency>\n" % i for i in range(40)) +
               "<dependency><groupId>com.stripe</groupId><artifactId>stripe-java</artifactId><version>26.1.0</version></dependency>\n</dependencies></project>\n",
    "package.json": '{"name": "x", "dependencies": {"stripe": "^14.0.0", "@slack/web-api": "^7.0.0", "express": "^4.19.0"}}\n',
    "package-lock.json": '{"lockfileVersion": 3, "packages": {' + ",".join('"node_modules/pkg%d": {"version": "1.0.%d"}' % (i, i) for i in range(3000)) + ', "node_modules/stripe": {"version": "14.25.0"}}}\n',
    "requirements.txt": "boto3==1.34.0\nrequests>=2\nopenai>=1.0\n",
    "go.mod": "module github.com/acme/x\n\ngo 1.22\n\nrequire (\n\tgithub.com/stripe/stripe-go/v76 v76.25.0\n\tgolang.org/x/net v0.20.0\n)\n",
    "Gemfile.lock": "GEM\n  remote: https://rubygems.org/\n  specs:\n    stripe (10.5.0)\n    rack (3.0.9)\n",
    "yarn.lock": "".join('pkg%d@^1.0.0:\n  version "1.0.%d"\n\n' % (i, i) for i in range(2000)),
}

def source(lang, n_bytes, seed):
    head, body = LANGS[lang]
    parts = [head % seed]
    size = len(parts[0])
    i = 0
    while size < n_bytes:
        chunk = body % (seed * 1000 + i)
        if rnd.random() < 0.05:
            url = rnd.choice(URLS)
            if "%d" in url:
                url = url % rnd.randint(1, 50)
            chunk += '    endpoint = "%s"\n' % url
        if rnd.random() < 0.002:
            chunk += '    key = "AKIA%s"\n' % "".join(rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        parts.append(chunk)
        size += len(chunk)
        i += 1
    return "".join(parts)

written = 0
module = 0
while written < target:
    mdir = os.path.join(root, "services", "svc%04d" % module)
    os.makedirs(os.path.join(mdir, "src"), exist_ok=True)
    for name, text in MANIFESTS.items():
        if rnd.random() < 0.5:
            with open(os.path.join(mdir, name), "w") as f:
                f.write(text)
            written += len(text)
    # templates per language are built once per module and reused for its files (cheap to generate)
    templates = {lang: source(lang, rnd.choice([4000, 12000, 30000, 60000]), module) for lang in LANGS}
    for k in range(30):
        lang = rnd.choice(list(LANGS))
        text = templates[lang]
        with open(os.path.join(mdir, "src", "file%03d.%s" % (k, lang)), "w") as f:
            f.write(text)
        written += len(text)
    if module % 10 == 0:
        nm = os.path.join(mdir, "node_modules", "stripe")
        os.makedirs(nm, exist_ok=True)
        with open(os.path.join(nm, "index.js"), "w") as f:
            f.write(templates["ts"])
        with open(os.path.join(mdir, "logo.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(20000))
        with open(os.path.join(mdir, "blob.data"), "wb") as f:
            f.write(b"DATA\x00" + os.urandom(50000))
        written += 70000
    if module % 200 == 0:
        with open(os.path.join(mdir, "huge-dump.json"), "w") as f:
            f.write(("{\"url\": \"https://api.stripe.com/v1/x\", \"pad\": \"" + "x" * 1000 + "\"}\n") * 5000)
        written += 5_200_000
    module += 1
print("generated %d modules, ~%d MB" % (module, written // (1024 * 1024)), file=sys.stderr)
