import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

export const MAX_LOGO_BYTES = 500 * 1024;

export type LogoContentType = 'image/png' | 'image/jpeg' | 'image/webp';
export type LogoProblem = 'logo_empty' | 'logo_too_large' | 'logo_not_image';

export interface CheckedLogo {
	contentType: LogoContentType;
	base64: string;
	sha256: string;
}

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
	return bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
}

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/**
 * The type an upload really has, from its first bytes. The file name and the browser's declared
 * type are ignored: both are the uploader's to choose. SVG is deliberately not accepted (it can
 * carry scripts).
 */
export function sniffImageType(bytes: Uint8Array): LogoContentType | null {
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
	return null;
}

export function checkLogo(bytes: Uint8Array): { ok: true; logo: CheckedLogo } | { ok: false; problem: LogoProblem } {
	if (bytes.length === 0) return { ok: false, problem: 'logo_empty' };
	if (bytes.length > MAX_LOGO_BYTES) return { ok: false, problem: 'logo_too_large' };
	const contentType = sniffImageType(bytes);
	if (!contentType) return { ok: false, problem: 'logo_not_image' };
	return {
		ok: true,
		logo: { contentType, base64: Buffer.from(bytes).toString('base64'), sha256: encodeHexLowerCase(sha256(bytes)) }
	};
}
