/**
 * Streaming CSV parser (RFC 4180: commas, double-quoted fields with "" escapes and line breaks
 * inside quotes, LF or CRLF). Text arrives in arbitrary chunks; a record split across chunks is
 * kept until its end arrives. Lines without quotes take a fast path (indexOf + split), which is
 * what exports mostly consist of.
 */
export class CsvParser {
	private rest = '';

	/** Parse as much as possible of `text` (appended to what was left over). */
	push(text: string, out: string[][]): void {
		this.parse(this.rest + text, false, out);
	}

	/** End of input: the last record may lack its line break. */
	end(out: string[][]): void {
		this.parse(this.rest, true, out);
		this.rest = '';
	}

	private parse(s: string, final: boolean, out: string[][]): void {
		let pos = 0;
		let nextQuote = s.indexOf('"');
		const len = s.length;
		while (pos < len) {
			if (nextQuote !== -1 && nextQuote < pos) nextQuote = s.indexOf('"', pos);
			let nl = s.indexOf('\n', pos);
			if (nextQuote === -1 || (nl !== -1 && nl < nextQuote)) {
				// Fast path: an unquoted line.
				if (nl === -1) {
					if (!final) break;
					nl = len;
				}
				const end = nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
				if (end > pos) out.push(s.slice(pos, end).split(','));
				pos = nl + 1;
				continue;
			}
			const next = this.quoted(s, pos, final, out);
			if (next === -1) break;
			pos = next;
		}
		this.rest = pos < len ? s.slice(pos) : '';
	}

	/** A record with quotes in it, from `start`. Returns the index after it, or -1 if it is incomplete. */
	private quoted(s: string, start: number, final: boolean, out: string[][]): number {
		const fields: string[] = [];
		let field = '';
		let i = start;
		const len = s.length;
		let inQuotes = false;
		while (i < len) {
			const c = s.charCodeAt(i);
			if (inQuotes) {
				if (c === 34) {
					if (i + 1 >= len) {
						if (!final) return -1; // can't tell "" from the closing quote yet
						inQuotes = false;
						i++;
						continue;
					}
					if (s.charCodeAt(i + 1) === 34) {
						field += '"';
						i += 2;
					} else {
						inQuotes = false;
						i++;
					}
				} else {
					const q = s.indexOf('"', i);
					const stop = q === -1 ? len : q;
					field += s.slice(i, stop);
					i = stop;
				}
				continue;
			}
			if (c === 34) {
				inQuotes = true;
				i++;
			} else if (c === 44) {
				fields.push(field);
				field = '';
				i++;
			} else if (c === 10 || c === 13) {
				if (c === 13) {
					if (i + 1 >= len && !final) return -1;
					if (s.charCodeAt(i + 1) === 10) i++;
				}
				fields.push(field);
				out.push(fields);
				return i + 1;
			} else {
				field += s[i];
				i++;
			}
		}
		if (!final) return -1;
		fields.push(field);
		out.push(fields);
		return len;
	}
}
