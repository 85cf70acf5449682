import { describe, expect, it } from "vitest";
import { renderMarkdown } from "#lib/core/markdown.ts";

describe("renderMarkdown", () => {
  it("renders the markdown comms leads write", () => {
    const html = renderMarkdown("We are **investigating** errors on the [API](https://example.com/api).\n\n- one\n- two");
    expect(html).toContain("<strong>investigating</strong>");
    expect(html).toContain('<a href="https://example.com/api" rel="nofollow noopener noreferrer">API</a>');
    expect(html).toContain("<li>one</li>");
  });

  it("keeps line breaks within a paragraph", () => {
    expect(renderMarkdown("line one\nline two")).toBe("<p>line one<br />line two</p>");
  });

  it("moves top-level headings below the page's own", () => {
    expect(renderMarkdown("# Root cause")).toBe("<h3>Root cause</h3>");
  });

  const payloads: [string, string][] = [
    ["script tag", "<script>alert(1)</script>hello"],
    ["javascript: link", "[click](javascript:alert(1))"],
    ["javascript: link in HTML", '<a href="JaVaScRiPt:alert(1)">click</a>'],
    ["onerror attribute", '<img src="x" onerror="alert(1)">'],
    ["iframe", '<iframe src="https://evil.example"></iframe>'],
    ["svg onload", '<svg onload="alert(1)"><circle r="1"/></svg>'],
    ["data: URL link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
    ["data: URL image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"],
    ["event handler on allowed tag", '<p onclick="alert(1)">hi</p>'],
    ["style tag", "<style>body{display:none}</style>text"],
    ["entity-encoded javascript", '<a href="&#106;avascript:alert(1)">x</a>'],
  ];

  it.each(payloads)("neutralises %s", (_name, payload) => {
    const html = renderMarkdown(payload).toLowerCase();
    expect(html).not.toMatch(/<script|<iframe|<svg|<img|<style|javascript:|data:|\son\w+=|alert\(1\)<\/script/);
  });

  it("drops the content of script and style elements instead of showing it", () => {
    expect(renderMarkdown("<script>alert(1)</script>hello")).not.toContain("alert");
    expect(renderMarkdown("<style>body{display:none}</style>text")).not.toContain("display");
  });

  it("escapes plain text that looks like HTML", () => {
    expect(renderMarkdown("5 < 6 & 7 > 3")).toBe("<p>5 &lt; 6 &amp; 7 &gt; 3</p>");
  });
});
