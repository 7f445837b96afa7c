// The stricter level's data points: a name matches whatever its case, spacing and accents (the
// requester types "Jose Nunez" on a keyboard without them; Intercom holds "José Núñez"), the same
// fold as the redaction engine's; only counts and kinds come back, never the values.
import type { Intercom } from 'intercom-client';
import { describe, expect, it } from 'vitest';
import { matchDataPoints } from '../../src/verification';

const contact = (fields: Partial<Intercom.Contact>) => ({ id: '6650f1a2b3c4d5e6f7a8b9c0', ...fields }) as Intercom.Contact;

describe('matchDataPoints: name', () => {
	it('José Núñez = jose nunez = JOSÉ  NÚÑEZ (also decomposed accents); another name does not match', () => {
		const c = [contact({ name: 'José Núñez' })];
		for (const typed of ['Jose Nunez', ' jose  nunez ', 'JOSÉ NÚÑEZ', 'Jose\u0301 Nu\u0301n\u0303ez', 'José Núñez']) {
			expect(matchDataPoints(c, { name: typed }), typed).toEqual({ matched: 1, given: 1, mismatched: [] });
		}
		expect(matchDataPoints(c, { name: 'Josef Nunez' })).toEqual({ matched: 0, given: 1, mismatched: ['name'] });
		// And the other way round: Intercom holds the name without accents.
		expect(matchDataPoints([contact({ name: 'Zoe Lefevre' })], { name: 'Zoë Lefèvre' })).toMatchObject({ matched: 1 });
	});
});
