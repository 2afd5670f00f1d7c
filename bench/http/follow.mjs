// Follows a list's nextCursor over HTTP (setup of bench/http_bench.sh, not
// timed): prints the path of the page after PAGES pages, or of the last page
// when the list is shorter, and how many pages were followed (stderr).
// Usage: node follow.mjs BASE_URL PATH COOKIE PAGES
const [base, path, cookie, pagesArg] = process.argv.slice(2);
const pages = Number(pagesArg);
let cursor = null;
let followed = 0;
const sep = path.includes('?') ? '&' : '?';
while (followed < pages) {
	const url = base + path + (cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : '');
	const r = await fetch(url, { headers: { Cookie: cookie, Accept: 'application/json' } });
	if (r.status !== 200) throw new Error(`${url}: ${r.status} ${await r.text()}`);
	const body = await r.json();
	if (!body.nextCursor) break;
	cursor = body.nextCursor;
	followed += 1;
}
process.stderr.write(`followed ${followed} pages\n`);
process.stdout.write(path + (cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : '') + '\n');
