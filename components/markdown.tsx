/**
 * HTML rendered from markdown by lib/core/markdown.ts, which sanitises it; nothing else may be passed here.
 * What people wrote takes its own direction (`dir="auto"`): English text on an Arabic page keeps its full stop at its end.
 */
export function Markdown({ html }: { html: string }) {
  return <div className="prose" dir="auto" dangerouslySetInnerHTML={{ __html: html }} />;
}
