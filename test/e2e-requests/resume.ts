// Shared by the e2e drivers of the request examples.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens a Wait node's resume link. The workflow mails the link from the node BEFORE its Wait, so the
 * mail can arrive while n8n is still moving the execution into the Wait: n8n then answers 409 ("is
 * running already"). A person clicks seconds later; the test retries a 409 for up to 30 s, nothing else.
 */
export async function openResumeLink(url: string): Promise<Response> {
	for (let attempt = 0; ; attempt++) {
		const r = await fetch(url);
		if (r.status !== 409 || attempt >= 60) return r;
		await r.body?.cancel();
		await sleep(500);
	}
}
