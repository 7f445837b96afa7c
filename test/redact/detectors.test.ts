// Every built-in detector: what it must find and what it must leave alone.
import { describe, expect, it } from 'vitest';
import type { EntityType } from '../../src/redact';
import { ibanChecksumValid, isIpv4, luhnValid, redactText, ssnValid } from '../../src/redact';
import { digitRuns } from '../../src/redact/detectors';

/** Types found in `text` when only detector `type` runs, with the matched substrings. */
function found(type: EntityType, text: string): string[] {
	return redactText(text, { detectors: [type] }).findings.map((f) => text.slice(f.start, f.end));
}

describe('EMAIL', () => {
	it.each([
		['mail john.doe+tag@example.co.uk now', 'john.doe+tag@example.co.uk'],
		['<Jane_O@sub.example-mail.org>', 'Jane_O@sub.example-mail.org'],
		['end of sentence: a.b@c.io.', 'a.b@c.io'],
		['mailto:x1@y.de', 'x1@y.de'],
	])('finds the address in %j', (text, want) => {
		expect(found('EMAIL', text)).toEqual([want]);
	});
	it.each(['@handle on twitter', 'user@localhost', 'a..b@example.com', 'x@-bad.com', 'price 5@3.50', 'me@example.c0m', '@@@@', 'a@b'])(
		'leaves %j alone',
		(text) => {
			expect(found('EMAIL', text)).toEqual([]);
		},
	);
});

describe('PHONE', () => {
	it.each([
		'+1 415 555 0132', '+14155550132', '(415) 555-0132', '415-555-0132', '415.555.0132', '1-415-555-0132',
		'+44 20 7946 0958', '020 7946 0958', '+49 30 12345678', '+33 6 12 34 56 78', '+61 2 9876 5432',
		'0049 89 1234567', '+34 612 345 678', '+81 3-1234-5678', '+55 11 91234-5678',
	])('finds %s', (phone) => {
		expect(found('PHONE', `Call me on ${phone}, thanks`)).toEqual([phone]);
	});
	it('finds a bare 10-digit run only next to a phone word', () => {
		expect(found('PHONE', 'my mobile: 4155550132')).toEqual(['4155550132']);
		expect(found('PHONE', 'invoice 4155550132 paid')).toEqual([]);
		expect(found('PHONE', 'total 4155550132')).toEqual([]);
	});
	it.each([
		'2024-01-15', '15/01/2024', '01.02.2023', '2024-01-15 10:30', 'order #415-555-0132', 'ORD-2024-001234',
		'v10.15.7', '10.100.20.130', '1.2.3.4.5.6.7.8.9.10', '+12', '123456', 'ticket 415-555-0132', '3.14159265358979',
		'12345678901234567890', 'amount 1,234,567.89',
	])('leaves %j alone', (text) => {
		expect(found('PHONE', `see ${text} ok`)).toEqual([]);
	});
	it('stops before an extension and refuses digits glued to letters', () => {
		expect(found('PHONE', 'call 415-555-0132x12')).toEqual(['415-555-0132']);
		expect(found('PHONE', 'code A415-555-0132')).toEqual([]);
	});
});

