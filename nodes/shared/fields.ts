import type { INodeProperties } from 'n8n-workflow';

/** The "Options" collection (Add Option) that holds an operation's optional settings. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}
