/** HTML rendered from markdown by lib/core/markdown.ts, which sanitises it; nothing else may be passed here. */
export function Markdown({ html }: { html: string }) {
  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;
}
