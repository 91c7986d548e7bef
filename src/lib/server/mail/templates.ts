import * as m from '../../paraglide/messages';
import { isLocale, type Locale } from '../../paraglide/runtime';

export interface RenderedEmail {
	subject: string;
	text: string;
	html: string;
}

/** Every template and the payload it needs. Payloads are stored with the outbox row's rendering. */
export interface TemplatePayloads {
	'sign-in-link': { name: string; url: string };
}
export type TemplateName = keyof TemplatePayloads;

export function toLocale(value: string | null | undefined): Locale {
	return value && isLocale(value) ? value : 'de';
}

export function escapeHtml(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

type Block = { paragraph: string } | { button: { label: string; url: string } };

/** One layout for all mail: every block becomes a paragraph in text and escaped HTML. */
function layout(locale: Locale, subject: string, blocks: Block[]): RenderedEmail {
	const footer = m.email_footer({}, { locale });
	const text = [
		...blocks.map((b) => ('paragraph' in b ? b.paragraph : `${b.button.label}: ${b.button.url}`)),
		'--',
		footer
	].join('\n\n');
	const body = blocks
		.map((b) =>
			'paragraph' in b
				? `<p>${escapeHtml(b.paragraph)}</p>`
				: `<p><a href="${escapeHtml(b.button.url)}" style="display:inline-block;padding:10px 16px;background:#1d4e89;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(b.button.label)}</a></p><p style="font-size:12px;color:#555555">${escapeHtml(b.button.url)}</p>`
		)
		.join('\n');
	const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:36em">
${body}
<hr><p style="font-size:12px;color:#555555">${escapeHtml(footer)}</p>
</body></html>`;
	return { subject, text, html };
}

export function renderEmail<T extends TemplateName>(
	template: T,
	payload: TemplatePayloads[T],
	locale: Locale
): RenderedEmail {
	switch (template) {
		case 'sign-in-link': {
			const { name, url } = payload as TemplatePayloads['sign-in-link'];
			return layout(locale, m.email_sign_in_subject({}, { locale }), [
				{ paragraph: m.email_greeting({ name }, { locale }) },
				{ paragraph: m.email_sign_in_body({}, { locale }) },
				{ button: { label: m.email_sign_in_button({}, { locale }), url } },
				{ paragraph: m.email_sign_in_ignore({}, { locale }) }
			]);
		}
	}
	throw new Error(`Unknown email template: ${template satisfies never}`);
}
