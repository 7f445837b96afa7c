// A labelled synthetic corpus: text built from seeded faker fragments, where every personal-data
// span is inserted by the generator, so the true spans are known by construction. Distractors
// (dates, order numbers, versions, Luhn-invalid card numbers, amounts, times) are inserted too and
// must NOT be redacted. Used by accuracy.test.ts (thresholds) and the redact bench (printed numbers).
import { Faker, base, en } from '@faker-js/faker';
import type { Finding } from '../../src/redact';
import { luhnValid } from '../../src/redact';

/** Scored classes: IPV4 and IPV6 count together as IP. */
export type Label = 'EMAIL' | 'PHONE' | 'CARD' | 'IBAN' | 'US_SSN' | 'IP';
export const LABELS: Label[] = ['EMAIL', 'PHONE', 'CARD', 'IBAN', 'US_SSN', 'IP'];

export interface TrueSpan {
	label: Label;
	start: number;
	end: number;
}

export interface Doc {
	text: string;
	spans: TrueSpan[];
	/** Spans of distractors that must survive untouched. */
	distractors: { kind: string; start: number; end: number }[];
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

export class CorpusGenerator {
	readonly f: Faker;

	constructor(seed: number) {
		this.f = new Faker({ locale: [en, base] });
		this.f.seed(seed);
	}

	private int(min: number, max: number): number {
		return this.f.number.int({ min, max });
	}

	private digits(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += String(this.int(0, 9));
		return s;
	}

