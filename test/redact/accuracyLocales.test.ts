// Issue 13 thresholds on the multilingual labelled corpus (7 locales, plain text and HTML; labels
// from the generator, see corpusLocales.ts): recall ≥ 97 % overall and ≥ 95 % per locale, precision
// ≥ 95 %, hard negatives (dates, versions, order numbers, invalid IBANs and cards, prices, tracking
// numbers …) touched ≤ 2 %. The report is printed too (`npm run bench redact` prints it as well).
import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/redact';
import { LABELS, LOCALES, LocaleCorpus, WORKSPACE_COUNTRIES, formatReport, scoreLocales } from './corpusLocales';

describe('accuracy on the multilingual corpus (7 locales)', () => {
	const docs = new LocaleCorpus(20261205).docs(100);
	const opts = { defaultCountries: WORKSPACE_COUNTRIES };
	const report = scoreLocales(docs.map((doc) => ({ doc, findings: redactText(doc.text, opts).findings })));
	console.log(`multilingual corpus, ${docs.length} messages:\n${formatReport(report)}`);

	it('has enough of every type, locale and negative kind to mean something', () => {
		for (const l of LABELS) expect(report.byLabel[l].truth).toBeGreaterThan(l === 'US_SSN' ? 30 : 200);
		for (const l of LOCALES) expect(report.byLocale[l].truth).toBeGreaterThan(200);
		expect(report.negatives.total).toBeGreaterThan(1500);
		expect(Object.keys(report.negatives.byKind).sort()).toEqual(
			['commit hash', 'date', 'invalid IBAN', 'invalid card', 'order', 'postcode', 'price', 'quantity', 'time', 'tracking', 'version'],
		);
	});

	it('recall ≥ 97 % overall and ≥ 95 % in every locale', () => {
		expect(report.overall.found / report.overall.truth).toBeGreaterThanOrEqual(0.97);
		for (const l of LOCALES) expect({ locale: l, recall: report.byLocale[l].found / report.byLocale[l].truth }).toEqual({ locale: l, recall: expect.toSatisfy((r: number) => r >= 0.95) });
	});

	it('precision ≥ 95 % overall, per type and per locale', () => {
		expect(report.overall.correct / report.overall.predicted).toBeGreaterThanOrEqual(0.95);
		for (const l of LABELS) expect({ type: l, precision: report.byLabel[l].correct / report.byLabel[l].predicted }).toEqual({ type: l, precision: expect.toSatisfy((p: number) => p >= 0.95) });
		for (const l of LOCALES) expect({ locale: l, precision: report.byLocale[l].correct / report.byLocale[l].predicted }).toEqual({ locale: l, precision: expect.toSatisfy((p: number) => p >= 0.95) });
	});

	it('touches ≤ 2 % of the hard negatives', () => {
		expect(report.negatives.hit / report.negatives.total).toBeLessThanOrEqual(0.02);
	});

	it('without the workspace countries, national formats are missed (the option matters)', () => {
		const without = scoreLocales(docs.map((doc) => ({ doc, findings: redactText(doc.text).findings })));
		expect(without.byLabel.PHONE.found).toBeLessThan(report.byLabel.PHONE.found);
	});
});
