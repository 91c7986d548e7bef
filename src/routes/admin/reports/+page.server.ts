import { loadReport } from './report-load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => loadReport(locals, url);
