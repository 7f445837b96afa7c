import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * What the n8n editor shows for a node, beyond its parameters: the subtitle under the node on the
 * canvas, and which credential appears for which choice.
 */

/** `resource:operation` → the operation's `action` text ("Find a data subject"), for every operation list. */
function actionTexts(properties: INodeProperties[]): Record<string, string> {
	const texts: Record<string, string> = {};
	for (const p of properties) {
		if (p.name !== 'operation' || !Array.isArray(p.options)) continue;
		for (const resource of (p.displayOptions?.show?.resource ?? []) as string[]) {
			for (const o of p.options) {
				if ('value' in o && 'action' in o && typeof o.action === 'string') texts[`${resource}:${String(o.value)}`] = o.action;
			}
		}
	}
	return texts;
}

/**
 * The canvas subtitle: the action a user picked ("Find a data subject"), not the internal
 * "find: dataSubject". Built from the operations' own `action` texts, so a new operation gets its
 * subtitle with no further edit; an unknown pair falls back to the operation's value.
 */
export function actionSubtitle(properties: INodeProperties[]): string {
	return `={{ (${JSON.stringify(actionTexts(properties))})[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
}

/** The trigger's subtitle: "On retention candidates" for the `event` option "Retention Candidates". */
export function eventSubtitle(eventProperty: INodeProperties): string {
	const names: Record<string, string> = {};
	for (const o of eventProperty.options ?? []) {
		if ('value' in o) names[String(o.value)] = `On ${o.name.toLowerCase()}`;
	}
	return `={{ (${JSON.stringify(names)})[$parameter["event"]] || $parameter["event"] }}`;
}

/**
 * Shows a credential only for some values of a parameter, using `hide` with the other values.
 *
 * Why not `show`: the editor takes a parameter that credentials are shown by (`displayOptions.show`)
 * as the node's credential-type selector when every one of its values picks a credential, hides it
 * from the panel and offers it as a credential-type dropdown instead (n8n editor-ui
 * getMainAuthField / findAlternativeAuthField; it only reads `show`). That hid the trigger's Event.
 * With `hide`, the parameter stays a normal, visible choice and the right credential still follows it.
 */
export function credentialOnlyFor(
	credential: Omit<INodeCredentialDescription, 'displayOptions'>,
	parameter: string,
	allValues: string[],
	values: string[],
): INodeCredentialDescription {
	const others = allValues.filter((v) => !values.includes(v));
	return others.length === 0 ? { ...credential } : { ...credential, displayOptions: { hide: { [parameter]: others } } };
}

/** Every value of every options parameter with this name (e.g. all operations of all resources). */
export function optionValues(properties: INodeProperties[], name: string): string[] {
	const values = new Set<string>();
	for (const p of properties) {
		if (p.name !== name || !Array.isArray(p.options)) continue;
		for (const o of p.options) if ('value' in o) values.add(String(o.value));
	}
	return [...values];
}