describe('CARD', () => {
	it.each(['4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '5500 0000 0000 0004', '3400 000000 00009', '6011000990139424', '4012888888881881'])(
		'finds the Luhn-valid number %s',
		(num) => {
			expect(found('CARD', `card ${num} expires 12/27`)).toEqual([num]);
		},
	);
	// One digit repeated is refused even where Luhn holds (these three do): 13 sixes, 17 twos, 17 fours in groups.
	it.each(['4111 1111 1111 1112', '1234 5678 9012 3456', '0000 0000 0000 0000', '4111 1111-1111 1111', '9111111111111111', 'x4111111111111111', '4111111111111111111111', '6666666666666', '22222222222222222', '4444 4444 4444 4444 4'])(
		'leaves %j alone (Luhn-invalid, wrong range, one digit repeated, mixed separators or glued)',
		(num) => {
			expect(found('CARD', `card ${num} ok`)).toEqual([]);
		},
	);
	it('takes the card and not the year printed after it', () => {
		expect(found('CARD', 'card 4111 1111 1111 1111 2027')).toEqual(['4111 1111 1111 1111']);
	});
	it('checks Luhn', () => {
		expect(luhnValid('79927398713')).toBe(true);
		expect(luhnValid('79927398710')).toBe(false);
	});
});

describe('IBAN', () => {
	it.each([
		'DE89 3704 0044 0532 0130 00', 'DE89370400440532013000', 'GB82 WEST 1234 5698 7654 32', 'FR14 2004 1010 0505 0001 3M02 606',
		'NL91ABNA0417164300', 'ES91 2100 0418 4502 0005 1332', 'IT60 X054 2811 1010 0000 0123 456', 'BE68 5390 0754 7034',
		'CH93 0076 2011 6238 5295 7', 'NO93 8601 1117 947', 'PL61 1090 1014 0000 0712 1981 2874', 'AT61 1904 3002 3457 3201',
	])('finds %s', (iban) => {
		expect(found('IBAN', `pay to ${iban}. thanks`)).toEqual([iban]);
	});
	it.each(['DE89 3704 0044 0532 0130 01', 'DE89 3704 0044 0532 0130', 'XX89370400440532013000', 'GB82WEST123456987654321', 'de89370400440532013000x'])(
		'leaves %j alone (bad check digits, wrong length, unknown country)',
		(iban) => {
			expect(found('IBAN', `pay to ${iban} ok`)).toEqual([]);
		},
	);
	it('checks mod-97', () => {
		expect(ibanChecksumValid('GB82WEST12345698765432')).toBe(true);
		expect(ibanChecksumValid('GB82WEST12345698765433')).toBe(false);
	});
});

describe('US_SSN', () => {
	it.each(['536-22-1234', '536 22 1234'])('finds %s', (ssn) => {
		expect(found('US_SSN', `SSN ${ssn}.`)).toEqual([ssn]);
	});
	it('finds a bare 9-digit number only after SSN words', () => {
		expect(found('US_SSN', 'social security number: 536221234')).toEqual(['536221234']);
		expect(found('US_SSN', 'order 536221234')).toEqual([]);
	});
	it.each(['000-12-3456', '666-12-3456', '900-12-3456', '536-00-1234', '536-22-0000', '078-05-1120', '123-45-6789', '536-22 1234', '1536-22-1234'])(
		'leaves the never-issued or malformed %s alone',
		(ssn) => {
			expect(found('US_SSN', `SSN ${ssn} ok`)).toEqual([]);
		},
	);
	it('applies the invalid-range rules', () => {
		expect(ssnValid('536221234')).toBe(true);
		expect(ssnValid('999221234')).toBe(false);
	});
});

describe('IPV4 and IPV6', () => {
	it.each(['192.168.1.20', '8.8.8.8', '255.255.255.255', '10.0.0.1'])('finds IPv4 %s', (ip) => {
		expect(found('IPV4', `from ${ip}.`)).toEqual([ip]);
	});
	it.each(['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', 'v1.2.3.4', 'version 1.2.3.4', '1.1.1.1.1.1.1.1'])('leaves %j alone', (s) => {
		expect(found('IPV4', `see ${s} ok`)).toEqual([]);
	});
	it.each(['2001:db8::8a2e:370:7334', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'fe80::1', '::1', '::ffff:192.168.1.1'])('finds IPv6 %s', (ip) => {
		expect(found('IPV6', `from ${ip} today`)).toEqual([ip]);
	});
	it.each(['10:30:00', '00:1A:2B:3C:4D:5E', 'a:b', '1::2::3', 'note: this', '12345::1'])('leaves %j alone', (s) => {
		expect(found('IPV6', `see ${s} ok`)).toEqual([]);
	});
});

describe('URL_SECRET and SECRET', () => {
	it('redacts credentials in a URL and secret query parameters, not the rest of the URL', () => {
		const r = redactText('see https://bob:hunter2@example.com/path?page=2&access_token=abc123xyz#sig=deadbeef', { detectors: ['URL_SECRET'] });
		expect(r.text).toBe('see https://[URL_SECRET]@example.com/path?page=2&access_token=[URL_SECRET]#sig=[URL_SECRET]');
	});
	it('leaves an ordinary URL alone', () => {
		expect(found('URL_SECRET', 'https://example.com/help?page=2&lang=en')).toEqual([]);
	});
	it.each([
		['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'],
		['token dG9rOjEyMzQ1Njc4OWFiY2RlZjEyMzQ1Njc4OWFi=', 'dG9rOjEyMzQ1Njc4OWFiY2RlZjEyMzQ1Njc4OWFi='],
		['key sk_live_abcdefghijklmnop1234', 'sk_live_abcdefghijklmnop1234'],
		['api_key = "a1b2c3d4e5"', 'a1b2c3d4e5'],
		['password: hunter22', 'hunter22'],
		['AKIAIOSFODNN7EXAMPLE in the config', 'AKIAIOSFODNN7EXAMPLE'],
		// Known formats are tried only where a regex `\b` lets them start: a run's start, or after '-', '+', '/' in it.
		['authorization:bearer\tabcdefghijklmnop', 'abcdefghijklmnop'],
		['the password is Tr0ub4dor&3xyz', 'Tr0ub4dor&3xyz'],
		['path/sk_test_abcdefghijklmnop1234 end', 'sk_test_abcdefghijklmnop1234'],
		['prod-xoxb-1234567890-abcdef end', 'xoxb-1234567890-abcdef'],
		['x+AIzaSyA1234567890abcdefghijklmnopqrstuv end', 'AIzaSyA1234567890abcdefghijklmnopqrstuv'],
		['token dG9rOjEyMzQ1Njc4OWFiY2RlZjEyMzQ1Njc4OWE== end', 'dG9rOjEyMzQ1Njc4OWFiY2RlZjEyMzQ1Njc4OWE=='],
		['éAKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
	])('finds the secret in %j', (text, secret) => {
		expect(found('SECRET', text)).toEqual([secret]);
	});
	// Not at a word start (glued to a word), or too short after the prefix.
	it.each(['the token is expired', 'password: reset', 'a bearer of good news', 'mysk_live_abcdefghijklmnop1234', 'AKIAIOSFODNN7EXAMPLEabc', 'xBearer abcdefghijklmnop', 'Bearer short'])('leaves %j alone', (text) => {
		expect(found('SECRET', text)).toEqual([]);
	});
});

describe('all detectors together', () => {
	it('reports type, offsets and action but never the value', () => {
		const text = 'Reach jane@example.com or +44 20 7946 0958';
		const r = redactText(text);
		expect(r.text).toBe('Reach [EMAIL] or [PHONE]');
		expect(r.findings).toEqual([
			{ type: 'EMAIL', path: '', start: 6, end: 22, action: 'replace' },
			{ type: 'PHONE', path: '', start: 26, end: 42, action: 'replace' },
		]);
		expect(JSON.stringify(r.findings)).not.toContain('jane');
	});
	it('lets a card win over the phone-looking digit groups inside it', () => {
		expect(redactText('4111 1111 1111 1111').findings.map((f) => f.type)).toEqual(['CARD']);
	});
	it('leaves dates, order numbers, version strings and Luhn-invalid cards untouched', () => {
		const text = 'On 2024-01-15 (15/01/2024), order #123456789 and ORD-2024-001234, app v2.14.3, build 10.15.7, card 1234 5678 9012 3456, at 10:30:00, $1,234.56';
		expect(redactText(text).text).toBe(text);
	});
});

describe('the shared digit-run pass', () => {
	const runsOf = (text: string): { free: string[]; lettered: string[] } => {
		const r = digitRuns(text);
		const list = (l: { count: number; start: Int32Array; end: Int32Array }): string[] =>
			Array.from({ length: l.count }, (_, k) => text.slice(l.start[k], l.end[k]));
		return { free: list(r), lettered: list(r.lettered) };
	};

	it('keeps runs after a separator as free, runs after two ASCII letters as lettered, and drops other glued runs', () => {
		// 2 after one letter, 7 after "_", 5 after a non-ASCII letter: glued, where no detector starts.
		expect(runsOf('030 1234-5678 (DE89 3704) v2 x_7 é5 ab12')).toEqual({
			free: ['030', '1234', '5678', '3704'],
			lettered: ['89', '12'],
		});
	});

	it('finds runs at the very start and end, and in digit soup', () => {
		expect(runsOf('12a34 5')).toEqual({ free: ['12', '5'], lettered: [] });
		expect(runsOf('1.2.3.4').free).toEqual(['1', '2', '3', '4']);
		expect(runsOf('no digits here')).toEqual({ free: [], lettered: [] });
	});
});

describe('context words in any case', () => {
	// The context windows are matched case-insensitively (they used to be lower-cased first).
	it('finds a random run after an upper-case key word or key name', () => {
		expect(found('SECRET', 'Our SECRET (9bd8d981f201eda0cf73df0585e9cdb167e60897) leaked')).toEqual(['9bd8d981f201eda0cf73df0585e9cdb167e60897']);
		expect(found('SECRET', 'API_KEY=579433a325794ca5feb6f0004f24caaa90b827df')).toEqual(['579433a325794ca5feb6f0004f24caaa90b827df']);
	});
	it('leaves a digest under an upper-case digest name alone', () => {
		expect(found('SECRET', 'COMMIT_SHA=9bd8d981f201eda0cf73df0585e9cdb167e60897')).toEqual([]);
	});
	it('takes an upper-case order word as a reason a number is not a phone', () => {
		expect(found('PHONE', 'call 555 123 4567 today')).toEqual(['555 123 4567']);
		expect(found('PHONE', 'ORDER NO. 555 123 4567 today')).toEqual([]);
	});
});

describe('isIpv4', () => {
	it.each(['192.168.1.1', '0.0.0.0', '255.255.255.255'])('accepts %s', (s) => expect(isIpv4(s)).toBe(true));
	it.each(['256.1.1.1', '01.2.3.4', '1.2.3', '1..2.3', '1.2.3.4.5', '1.2.3.4 ', '1234.1.1.1', 'a.b.c.d', ''])('refuses %j', (s) => expect(isIpv4(s)).toBe(false));
});
