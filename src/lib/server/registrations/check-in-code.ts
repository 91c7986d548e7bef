import QRCode from 'qrcode';
import type { Attachment } from '../mail/outbox';
import type { LinkContext } from './links';

export const CHECK_IN_CID = 'check-in-code';

/** The coordinator's check-in entry for this person; scanning it needs a signed-in coordinator. */
export function checkInUrl(ctx: LinkContext, eventId: string, registrationId: string): string {
	return `${ctx.origin}/admin/events/${eventId}/check-in?r=${registrationId}`;
}

export async function checkInAttachment(ctx: LinkContext, eventId: string, registrationId: string): Promise<Attachment> {
	const png = await QRCode.toBuffer(checkInUrl(ctx, eventId, registrationId), { type: 'png', width: 320, margin: 2 });
	return { filename: 'einlass.png', contentType: 'image/png', content: png.toString('base64'), encoding: 'base64', cid: CHECK_IN_CID };
}

/** The same code as an inline SVG image (a data URL) for the confirm and manage pages: no request to anyone else. */
export async function checkInImage(ctx: LinkContext, eventId: string, registrationId: string): Promise<string> {
	const svg = await QRCode.toString(checkInUrl(ctx, eventId, registrationId), { type: 'svg', margin: 2 });
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
