// Runs secretlint (secrets) and redact-pii (PII) on the DLP corpus; prints precision/recall and throughput.
// secretlint: class SECRET (its rule ids do not map to our types). redact-pii: its own regex patterns (the ones its
// SyncRedactor applies, earlier pattern wins on overlap), scored on the types it claims to detect.
import fs from 'node:fs';
import { createRequire } from 'node:module';
const here = new URL('.', import.meta.url).pathname;
const require = createRequire(here + 'dlp-npm/');
const { lintSource } = require('@secretlint/core');
const presetMod = require('@secretlint/secretlint-rule-preset-recommend');
const preset = presetMod.creator ?? presetMod.default?.creator ?? presetMod;
const pat = require('redact-pii/lib/built-ins/simple-regexp-patterns');

const corpus = fs.readFileSync(process.argv[2] ?? here + 'dlp-corpus/corpus.jsonl', 'utf8').trim().split('\n').map(JSON.parse);
const SECRET = new Set(['PRIVATE_KEY', 'JWT', 'PASSWORD', 'GENERIC_SECRET', 'AWS_SECRET_ACCESS_KEY', 'MAILCHIMP_API_KEY']);
const isSecret = t => SECRET.has(t) || /_(TOKEN|KEY|KEY_ID|SECRET|URL)$/.test(t);
const byteOff = (s, i) => Buffer.byteLength(s.slice(0, i));

function score(name, predictAll, labelFilter, typeOf, mbpsOverride) {
  const cnt = {};
  const c = k => (cnt[k] ??= { tp: 0, fp: 0, fn: 0 });
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  const preds = [];
  const byLabel = {};
  for (const r of corpus) { preds.push(predictAll(r.payload)); bytes += Buffer.byteLength(r.payload); }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  corpus.forEach((r, idx) => {
    const labels = r.labels.filter(l => labelFilter(l.type)).map(l => ({ ...l, m: false }));
    for (const p of preds[idx]) {
      const hit = labels.find(l => !l.m && typeOf(l.type) === p.type && p.start < l.end && l.start < p.end);
      for (const split of [r.split, 'all']) c(split + ' ' + p.type)[hit ? 'tp' : 'fp']++;
      if (hit) hit.m = true;
    }
    for (const l of labels) if (!l.m) for (const split of [r.split, 'all']) c(split + ' ' + typeOf(l.type)).fn++;
    for (const l of labels) { const k = l.type; (byLabel[k] ??= { found: 0, all: 0 }).all++; if (l.m) byLabel[k].found++; }
  });
  const mbps = mbpsOverride ?? bytes / secs / 1e6;
  console.log(`\n== ${name}: ${mbps.toFixed(2)} MB/s on ${bytes} bytes, one thread`);
  console.log('  split   type                        tp     fp     fn precision  recall');
  for (const [k, v] of Object.entries(cnt).sort()) {
    const [split, type] = k.split(' ');
    const p = v.tp + v.fp ? (v.tp / (v.tp + v.fp)).toFixed(3) : '-', rc = v.tp + v.fn ? (v.tp / (v.tp + v.fn)).toFixed(3) : '-';
    console.log(`  ${split.padEnd(7)} ${type.padEnd(26)} ${String(v.tp).padStart(5)} ${String(v.fp).padStart(6)} ${String(v.fn).padStart(6)} ${p.padStart(9)} ${rc.padStart(7)}`);
  }
  console.log('  recall by labelled type: ' + Object.entries(byLabel).sort().map(([t, v]) => `${t} ${v.found}/${v.all}`).join(', '));
}

// secretlint's core is async; run every payload, then score.
const secretlintResults = [];
let slBytes = 0;
const t0 = process.hrtime.bigint();
for (const r of corpus) {
  const res = await lintSource({
    source: { filePath: '/corpus/payload.txt', content: r.payload, ext: '.txt', contentType: 'text' },
    options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset }] } },
  });
  secretlintResults.push(res.messages.filter(m => m.range).map(m => ({ type: 'SECRET', start: byteOff(r.payload, m.range[0]), end: byteOff(r.payload, m.range[1]) })));
  slBytes += Buffer.byteLength(r.payload);
}
const slSecs = Number(process.hrtime.bigint() - t0) / 1e9;
let i = 0;
score('secretlint 11.7.1 (preset-recommend), class SECRET',
  () => secretlintResults[i++], isSecret, () => 'SECRET', slBytes / slSecs / 1e6);

const ORDER = [['creditCardNumber', 'CREDIT_CARD_NUMBER'], ['streetAddress', null], ['zipcode', null], ['phoneNumber', 'PHONE_NUMBER'],
  ['ipAddress', 'IP_ADDRESS'], ['usSocialSecurityNumber', 'US_SSN'], ['emailAddress', 'EMAIL_ADDRESS'], ['username', null],
  ['password', 'PASSWORD'], ['credentials', 'PASSWORD'], ['digits', null], ['url', null]];
const COMPARABLE = new Set(['CREDIT_CARD_NUMBER', 'PHONE_NUMBER', 'IP_ADDRESS', 'US_SSN', 'EMAIL_ADDRESS', 'PASSWORD']);
function redactPii(text) {
  const taken = [], out = [];
  for (const [key, type] of ORDER) {
    const re = new RegExp(pat[key].source, pat[key].flags);
    for (const m of text.matchAll(re)) {
      const s = m.index, e = m.index + m[0].length;
      if (e === s || taken.some(([a, b]) => s < b && a < e)) continue;
      taken.push([s, e]);
      if (type) out.push({ type, start: byteOff(text, s), end: byteOff(text, e) });
    }
  }
  return out;
}
score('redact-pii 3.4.0 (its regex patterns), types it detects', redactPii, t => COMPARABLE.has(t), t => t);
