import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import * as m from '$lib/paraglide/messages';
import { env } from '$lib/server/env';
import * as records from '$lib/server/records';
import * as runtime from '$lib/server/runtime';
import type { PageServerLoad } from './$types';
import { findOr404 } from '../../registration';

export const load: PageServerLoad = async ({ params }) => {
	const { person } = await findOr404(params.token);
	const record = await records.findFor(runtime.db(), person.id, params.record);
	if (!record) error(404, m.nachweis_not_found());
	const verifyUrl = env().origin + records.verificationPath(record);
	const svg = await QRCode.toString(verifyUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
	return {
		record: {
			personName: record.personName,
			periodFrom: record.periodFrom,
			periodTo: record.periodTo,
			entries: record.entries,
			totalMinutes: record.totalMinutes,
			issuedAt: record.issuedAt,
			revoked: record.revokedAt !== null
		},
		verifyUrl,
		qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
	};
};
