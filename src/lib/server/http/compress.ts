// Compression of the app's own responses (HTML, JSON, feeds); static files come precompressed.
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip';
export type Bytes = Uint8Array<ArrayBuffer>;

const COMPRESSIBLE = /^(?:text\/(?:html|plain|calendar|csv|xml)|application\/(?:json|xml|ld\+json))\b/;
/** Below this, the headers outweigh what compression saves. */
export const MIN_BYTES = 1024;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Brotli when the client takes it, else gzip, else none; "q=0" refuses an encoding. */
export function chooseEncoding(acceptEncoding: string | null): Encoding | undefined {
	if (!acceptEncoding) return undefined;
	const accepted = new Set(
		acceptEncoding
			.toLowerCase()
			.split(',')
			.map((part) => part.trim().split(';').map((p) => p.trim()))
			.filter(([, q]) => !q || !/^q=0(?:\.0*)?$/.test(q))
			.map(([name]) => name)
	);
	if (accepted.has('br')) return 'br';
	if (accepted.has('gzip') || accepted.has('*')) return 'gzip';
	return undefined;
}

/** Brotli at quality 5: nearly gzip's speed, a smaller result; 11 costs tens of milliseconds a page. */
export async function compress(body: Bytes, encoding: Encoding): Promise<Bytes> {
	const compressed = encoding === 'br' ? await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }) : await gzip(body);
	return compressed as Bytes;
}

export function isCompressible(response: Response): boolean {
	return (
		response.body !== null &&
		response.status !== 204 &&
		response.status !== 304 &&
		!response.headers.has('content-encoding') &&
		COMPRESSIBLE.test(response.headers.get('content-type') ?? '')
	);
}

export function appendVary(headers: Headers, value: string) {
	const vary = headers.get('vary');
	if (!vary) headers.set('vary', value);
	else if (!vary.toLowerCase().split(/\s*,\s*/).includes(value.toLowerCase())) headers.set('vary', `${vary}, ${value}`);
}

/** The response compressed for this request, or as it is. */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
	if (!isCompressible(response)) return response;
	appendVary(response.headers, 'Accept-Encoding');
	const encoding = chooseEncoding(request.headers.get('accept-encoding'));
	if (!encoding || request.method === 'HEAD') return response;
	const body = new Uint8Array(await response.arrayBuffer());
	if (body.byteLength < MIN_BYTES) return withBody(response, body, undefined);
	return withBody(response, await compress(body, encoding), encoding);
}

export function withBody(response: Response, body: Bytes, encoding: Encoding | undefined): Response {
	const headers = new Headers(response.headers);
	headers.delete('content-length');
	if (encoding) headers.set('content-encoding', encoding);
	return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