	email(): string {
		return this.f.internet.email().replace(/'/g, '');
	}

	phone(): string {
		const f = this.int(0, 13);
		const sub = (): string => `${this.int(2, 9)}${this.digits(2)}`;
		const area = `${this.int(2, 9)}${this.digits(2)}`;
		const line = this.digits(4);
		switch (f) {
			case 0: return `+1 ${area} ${sub()} ${line}`;
			case 1: return `+1${area}${sub()}${line}`;
			case 2: return `(${area}) ${sub()}-${line}`;
			case 3: return `${area}-${sub()}-${line}`;
			case 4: return `+44 20 ${this.digits(4)} ${this.digits(4)}`;
			case 5: return `+44 7${this.digits(3)} ${this.digits(6)}`;
			case 6: return `020 ${this.digits(4)} ${this.digits(4)}`;
			case 7: return `+49 30 ${this.int(1, 9)}${this.digits(7)}`;
			case 8: return `+33 6 ${this.digits(2)} ${this.digits(2)} ${this.digits(2)} ${this.digits(2)}`;
			case 9: return `+61 2 ${this.digits(4)} ${this.digits(4)}`;
			case 10: return `0049 89 ${this.int(1, 9)}${this.digits(6)}`;
			case 11: return `+34 ${this.int(6, 7)}${this.digits(2)} ${this.digits(3)} ${this.digits(3)}`;
			case 12: return this.f.phone.number({ style: 'national' });
			default: return this.f.phone.number({ style: 'international' });
		}
	}

	private luhnComplete(prefix: string, len: number): string {
		let body = prefix + this.digits(len - prefix.length - 1);
		for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
		body = '';
		return body;
	}

	cardDigits(): string {
		const kind = this.int(0, 3);
		if (kind === 0) return this.luhnComplete('4', 16);
		if (kind === 1) return this.luhnComplete(`5${this.int(1, 5)}`, 16);
		if (kind === 2) return this.luhnComplete(this.f.helpers.arrayElement(['34', '37']), 15);
		return this.luhnComplete('6011', 16);
	}

	card(): string {
		const d = this.cardDigits();
		const style = this.int(0, 2);
		if (style === 0) return d;
		const sep = style === 1 ? ' ' : '-';
		if (d.length === 15) return [d.slice(0, 4), d.slice(4, 10), d.slice(10)].join(sep);
		return d.match(/.{4}/g)!.join(sep);
	}

	/** 16 digits with a broken Luhn check: must not be redacted. */
	badCard(): string {
		const good = this.cardDigits();
		const last = Number(good[good.length - 1]);
		const bad = good.slice(0, -1) + String((last + 1 + this.int(0, 8)) % 10);
		return luhnValid(bad) ? `${bad.slice(0, -1)}${(Number(bad.slice(-1)) + 1) % 10}` : bad;
	}

	iban(): string {
		const cc = this.f.helpers.arrayElement(['DE', 'GB', 'FR', 'NL', 'ES', 'IT', 'BE', 'CH', 'AT', 'PL', 'SE', 'IE']);
		return this.f.finance.iban({ formatted: this.f.datatype.boolean(), countryCode: cc });
	}

	ssn(): string {
		let area = this.int(1, 899);
		if (area === 666) area = 667;
		return `${pad(area, 3)}-${pad(this.int(1, 99), 2)}-${pad(this.int(1, 9999), 4)}`;
	}

	ip(): string {
		return this.f.datatype.boolean({ probability: 0.7 }) ? this.f.internet.ipv4() : this.f.internet.ipv6();
	}

	distractor(): { kind: string; text: string } {
		const k = this.int(0, 9);
		const y = this.int(2015, 2026);
		const m = pad(this.int(1, 12), 2);
		const d = pad(this.int(1, 28), 2);
		switch (k) {
			case 0: return { kind: 'date', text: `${y}-${m}-${d}` };
			case 1: return { kind: 'date', text: `${d}/${m}/${y}` };
			case 2: return { kind: 'date', text: `${d}.${m}.${y}` };
			case 3: return { kind: 'order', text: `#${this.digits(9)}` };
			case 4: return { kind: 'order', text: `ORD-${y}-${this.digits(6)}` };
			case 5: return { kind: 'version', text: `v${this.int(1, 20)}.${this.int(0, 30)}.${this.int(0, 99)}` };
			case 6: return { kind: 'version', text: `${this.int(1, 15)}.${this.int(0, 20)}.${this.int(0, 9)}` };
			case 7: return { kind: 'badcard', text: this.badCard() };
			case 8: return { kind: 'amount', text: `$${this.int(1, 99)},${this.digits(3)}.${this.digits(2)}` };
			default: return { kind: 'time', text: `${pad(this.int(0, 23), 2)}:${pad(this.int(0, 59), 2)}:${pad(this.int(0, 59), 2)}` };
		}
	}

	filler(): string {
		const k = this.int(0, 4);
		if (k === 0) return this.f.hacker.phrase();
		if (k === 1) return this.f.company.catchPhrase() + '.';
		if (k === 2) return `Thanks ${this.f.person.firstName()}, ${this.f.lorem.sentence()}`;
		if (k === 3) return this.f.lorem.sentence();
		return `I ordered the ${this.f.commerce.productName()} last week and it has not arrived.`;
	}

	/** One message of roughly `sentences` sentences, with PII in `piiRate` of them. */
	doc(sentences = 8, piiRate = 0.5): Doc {
		let text = '';
		const spans: TrueSpan[] = [];
		const distractors: Doc['distractors'] = [];
		const put = (s: string): void => {
			text += s;
		};
		const label = (l: Label, value: string): void => {
			spans.push({ label: l, start: text.length, end: text.length + value.length });
			text += value;
		};
		for (let i = 0; i < sentences; i++) {
			put(this.filler() + ' ');
			if (this.f.datatype.boolean({ probability: piiRate })) {
				const which = this.f.helpers.arrayElement(LABELS);
				const intro: Record<Label, string[]> = {
					EMAIL: ['You can reach me at ', 'my email is ', 'Please write to '],
					PHONE: ['Call me on ', 'my number is ', 'Phone: '],
					CARD: ['I paid with card ', 'the card number is ', 'charged to '],
					IBAN: ['Refund to IBAN ', 'my account is ', 'Bank: '],
					US_SSN: ['My SSN is ', 'social security number ', 'SSN: '],
					IP: ['I logged in from ', 'my IP was ', 'connected via '],
				};
				put(this.f.helpers.arrayElement(intro[which]));
				const value = { EMAIL: () => this.email(), PHONE: () => this.phone(), CARD: () => this.card(), IBAN: () => this.iban(),
					US_SSN: () => this.ssn(), IP: () => this.ip() }[which]();
				const [open, close] = this.f.helpers.arrayElement([['', ''], ['', ''], ['(', ')'], ['"', '"'], ['<', '>'], ['[', ']']]);
				put(open);
				label(which, value);
				put(close + this.f.helpers.arrayElement(['. ', ', thanks. ', ' — is that ok? ', '.\n', '; ', '! ']));
			}
			if (this.f.datatype.boolean({ probability: 0.35 })) {
				const d = this.distractor();
				put(this.f.helpers.arrayElement(['Reference ', 'On ', 'Version ', 'See ', 'Total ', 'At ']));
				distractors.push({ kind: d.kind, start: text.length, end: text.length + d.text.length });
				put(d.text + '. ');
			}
		}
		return { text, spans, distractors };
	}
}

export interface Score {
	label: Label;
	truth: number;
	predicted: number;
	tp: number;
	precision: number;
	recall: number;
}

const labelOf = (type: string): Label | undefined =>
	type === 'IPV4' || type === 'IPV6' ? 'IP' : (LABELS as string[]).includes(type) ? (type as Label) : undefined;

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): number =>
	Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** A prediction matches a true span of the same label when they overlap by ≥ 80% of the longer one. */
export function score(docs: { doc: Doc; findings: Finding[] }[]): { scores: Score[]; distractorHits: Record<string, number> } {
	const acc = new Map<Label, { truth: number; predicted: number; tp: number; tpPred: number }>();
	for (const l of LABELS) acc.set(l, { truth: 0, predicted: 0, tp: 0, tpPred: 0 });
	const distractorHits: Record<string, number> = {};
	for (const { doc, findings } of docs) {
		const preds = findings.map((f) => ({ label: labelOf(f.type), start: f.start, end: f.end })).filter((p) => p.label);
		for (const t of doc.spans) {
			const a = acc.get(t.label)!;
			a.truth++;
			if (preds.some((p) => p.label === t.label && overlap(p, t) >= 0.8 * Math.max(p.end - p.start, t.end - t.start))) a.tp++;
		}
		for (const p of preds) {
			const a = acc.get(p.label!)!;
			a.predicted++;
			if (doc.spans.some((t) => t.label === p.label && overlap(p, t) >= 0.8 * Math.max(p.end - p.start, t.end - t.start))) a.tpPred++;
		}
		for (const d of doc.distractors) {
			if (findings.some((f) => overlap(f, d) > 0)) distractorHits[d.kind] = (distractorHits[d.kind] ?? 0) + 1;
		}
	}
	const scores = LABELS.map((label) => {
		const a = acc.get(label)!;
		return {
			label,
			truth: a.truth,
			predicted: a.predicted,
			tp: a.tp,
			precision: a.predicted ? a.tpPred / a.predicted : 1,
			recall: a.truth ? a.tp / a.truth : 1,
		};
	});
	return { scores, distractorHits };
}

export function formatScores(scores: Score[]): string {
	return scores
		.map((s) => `${s.label.padEnd(7)} truth ${String(s.truth).padStart(5)}  predicted ${String(s.predicted).padStart(5)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`)
		.join('\n');
}
