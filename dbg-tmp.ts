import { redactText } from './src/redact';
import { LocaleCorpus, WORKSPACE_COUNTRIES, formatReport, scoreLocales } from './test/redact/corpusLocales';
const c = new LocaleCorpus(13);
const docs = c.docs(300);
const opts = { defaultCountries: WORKSPACE_COUNTRIES };
const t = performance.now();
const results = docs.map((doc) => ({ doc, findings: redactText(doc.text, opts).findings }));
console.log('ms', performance.now() - t, 'chars', docs.reduce((a, d) => a + d.text.length, 0));
console.log(formatReport(scoreLocales(results)));
let shown = 0;
for (const { doc, findings } of results) {
  for (const s of doc.spans) {
    const ok = findings.some((f) => Math.min(f.end, s.end) - Math.max(f.start, s.start) >= 0.8 * Math.max(f.end - f.start, s.end - s.start));
    if (!ok && shown++ < 40) console.log('MISS', doc.locale, s.label, JSON.stringify(doc.text.slice(Math.max(0, s.start - 25), s.end + 5)), findings.filter(f => f.end > s.start && f.start < s.end).map(f => f.type + ':' + doc.text.slice(f.start, f.end)));
  }
}
shown = 0;
for (const { doc, findings } of results) for (const f of findings) { if (!['PHONE','IPV4','IPV6','CARD','EMAIL','IBAN','SECRET','URL_SECRET','US_SSN'].includes(f.type)) continue; const ok = doc.spans.some(s => Math.min(f.end, s.end) - Math.max(f.start, s.start) >= 0.8 * Math.max(f.end - f.start, s.end - s.start)); if (!ok && shown++ < 30) console.log('FP', doc.locale, f.type, JSON.stringify(doc.text.slice(Math.max(0, f.start - 25), f.end + 5)), JSON.stringify(doc.text.slice(f.start, f.end))); }
shown = 0;
for (const { doc, findings } of results) for (const n of doc.negatives) { const h = findings.filter((f) => f.start < n.end && f.end > n.start); if (h.length && shown++ < 30) console.log('NEG', doc.locale, n.kind, JSON.stringify(doc.text.slice(Math.max(0, n.start - 25), n.end + 3)), h.map(f => f.type)); }
