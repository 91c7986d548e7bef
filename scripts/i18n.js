import { compile } from '@inlang/paraglide-js';
import { i18nOptions } from './i18n-options.js';

await compile(i18nOptions);
