import { compile } from '@inlang/paraglide-js';
import { i18nOptions } from './i18n-options.js';
import { checkProject, formatStatus, readProject } from './message-check.js';

await compile(i18nOptions);
console.log(formatStatus(checkProject(readProject('.'))));
