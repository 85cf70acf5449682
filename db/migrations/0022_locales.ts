/*
 * Languages (lib/core/locales.ts): the page's default locale (served
 * unprefixed) and the locales it offers, and each subscriber's language for
 * their emails and chat messages. Those signed up before read English.
 */
const LOCALES = `array['en','de','fr','es','pt-BR','ja','zh-CN','ar']::text[]`;

export const locales: string[] = [
  `alter table page add column default_locale text not null default 'en'`,
  `alter table page add column locales text[] not null default ${LOCALES}`,
  `alter table page add constraint page_locales_check check (locales <@ ${LOCALES} and default_locale = any(locales))`,
  `alter table subscribers add column locale text not null default 'en'`,
  `alter table subscribers add constraint subscribers_locale_check check (locale = any(${LOCALES}))`,
];
