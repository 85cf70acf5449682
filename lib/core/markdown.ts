import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

/*
 * Update bodies and postmortems are markdown written by comms leads, shown on
 * the page, in emails and in feeds. Markdown allows raw HTML, so the output is
 * always sanitised: an allow-list of tags, http(s)/mailto links only, no
 * attributes that run code, no images or frames (nothing loads from elsewhere).
 */
const marked = new Marked({ gfm: true, breaks: true, async: false });

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  // Text of dropped elements such as <script> or <style> is dropped too, not shown.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "iframe", "svg", "math"],
  transformTags: {
    // Page headings own h1/h2; an update's headings sit below them.
    h1: "h3",
    h2: "h3",
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow noopener noreferrer" } }),
  },
};

/** Markdown → HTML that is safe to insert as-is. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, sanitizeOptions).trim();
}
