/*
 * The language a problem was reported in (the /report page's locale): the
 * reporter's one follow-up email is written in it. Reports sent before read English.
 */
export const reportLocale: string[] = [
  `alter table problem_reports add column locale text not null default 'en'`,
  `alter table problem_reports add constraint problem_reports_locale_check check (locale = any(array['en','de','fr','es','pt-BR','ja','zh-CN','ar']::text[]))`,
];
