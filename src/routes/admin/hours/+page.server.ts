import type { PageServerLoad } from './$types';
import { loadHours } from './hours-load';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { report, ...rest } = await loadHours(locals, url);
	return {
		...rest,
		report: report && {
			...report,
			people: report.people.map((p) => ({ name: p.name, email: p.email, engagements: p.engagements, minutes: p.minutes, reachesThreshold: p.reachesThreshold }))
		}
	};
};
