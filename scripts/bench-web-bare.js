// The baseline of `npm run bench:web`: a bare node:http + better-sqlite3 server doing the same work
// as the app's event page and registration POST, and nothing else (no framework, no i18n, no
// sessions, no outbox). Usage: node scripts/bench-web-bare.js <port> <app database> <own database>
import http from 'node:http';
import Database from 'better-sqlite3';

const [port, appPath, ownPath] = process.argv.slice(2);
const app = new Database(appPath, { readonly: true });
app.pragma('busy_timeout = 5000');
const own = new Database(ownPath);
own.pragma('journal_mode = WAL');
own.pragma('synchronous = NORMAL');
own.exec(`CREATE TABLE IF NOT EXISTS registration (
	id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL, created_at TEXT NOT NULL,
	UNIQUE (event_id, email))`);

const readEvent = app.prepare('SELECT id, title, description, starts_at, ends_at, capacity, confirmed_count FROM event WHERE id = ?');
const countTaken = own.prepare('SELECT count(*) AS taken FROM registration WHERE event_id = ?');
const insert = own.prepare('INSERT INTO registration (event_id, name, email, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
const register = own.transaction((event, name, email) => {
	if (countTaken.get(event.id).taken >= event.capacity) return false;
	return insert.run(event.id, name, email, new Date().toISOString()).changes === 1;
});

const escape = (value) => String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const page = (event) => `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${escape(event.title)}</title></head><body>
<main><h1>${escape(event.title)}</h1><p>${escape(new Date(event.starts_at).toLocaleString('de-AT', { timeZone: 'Europe/Vienna' }))}</p>
<p>${escape(event.description)}</p><p>Noch ${event.capacity - event.confirmed_count} Plätze frei</p>
<form method="post" action="/events/${escape(event.id)}/register"><label>Name <input name="name" required></label>
<label>E-Mail <input name="email" type="email" required></label><button>Teilnehmen</button></form></main></body></html>`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

http
	.createServer((request, response) => {
		const match = /^\/events\/([a-z2-7]{24})(\/register)?$/.exec(request.url ?? '');
		const event = match && readEvent.get(match[1]);
		if (!event) return response.writeHead(404).end('not found');
		if (request.method === 'GET' && !match[2]) {
			return response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(event));
		}
		if (request.method !== 'POST' || !match[2]) return response.writeHead(405).end();
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			const form = new URLSearchParams(body);
			const name = (form.get('name') ?? '').trim();
			const email = (form.get('email') ?? '').trim().toLowerCase();
			if (!name || name.length > 200 || !EMAIL.test(email)) return response.writeHead(400).end('invalid');
			response.writeHead(register(event, name, email) ? 200 : 409, { 'content-type': 'text/plain' }).end('ok');
		});
	})
	.listen(Number(port), '127.0.0.1');
